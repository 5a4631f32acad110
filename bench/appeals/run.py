"""bench/appeals: concurrent appeal submissions over HTTP, on PostgreSQL and on SQLite.

For each engine (BENCH_ENGINES, default "postgresql,sqlite"): a fresh database with the reference
data (PostgreSQL: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/maslikhat_bench,
recreated, with Redis for cache and broker at BENCH_REDIS_URL, default database 5, flushed before
and after: the emails are queued, no worker runs; SQLite: the embedded default, a file under
var/bench-appeals/, local-memory cache, jobs in-process), gunicorn with BENCH_WORKERS sync workers
serving `bench.http.wsgi` (the product plus the bare /bench-hello view), and wrk (a separate
process, BENCH_WRK_THREADS threads) with `submit.lua`. At each concurrency (BENCH_CONCURRENCY,
default 8,32,64) the bare view runs for BENCH_DURATION_S seconds, then POST /api/v1/appeals
(3 regional maslikhats in turn, distinct valid IINs) for as long, after a warm-up of both.

Then the database is checked against the registration numbers of every 201 (written by the wrk
script): lost = acknowledged but not stored, duplicates, gaps per body and year, and appeals
stored without a 201 (requests cut by wrk at the end of a run: not an error). Loopback only;
every loop is bounded. Writes results.json beside this file and a Markdown table on stdout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
LUA = HERE / "submit.lua"
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maslikhat_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
VAR = Path(os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench-appeals")))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ENGINES = os.environ.get("BENCH_ENGINES", "postgresql,sqlite").split(",")
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "8,32,64").split(",")]
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP_S = int(os.environ.get("BENCH_WARMUP_S", "3"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
N_PAYLOADS = 2000
START_TIMEOUT_S = int(os.environ.get("BENCH_START_TIMEOUT_S", "240"))


def db_url(engine: str) -> str:
    return PG_URL if engine == "postgresql" else f"sqlite:///{VAR / 'db.sqlite3'}"


def env(engine: str) -> dict[str, str]:
    out = {
        **os.environ,
        "DATABASE_URL": db_url(engine),
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "MASLIKHAT_VAR_DIR": str(VAR),
        "DEBUG": "false",
        "APPEAL_SUBMIT_LIMIT_PER_HOUR": "1000000000",
        "APPEAL_ATTEMPT_LIMIT_PER_HOUR": "1000000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }
    if engine == "postgresql":
        out["REDIS_URL"] = REDIS_URL
    else:
        out.pop("REDIS_URL", None)
        out.pop("CELERY_BROKER_URL", None)
    return out


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


REUSE = os.environ.get("BENCH_REUSE_DB", "") == "1"


def reuse_database(engine: str) -> bool:
    """BENCH_REUSE_DB=1: keep a database this bench set up before (migrated, reference data) and
    empty only what submissions write (a migration from scratch takes minutes on a loaded machine)."""
    if not REUSE:
        return False
    try:
        tables = [
            r[0]
            for r in query(
                engine,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                if engine == "postgresql"
                else "SELECT name FROM sqlite_master WHERE type = 'table'",
            )
        ]
    except Exception:  # noqa: BLE001 - no database yet: set it up
        return False
    written = sorted(t for t in tables if t.startswith("appeals_") and t != "appeals_topic") + [
        "core_actionlog"
    ]
    if "appeals_appeal" not in tables or "directory_organization" not in tables:
        return False
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"TRUNCATE {', '.join(written)} RESTART IDENTITY CASCADE")
        flush_redis()
    else:
        import sqlite3

        lite = sqlite3.connect(VAR / "db.sqlite3")
        try:
            for table in written:
                lite.execute(f"DELETE FROM {table}")  # noqa: S608 - names from the schema
            lite.commit()
        finally:
            lite.close()
    return True


def setup_database(engine: str) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    if reuse_database(engine):
        return
    if engine == "postgresql":
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        flush_redis()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{VAR / 'db.sqlite3'}{suffix}").unlink(missing_ok=True)
    for cmd in (["migrate", "-v", "0"], ["load-reference"]):
        subprocess.run(
            [str(BIN / "maslikhat"), *cmd], env=env(engine), check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )


def query(engine: str, sql: str) -> list[tuple[Any, ...]]:
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(PG_URL) as conn:
            return list(conn.execute(sql).fetchall())
    import sqlite3

    lite = sqlite3.connect(VAR / "db.sqlite3")
    try:
        return list(lite.execute(sql).fetchall())
    finally:
        lite.close()


def valid_iin(n: int) -> str:
    """A valid IIN (born 1985-03-15, serial n), with the national checksum."""
    base = [int(c) for c in f"850315{3 + n // 10000 % 2}{n % 10000:04d}"]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(d * w for d, w in zip(base, weights, strict=True)) % 11
        if check != 10:
            return "".join(map(str, base)) + str(check)
    return valid_iin(n + 1)


def request_files(engine: str, tmp: Path) -> tuple[Path, Path]:
    bodies = [
        r[0]
        for r in query(
            engine,
            "SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat' ORDER BY slug LIMIT 3",
        )
    ]
    appeals = tmp / "appeals.txt"
    with appeals.open("w") as f:
        for i in range(N_PAYLOADS):
            payload = {
                "body_id": bodies[i % len(bodies)],
                "kind": "application",
                "topic": "roads",
                "text": f"Benchmark appeal {i}",
                "language": "ru",
                "applicant": {
                    "full_name": "Bench Applicant",
                    "iin": valid_iin(i),
                    "address": "Astana",
                    "phone": "+7 701 234 56 78",
                    "email": "bench@example.org",
                },
            }
            f.write(f"POST\t/api/v1/appeals\t{json.dumps(payload, ensure_ascii=False)}\n")
    hello = tmp / "hello.txt"
    hello.write_text("GET\t/bench-hello\n")
    return hello, appeals


def start_server(engine: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "bench.http.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env(engine),
        cwd=ROOT,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench-hello", timeout=2).read()  # noqa: S310
            time.sleep(WORKERS * 2)  # the other workers finish booting (a loaded machine)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def wrk_run(requests: Path, connections: int, seconds: int, numbers: Path | None = None) -> dict[str, Any]:
    cmd = [
        shutil.which("wrk") or "wrk",
        f"-t{min(WRK_THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{PORT}",
        "--",
        str(requests),
    ]
    if numbers is not None:
        cmd.append(str(numbers))
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 90, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"no summary from wrk: {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "non_2xx": raw["status_errors"],
        "socket_errors": raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"],
    }


def check_database(engine: str, acked: list[str]) -> dict[str, Any]:
    numbers = [r[0] for r in query(engine, "SELECT registration_number FROM appeals_appeal")]
    stored = set(numbers)
    by_prefix: dict[str, list[int]] = {}
    for n in numbers:
        prefix, seq = n.rsplit("-", 1)
        by_prefix.setdefault(prefix, []).append(int(seq))
    return {
        "acknowledged_201": len(acked),
        "stored": len(numbers),
        "lost": len([n for n in acked if n not in stored]),
        "duplicate_numbers": len(numbers) - len(stored) + (len(acked) - len(set(acked))),
        "gaps": sum(max(seqs) - len(seqs) for seqs in by_prefix.values()),
        "stored_without_201": len(stored - set(acked)),
    }


def bench_engine(engine: str) -> dict[str, Any]:
    setup_database(engine)
    out: dict[str, Any] = {"engine": engine, "workers": WORKERS, "runs": []}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        hello, appeals = request_files(engine, tmp)
        server = start_server(engine)
        try:
            wrk_run(hello, 8, WARMUP_S)
            wrk_run(appeals, 8, WARMUP_S, tmp / "warm-")
            for connections in CONCURRENCY:
                h = wrk_run(hello, connections, DURATION_S)
                a = wrk_run(appeals, connections, DURATION_S, tmp / f"numbers-{connections}-")
                run = {
                    "connections": connections,
                    "hello_rps": h["rps"],
                    "appeals_per_second": a["rps"],
                    "ratio_to_hello": round(a["rps"] / h["rps"], 3) if h["rps"] else None,
                    "p50_ms": a["p50_ms"],
                    "p99_ms": a["p99_ms"],
                    "sent": a["requests"],
                    "non_2xx": a["non_2xx"] + h["non_2xx"],
                    "socket_errors": a["socket_errors"] + h["socket_errors"],
                }
                out["runs"].append(run)
                print(json.dumps({"engine": engine, **run}), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
        acked = [n for f in sorted(tmp.glob("*-*")) if f.suffix != ".txt" for n in f.read_text().split()]
    out["database"] = check_database(engine, acked)
    print(json.dumps({"engine": engine, **out["database"]}), flush=True)
    if engine == "postgresql":
        flush_redis()
    return out


def main() -> None:
    load = os.getloadavg()[0]
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "cores": os.cpu_count(),
        "load_average_at_start": round(load, 2),
        "duration_s": DURATION_S,
        "wrk_threads": WRK_THREADS,
        "engines": [],
    }
    for e in ENGINES:
        results["engines"].append(bench_engine(e))
        Path(os.environ.get("BENCH_RESULTS", str(HERE / "results.json"))).write_text(  # after each engine
            json.dumps(results, indent=2) + "\n"
        )
    print(f"\nload average at start {load:.2f}; {WORKERS} gunicorn workers; wrk {WRK_THREADS} threads\n")
    print("| engine | conns | appeals/s | hello/s | ratio | p50 ms | p99 ms | non-2xx | socket errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for e in results["engines"]:
        for r in e["runs"]:
            print(
                f"| {e['engine']} | {r['connections']} | {r['appeals_per_second']} | {r['hello_rps']} | "
                f"{r['ratio_to_hello']} | {r['p50_ms']} | {r['p99_ms']} | {r['non_2xx']} | "
                f"{r['socket_errors']} |"
            )
    for e in results["engines"]:
        print(f"{e['engine']}: {json.dumps(e['database'])}")


if __name__ == "__main__":
    main()
