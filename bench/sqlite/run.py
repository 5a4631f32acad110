"""bench/sqlite: appeal submissions per second on the embedded default, gunicorn + SQLite.

What `make demo` serves, measured: a fresh SQLite file (migrate + the real reference data) in
var/bench-sqlite, gunicorn with the deployment's settings (deploy/gunicorn.conf.py: 2 x cores + 1
sync workers) in the demo's mode (development, DEBUG off, no Redis: local-memory cache, jobs
in-process after commit), WAL and IMMEDIATE transactions with a busy timeout. wrk (bench/http's
Lua script and runner) POSTs appeals with distinct valid IINs to the 20 regional maslikhats at
8, 32 and 64 connections; the reference, measured in the same run at the same connection counts,
is GET /bench-hello (a bare Django view behind the full middleware stack, bench/http/wsgi.py).

Required: 0 errors (no 4xx/5xx, no socket error or timeout) and every 201 stored: the script
compares the access log's 201s with the appeals in the database, writes results.json beside
itself, rewrites only the sqlite section of bench/README.md, and exits 1 when anything failed.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: bench/ importable
from bench.common import free_port, start_gunicorn, stop, update_readme_section  # noqa: E402
from bench.http.run import appeal_payloads, ensure_wrk, statuses_in_log, wrk_run  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench-sqlite"
DB = VAR / "db.sqlite3"
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,32,64").split(",")]
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP_S = int(os.environ.get("BENCH_WARMUP_S", "3"))
N_APPEALS = 2000
WORKERS = (os.cpu_count() or 1) * 2 + 1


def server_env(port: int) -> dict[str, str]:
    drop = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MASLIKHAT_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
            "DATABASE_URL": f"sqlite:///{DB}",
            "MASLIKHAT_VAR_DIR": str(VAR),
            "DEBUG": "false",  # as `make demo` serves
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            # wrk sends from one address: the per-client submission limit is lifted here (the
            # crowd test tests/core/test_demo_server.py uses 40 real client addresses instead)
            "APPEAL_SUBMIT_LIMIT_PER_HOUR": "1000000000",
            "APPEAL_ATTEMPT_LIMIT_PER_HOUR": "1000000000",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "PORT": str(port),
        }
    )
    return env


def setup_database() -> float:
    started = time.perf_counter()
    VAR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    for command in (["migrate", "--verbosity", "0"], ["load-reference"]):
        subprocess.run(  # noqa: S603
            [str(BIN / "maslikhat"), *command],
            env=server_env(0),
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


def db_rows(sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(DB) as conn:
        return conn.execute(sql).fetchall()


def request_files(workdir: Path) -> dict[str, Path]:
    regional = sorted(
        r[0] for r in db_rows("SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat'")
    )
    rows = {
        "hello": ["GET\t/bench-hello"],
        "appeal_submit": [f"POST\t/api/v1/appeals\t{p}" for p in appeal_payloads(N_APPEALS, regional)],
    }
    out = {}
    for name, lines in rows.items():
        path = workdir / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n")
        out[name] = path
    return out


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Last run: {results['date']}, {m['cores']} cores shared by gunicorn and wrk; Python "
        f"{m['python']}, SQLite {m['sqlite']}, load average {m['load_average_1m_start']} at start "
        f"and {m['load_average_1m_end']} at the end. Server: gunicorn {WORKERS} sync workers "
        "(deploy/gunicorn.conf.py, `--max-requests 0`), DEBUG off, no Redis, SQLite in WAL mode with "
        f"IMMEDIATE transactions and a 20 s busy timeout; wrk, 2 threads, {DURATION_S} s per cell after "
        f"a {WARMUP_S} s warm-up. Ratio = appeals/s over hello's requests/s at the same connection count.",
        "",
        "| conns | appeals/s | p50 ms | p99 ms | max ms | hello req/s | ratio to hello | 4xx/5xx "
        "| socket errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        a, h = run["appeal_submit"], run["hello"]
        lines.append(
            f"| {run['connections']} | {a['rps']:,} | {a['p50_ms']:,} | {a['p99_ms']:,} | {a['max_ms']:,} | "
            f"{h['rps']:,} | {run['ratio_to_hello']:.3f} | {a['status_4xx_5xx'] + h['status_4xx_5xx']} | "
            f"{a['socket_errors_and_timeouts'] + h['socket_errors_and_timeouts']} |"
        )
    check = results["check"]
    lines += [
        "",
        f"Status codes in the server's access log over the whole run: {results['access_log_statuses']}; "
        f"appeals accepted (201) {check['accepted']:,}, stored in the database {check['stored']:,}, "
        f"registration numbers distinct {check['distinct_numbers']:,}, gapless per body and year: "
        f"{'yes' if check['gapless'] else 'NO'}.",
    ]
    return "\n".join(lines)


BEGIN, END = "<!-- sqlite:results:begin -->", "<!-- sqlite:results:end -->"
SECTION_HEAD = """## bench/sqlite — appeals on the embedded default

`.venv/bin/python bench/sqlite/run.py` (about two minutes): what `make demo` serves, gunicorn on a
fresh SQLite file, under concurrent appeal submissions (`POST /api/v1/appeals`, distinct valid
IINs, the 20 regional maslikhats in turn) at 8, 32 and 64 connections, with the bare
`/bench-hello` view measured at the same connection counts in the same run as the reference.
0 errors are required; the script also checks that every 201 is stored with a distinct, gapless
number, and exits 1 otherwise. Knobs: `BENCH_CONNECTIONS` (8,32,64), `BENCH_DURATION_S` (10),
`BENCH_WARMUP_S` (3). SQLite takes one writer at a time: the figure is the embedded default's
ceiling for submissions on this machine, not a target for a deployment (PostgreSQL: bench/http).

"""


def gapless(numbers: list[str]) -> bool:
    by_series: dict[str, list[int]] = {}
    for number in numbers:
        series, _, serial = number.rpartition("-")
        by_series.setdefault(series, []).append(int(serial))
    return all(sorted(s) == list(range(1, len(s) + 1)) for s in by_series.values())


def main() -> int:
    wrk = ensure_wrk()
    load_start = round(os.getloadavg()[0], 2)
    setup_s = setup_database()
    print(f"database ready ({setup_s:.0f} s)", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="maslikhat-bench-sqlite-"))
    files = request_files(workdir)
    port = free_port()
    log = VAR / "gunicorn.log"
    server = start_gunicorn(
        app="bench.http.wsgi:application",
        env=server_env(port),
        port=port,
        log=log,
        extra=["--max-requests", "0"],
    )
    runs = []
    try:
        for name in ("hello", "appeal_submit"):
            wrk_run(wrk, port, files[name], 8, WARMUP_S)  # every worker warm
        for connections in CONNECTIONS:
            run: dict[str, Any] = {"connections": connections}
            for name in ("hello", "appeal_submit"):
                run[name] = wrk_run(wrk, port, files[name], connections, DURATION_S)
                print(json.dumps({"endpoint": name, **run[name]}), flush=True)
            hello_rps = run["hello"]["rps"]
            run["ratio_to_hello"] = round(run["appeal_submit"]["rps"] / hello_rps, 4) if hello_rps else 0.0
            runs.append(run)
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
    statuses = statuses_in_log(log)
    numbers = [r[0] for r in db_rows("SELECT registration_number FROM appeals_appeal")]
    accepted = sum(1 for line in log.read_text(errors="replace").splitlines() if _is_accepted(line))
    check = {
        "accepted": accepted,
        "stored": len(numbers),
        "distinct_numbers": len(set(numbers)),
        "gapless": gapless(numbers),
    }
    errors = sum(
        r[name]["status_4xx_5xx"] + r[name]["socket_errors_and_timeouts"]
        for r in runs
        for name in ("hello", "appeal_submit")
    )
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "load_average_1m_start": load_start,
            "load_average_1m_end": round(os.getloadavg()[0], 2),
        },
        "server": f"gunicorn {WORKERS} sync workers, --max-requests 0, DEBUG off, SQLite (WAL, IMMEDIATE)",
        "runs": runs,
        "access_log_statuses": statuses,
        "check": check,
        "errors": errors,
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = render(results)
    print(table)
    update_readme_section(begin=BEGIN, end=END, heading=SECTION_HEAD, table=table)
    stored_all = check["accepted"] == check["stored"] == check["distinct_numbers"]
    ok = errors == 0 and stored_all and check["gapless"]
    if not ok:
        print("FAILED: errors, or accepted appeals that are not all stored with gapless numbers", flush=True)
    return 0 if ok else 1


def _is_accepted(line: str) -> bool:
    if not line.startswith("{") or '"maslikhat.access"' not in line:
        return False
    try:
        data = json.loads(line)
    except ValueError:
        return False
    return (data.get("method"), data.get("path"), data.get("status")) == ("POST", "/api/v1/appeals", 201)


if __name__ == "__main__":
    sys.exit(main())
