"""bench/replica: the read-replica router against a real PostgreSQL streaming replica.

Starts a second PostgreSQL cluster on another port as a streaming replica of the local primary
(pg_basebackup -R; hot standby), serves the product with gunicorn (DATABASE_URL = primary,
DATABASE_REPLICA_URL = replica), and shows, with numbers:

1. reads served by the replica: anonymous public pages under load, with the transactions
   counted on each server (pg_stat_database) before and after;
2. writes never lost: appeal submissions (API) during the read load, every acknowledged number
   found on the primary, and on the replica once it caught up;
3. a citizen sees their own appeal right after submitting it: the tracking page requested at
   once with the browser's cookies (pinned to the primary for REPLICA_PIN_SECONDS);
4. the replica stops (pg_ctl stop -m immediate): public pages keep answering from the primary.

Needs root on this machine (it adds a `replication` line to pg_hba.conf when missing, reloads the
primary, and runs the replica as the postgres user). Loopback only; every loop is bounded.
Knobs: BENCH_PRIMARY_URL (postgres://postgres@127.0.0.1:5432), BENCH_REPLICA_PORT (5434),
BENCH_READ_S (10), BENCH_READERS (16), BENCH_WRITERS (4), BENCH_SUBMISSIONS (200).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.common import (
    BIN,
    ROOT,
    free_port,
    percentile,
    start_gunicorn,
    stop,
    update_readme_section,
    valid_iins,
)

HERE = Path(__file__).resolve().parent
PRIMARY = os.environ.get("BENCH_PRIMARY_URL", "postgres://postgres@127.0.0.1:5432")
DB = "bench_replica"
REPLICA_PORT = int(os.environ.get("BENCH_REPLICA_PORT", "5434"))
READ_S = int(os.environ.get("BENCH_READ_S", "10"))
READERS = int(os.environ.get("BENCH_READERS", "16"))
WRITERS = int(os.environ.get("BENCH_WRITERS", "4"))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
PAGES = ("/ru/bodies/", "/kk/bodies/", "/ru/scorecard/", "/en/council/", "/ru/news/")


def sql(url: str, statement: str, *, autocommit: bool = True) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=autocommit, connect_timeout=5) as conn:
        cur = conn.execute(statement)
        return list(cur.fetchall()) if cur.description else []


def as_postgres(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        ["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True, text=True, timeout=300
    )


def allow_replication() -> str:
    """Add `host replication all 127.0.0.1/32 trust` to the primary's pg_hba.conf if missing."""
    hba = Path(sql(f"{PRIMARY}/postgres", "SHOW hba_file")[0][0])
    text = hba.read_text()
    if not any(line.split()[:2] == ["host", "replication"] for line in text.splitlines() if line.strip()):
        hba.write_text(text.rstrip() + "\nhost replication all 127.0.0.1/32 trust\n")
        sql(f"{PRIMARY}/postgres", "SELECT pg_reload_conf()")
        return "added a replication line to pg_hba.conf and reloaded"
    return "pg_hba.conf already allows replication"


def setup_primary(env: dict[str, str]) -> float:
    started = time.monotonic()
    sql(f"{PRIMARY}/postgres", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    sql(f"{PRIMARY}/postgres", f'CREATE DATABASE "{DB}"')
    for cmd in (["migrate", "-v", "0"], ["load-reference"]):
        subprocess.run(  # noqa: S603
            [str(BIN / "maslikhat"), *cmd], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    return time.monotonic() - started


def write_replica_config(data: Path) -> None:
    """pg_basebackup copies the data directory only (Debian keeps the configuration in /etc)."""
    (data / "postgresql.conf").write_text("hot_standby = on\nmax_connections = 100\n")
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    for name in ("postgresql.conf", "pg_hba.conf"):
        shutil.chown(data / name, "postgres", "postgres")


def stop_replica(data: Path, mode: str = "fast") -> None:
    if (data / "postmaster.pid").exists():
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop")


def commits(url: str) -> int:
    return int(sql(url, f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DB}'")[0][0])


def read_load(base: str, seconds: float, readers: int) -> dict[str, Any]:
    """`readers` anonymous visitors (no cookies) cycling through PAGES for `seconds`."""
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def visitor(k: int) -> None:
        i = k
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + PAGES[i % len(PAGES)], timeout=30) as r:  # noqa: S310
                    r.read()
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError:
                status = 0
            with lock:
                statuses[status] += 1
                latencies.append((time.perf_counter() - t0) * 1000)
            i += 1

    threads = [threading.Thread(target=visitor, args=(k,)) for k in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    total = sum(statuses.values())
    return {
        "requests": total,
        "per_s": round(total / seconds, 1),
        "statuses": dict(statuses),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
    }


def submit_and_track(base: str, bodies: list[int], iins: list[str], n: int, writers: int) -> dict[str, Any]:
    """n submissions by `writers` citizens, each reading its tracking page at once with its own
    cookies (pinned to the primary) and, as a control, with no cookies at all."""
    acked: list[str] = []
    seen_pinned = 0
    seen_unpinned = 0
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    counter = iter(range(n))

    def citizen() -> None:
        nonlocal seen_pinned, seen_unpinned
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            payload = {
                "body_id": bodies[i % len(bodies)],
                "kind": "application",
                "topic": "roads",
                "text": f"Replica bench appeal {i}",
                "language": "ru",
                "applicant": {
                    "full_name": "Bench Applicant",
                    "iin": iins[i],
                    "address": "Astana",
                    "phone": "+7 701 234 56 78",
                    "email": "bench@example.org",
                },
            }
            request = urllib.request.Request(
                base + "/api/v1/appeals",
                data=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with opener.open(request, timeout=30) as r:
                    body = json.loads(r.read())
            except urllib.error.HTTPError as e:
                with lock:
                    errors[f"submit {e.code}"] += 1
                continue
            except OSError as e:
                with lock:
                    errors[f"submit {type(e).__name__}"] += 1
                continue
            number, path = body["registration_number"], body["tracking_path"]
            with lock:
                acked.append(number)
            for use_cookies in (True, False):
                try:
                    open_ = opener.open if use_cookies else urllib.request.urlopen
                    with open_(base + path, timeout=30) as r:  # noqa: S310
                        found = number in r.read().decode()
                except urllib.error.HTTPError:
                    found = False
                with lock:
                    if found and use_cookies:
                        seen_pinned += 1
                    elif found:
                        seen_unpinned += 1

    threads = [threading.Thread(target=citizen) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return {
        "acked": acked,
        "seen_pinned": seen_pinned,
        "seen_unpinned": seen_unpinned,
        "errors": dict(errors),
    }


def main() -> None:
    load = os.getloadavg()[0]
    primary_db = f"{PRIMARY}/{DB}"
    replica_db = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-replica-"))
    data = Path(tempfile.mkdtemp(prefix="bench-replica-pg-")) / "data"  # owned by postgres below
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": primary_db,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "MASLIKHAT_VAR_DIR": str(tmp),
        "DEBUG": "false",
        "PORT": str(port),
        "APPEAL_SUBMIT_LIMIT_PER_HOUR": "1000000000",
        "APPEAL_ATTEMPT_LIMIT_PER_HOUR": "1000000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "PAGE_CACHE_ENABLED": "false",  # every page read reaches a database (bench/http measures the cache)
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    results: dict[str, Any] = {"load_at_start": round(load, 2), "machine": "2 cores, 24 GiB"}
    server = None
    try:
        results["pg_hba"] = allow_replication()
        results["primary_setup_s"] = round(setup_primary(env), 1)
        started = time.monotonic()
        shutil.rmtree(data, ignore_errors=True)
        data.parent.mkdir(parents=True, exist_ok=True)
        shutil.chown(data.parent, "postgres", "postgres")
        as_postgres(
            str(PG_BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
        )
        write_replica_config(data)
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            f"-p {REPLICA_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} "
            f"-c hba_file={data}/pg_hba.conf",
            "-l",
            str(data / "replica.log"),
            "-w",
            "start",
        )
        results["replica_start_s"] = round(time.monotonic() - started, 1)
        assert sql(replica_db, "SELECT pg_is_in_recovery()")[0][0] is True  # noqa: S101 - a standby
        env["DATABASE_REPLICA_URL"] = replica_db
        server = start_gunicorn(
            app="maslikhat.config.wsgi:application",
            env=env,
            port=port,
            log=tmp / "gunicorn.log",
            extra=("--bind", f"127.0.0.1:{port}", "--workers", "4"),
        )
        base = f"http://127.0.0.1:{port}"
        read_load(base, 3, 4)  # warm-up

        # 1. reads go to the replica
        before = (commits(primary_db), commits(replica_db))
        reads = read_load(base, READ_S, READERS)
        after = (commits(primary_db), commits(replica_db))
        results["reads"] = {
            **reads,
            "primary_transactions": after[0] - before[0],
            "replica_transactions": after[1] - before[1],
        }

        # 2 and 3. writes during the read load; the citizen's own appeal at once
        bodies = [
            r[0]
            for r in sql(
                primary_db,
                "SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat' "
                "ORDER BY slug LIMIT 3",
            )
        ]
        iins = valid_iins(SUBMISSIONS)
        background: dict[str, Any] = {}
        reader = threading.Thread(target=lambda: background.update(read_load(base, READ_S, READERS // 2)))
        reader.start()
        t0 = time.monotonic()
        writes = submit_and_track(base, bodies, iins, SUBMISSIONS, WRITERS)
        elapsed = time.monotonic() - t0
        reader.join(timeout=READ_S + 120)
        acked = writes.pop("acked")
        on_primary = {
            r[0]
            for r in sql(
                primary_db, "SELECT registration_number FROM appeals_appeal WHERE text LIKE 'Replica bench%'"
            )
        }
        caught_up = None
        for _ in range(100):
            on_replica = sql(
                replica_db, "SELECT count(*) FROM appeals_appeal WHERE text LIKE 'Replica bench%'"
            )[0][0]
            if on_replica >= len(on_primary):
                caught_up = on_replica
                break
            time.sleep(0.1)
        lag = sql(
            f"{PRIMARY}/postgres",
            "SELECT coalesce(max(extract(epoch from replay_lag)) * 1000, 0) FROM pg_stat_replication",
        )[0][0]
        results["writes"] = {
            "submitted": SUBMISSIONS,
            "acknowledged": len(acked),
            "per_s": round(len(acked) / elapsed, 1),
            "lost": len(set(acked) - on_primary),
            "duplicate_numbers": len(acked) - len(set(acked)),
            "on_replica_after_catch_up": caught_up,
            "replay_lag_ms": round(float(lag or 0), 1),
            "own_appeal_seen_at_once_pinned": writes["seen_pinned"],
            "own_appeal_seen_at_once_without_cookies": writes["seen_unpinned"],
            "errors": writes["errors"],
            "reads_meanwhile": background,
        }

        # 4. the replica stops: reads fall back to the primary
        stop_replica(data, "immediate")
        t_stop = time.monotonic()
        results["replica_stopped"] = read_load(base, READ_S, READERS)
        results["replica_stopped"]["seconds_after_stop"] = round(time.monotonic() - t_stop, 1)
    finally:
        stop(server)
        try:
            stop_replica(data)
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    r, w, s = results["reads"], results["writes"], results["replica_stopped"]
    table = "\n".join(
        [
            f"Last run: load average {results['load_at_start']} at the start; 4 gunicorn workers; "
            f"{READERS} anonymous readers, {WRITERS} citizens submitting.",
            "",
            "| what | result |",
            "|---|---|",
            f"| public pages, replica up | {r['per_s']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
            f"statuses {r['statuses']} |",
            f"| transactions during the read load | replica {r['replica_transactions']}, "
            f"primary {r['primary_transactions']} |",
            f"| appeals submitted during reads | {w['acknowledged']} of {w['submitted']} acknowledged "
            f"({w['per_s']}/s), {w['lost']} lost, {w['duplicate_numbers']} duplicate numbers |",
            f"| on the replica after catch-up | {w['on_replica_after_catch_up']} "
            f"(replay lag {w['replay_lag_ms']} ms) |",
            f"| own appeal seen at once (pinned to primary) | {w['own_appeal_seen_at_once_pinned']} of "
            f"{w['acknowledged']} |",
            "| the same page without cookies (from the replica) | "
            f"{w['own_appeal_seen_at_once_without_cookies']} of {w['acknowledged']} |",
            f"| replica stopped: public pages | {s['per_s']} req/s, statuses {s['statuses']} |",
        ]
    )
    update_readme_section(
        begin="<!-- bench/replica:begin -->",
        end="<!-- bench/replica:end -->",
        heading=(
            "## bench/replica — reads from a streaming replica\n\n"
            "`.venv/bin/python bench/replica/run.py` (root; about two minutes). See the module's "
            "docstring for the method.\n\n"
        ),
        table=table,
    )


if __name__ == "__main__":
    main()
