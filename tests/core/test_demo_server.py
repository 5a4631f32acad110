"""The embedded default serves a crowd: `maslikhat demo-serve` (what `make demo` runs) is started
for real, gunicorn on a temporary SQLite file, and forty citizens submit an appeal at once.

Before SQLite transactions began IMMEDIATE, 25-27 of these 40 got 503 "database is locked":
a DEFERRED transaction that has read cannot wait for the write lock. Now every one waits its
turn (busy timeout) and all 40 are registered with distinct, gapless numbers. The same server
shows that the demo runs with DEBUG off (the site's 404 page, assets served by whitenoise) and
that links in emails follow PORT.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bench.common import free_port, valid_iins
from django.utils import timezone

# the suite's test database must be set up: the server's database is copied from it on SQLite;
# both tests share one server, so xdist (--dist loadgroup) runs them in the same worker
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_server")]

CLIENTS = 40
ROOT = Path(__file__).resolve().parents[2]
PREPARE = (
    "import django, sys; django.setup(); from django.core.management import call_command; "
    "'--migrate' in sys.argv and call_command('migrate', interactive=False, verbosity=0); "
    "call_command('load_reference')"
)


@dataclass
class DemoServer:
    port: int
    db: Path
    log: Path
    body_id: int


def _environment(var: Path, db: Path) -> dict[str, str]:
    drop = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    drop |= {"SITE_URL", "PORT", "MASLIKHAT_MODE", "EMAIL_BACKEND", "APPEAL_SUBMIT_LIMIT_PER_HOUR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        DJANGO_SETTINGS_MODULE="maslikhat.config.settings",
        MASLIKHAT_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{db}",
        LOG_FORMAT="text",
    )
    return env


def _wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"demo-serve exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"demo-serve did not answer:\n{log.read_text()[-3000:]}")


def _copy_test_schema(db: Path) -> bool:
    """On the SQLite run, copy the suite's freshly migrated test database (seconds faster than
    migrating again); on PostgreSQL there is nothing to copy."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return False
    connection.ensure_connection()
    with sqlite3.connect(db) as target:
        connection.connection.backup(target)
    return True


@pytest.fixture(scope="module")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any
) -> Iterator[DemoServer]:
    var = tmp_path_factory.mktemp("demo-server")
    db, log = var / "db.sqlite3", var / "server.log"
    env = _environment(var, db)
    # the server's own database, as `make demo` makes it: migrated, with the real reference data
    with django_db_blocker.unblock():
        copied = _copy_test_schema(db)
    prepared = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PREPARE, *([] if copied else ["--migrate"])],
        env=env,
        cwd=var,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        (body_id,) = conn.execute(
            "SELECT id FROM directory_organization WHERE slug = 'kz-71-maslikhat'"
        ).fetchone()
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "maslikhat", "demo-serve", "--port", str(port)],
            # --port wins over PORT and is passed on to the settings; three workers (the demo
            # has 2 x cores + 1) already make writers in different processes meet
            env={**env, "PORT": "1", "GUNICORN_WORKERS": "3"},
            cwd=var,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(proc, port, log)
        yield DemoServer(port=port, db=db, log=log, body_id=body_id)
    finally:
        proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown (TERM waits for the workers)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _get(server: DemoServer, path: str, host: str = "") -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", path, headers={"Host": f"{host}:{server.port}"} if host else {})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode()


def _submit_at_once(server: DemoServer, n: int) -> list[tuple[int, dict[str, Any]]]:
    """n appeals sent at the same moment, each from its own client address (127.0.0.2, .3, ...):
    the submission limit counts per client address."""
    iins = valid_iins(n)
    ready = threading.Barrier(n)
    results: list[tuple[int, dict[str, Any]]] = [(0, {})] * n

    def citizen(i: int) -> None:
        payload = {
            "body_id": server.body_id,
            "kind": "proposal",
            "topic": "ecology",
            "text": f"Plant trees along the Esil embankment, part {i}.",
            "language": "kk",
            "applicant": {
                "full_name": "Crowd Citizen",
                "iin": iins[i],
                "address": "Astana",
                "phone": "+7 701 234 56 78",
                "email": f"citizen{i}@example.org",
            },
        }
        conn = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=60, source_address=(f"127.0.0.{i + 2}", 0)
        )
        conn.connect()
        ready.wait(timeout=60)
        conn.request("POST", "/api/v1/appeals", json.dumps(payload), {"Content-Type": "application/json"})
        response = conn.getresponse()
        results[i] = (response.status, json.loads(response.read()))

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_forty_simultaneous_submissions_from_distinct_clients_are_all_registered(
    demo_server: DemoServer,
) -> None:
    # when forty citizens submit an appeal to the same maslikhat at the same moment
    results = _submit_at_once(demo_server, CLIENTS)
    # then every one is registered, none told to retry
    assert [status for status, _ in results] == [201] * CLIENTS, [b for s, b in results if s != 201]
    # with distinct, gapless numbers of this year
    year = timezone.localdate().year
    numbers = sorted(body["registration_number"] for _, body in results)
    assert numbers == [f"KZ-71-{year}-{n:06d}" for n in range(1, CLIENTS + 1)]
    # and the database holds exactly them
    with sqlite3.connect(demo_server.db) as conn:
        stored = [r[0] for r in conn.execute("SELECT registration_number FROM appeals_appeal ORDER BY 1")]
        counter = conn.execute("SELECT last_number FROM appeals_registrationcounter").fetchall()
    assert stored == numbers
    assert counter == [(CLIENTS,)]
    # the tracking links in the confirmation emails point at the port being served
    log = demo_server.log.read_text(encoding="utf-8", errors="replace")
    number, token = results[0][1]["registration_number"], results[0][1]["token"]
    links = re.findall(rf"http://127\.0\.0\.1:(\d+)/\S*{number}\S*", log)
    assert links and set(links) == {str(demo_server.port)}
    assert token in log


def test_the_demo_serves_with_debug_off(demo_server: DemoServer) -> None:
    # an unknown page gets the site's own 404, not Django's technical page
    status, _, html = _get(demo_server, "/en/no-such-page/")
    assert status == 404
    assert "<h1>Page not found</h1>" in html
    assert "URLconf" not in html and "DEBUG = True" not in html
    # the assets are served (whitenoise, no collectstatic needed)
    status, headers, css = _get(demo_server, "/static/web/site.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert css == (ROOT / "src/maslikhat/web/static/web/site.css").read_text()
    # and the pages work for the loopback host names
    assert [_get(demo_server, "/en/", host)[0] for host in ("127.0.0.1", "localhost")] == [200, 200]
