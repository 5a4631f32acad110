"""bench/appeals: concurrent appeal submissions over HTTP against gunicorn + PostgreSQL.

Creates its own database (maslikhat_bench on the PostgreSQL at BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/maslikhat_bench), starts gunicorn on 127.0.0.1, sends N
POST /api/v1/appeals from a second process's thread pool at several concurrencies, then checks
the database: every 201 is stored (lost = 0), numbers are unique and gapless per body and year.
Loopback only; every loop is bounded. Writes results.json beside this file.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maslikhat_bench")
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "600"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "8,32,64").split(",")]
IIN = "850315300128"


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "MASLIKHAT_VAR_DIR": str(ROOT / "var" / "bench"),
        "APPEAL_SUBMIT_LIMIT_PER_HOUR": "100000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }


def setup_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    for cmd in (["migrate", "-v", "0"], ["load-reference"]):
        subprocess.run(
            [str(BIN / "maslikhat"), *cmd], env=_env(), check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )


def body_ids() -> list[int]:
    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute(
            "SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat' ORDER BY slug LIMIT 3"
        ).fetchall()
    return [r[0] for r in rows]


def start_server() -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "maslikhat.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        env=_env(),
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/appeal-kinds", timeout=2).read()  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def submit(i: int, bodies: list[int]) -> tuple[int, float, str | None]:
    payload = {
        "body_id": bodies[i % len(bodies)],
        "kind": "application",
        "topic": "roads",
        "text": f"Benchmark appeal {i}",
        "language": "ru",
        "applicant": {
            "full_name": "Bench Applicant",
            "iin": IIN,
            "address": "Astana",
            "phone": "+7 701 234 56 78",
            "email": "bench@example.org",
        },
    }
    req = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{PORT}/api/v1/appeals",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
            body = json.loads(resp.read())
            return resp.status, time.perf_counter() - started, body.get("registration_number")
    except urllib.error.HTTPError as exc:
        return exc.code, time.perf_counter() - started, None
    except OSError:
        return 0, time.perf_counter() - started, None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def check_database(acked: list[str]) -> dict[str, Any]:
    with psycopg.connect(DB_URL) as conn:
        numbers = [r[0] for r in conn.execute("SELECT registration_number FROM appeals_appeal").fetchall()]
    stored = set(numbers)
    by_prefix: dict[str, list[int]] = {}
    for n in numbers:
        prefix, seq = n.rsplit("-", 1)
        by_prefix.setdefault(prefix, []).append(int(seq))
    gaps = sum(max(seqs) - len(seqs) for seqs in by_prefix.values())
    return {
        "stored": len(numbers),
        "duplicates": len(numbers) - len(stored),
        "lost": len([n for n in acked if n not in stored]),
        "gaps": gaps,
    }


def main() -> None:
    setup_database()
    bodies = body_ids()
    server = start_server()
    results: dict[str, Any] = {"workers": WORKERS, "requests_per_run": REQUESTS, "runs": []}
    acked: list[str] = []
    try:
        offset = 0
        for concurrency in CONCURRENCY:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                outcomes = list(pool.map(lambda i: submit(i, bodies), range(offset, offset + REQUESTS)))
            elapsed = time.perf_counter() - started
            offset += REQUESTS
            ok = [o for o in outcomes if o[0] == 201]
            acked.extend(o[2] for o in ok if o[2])
            latencies = [o[1] for o in outcomes]
            run = {
                "concurrency": concurrency,
                "sent": len(outcomes),
                "created_201": len(ok),
                "other_status": sorted({o[0] for o in outcomes if o[0] != 201}),
                "appeals_per_second": round(len(ok) / elapsed, 1),
                "p50_ms": round(statistics.median(latencies) * 1000, 1),
                "p99_ms": round(percentile(latencies, 99) * 1000, 1),
            }
            results["runs"].append(run)
            print(json.dumps(run))
    finally:
        server.terminate()
        server.wait(timeout=30)
    results["database"] = check_database(acked)
    print(json.dumps(results["database"]))
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
