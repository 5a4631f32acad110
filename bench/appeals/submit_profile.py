"""bench/appeals/submit_profile.py: one appeal submission through the product's WSGI application, in-process.

Runs `POST /api/v1/appeals` through `bench.http.wsgi.application` (the full middleware stack, the
same entry point gunicorn serves), on the database of DATABASE_URL (migrated, reference data
loaded: run bench/appeals/run.py first or `maslikhat migrate && maslikhat load-reference`), and
reports per submission:

- the SQL statements captured by Django, and the cache (Redis) round-trips;
- the CPU of this process (`time.process_time`, median of BENCH_N submissions) and, on
  PostgreSQL, the CPU of its server backend (utime + stime of `pg_backend_pid()` from /proc,
  the same machine) over the same submissions;
- the same for the bare view /bench-hello, as the reference;
- with `--cprofile`: the top functions by cumulative time (a cProfile over BENCH_N submissions).

Usage: DATABASE_URL=... REDIS_URL=... python bench/appeals/submit_profile.py [--cprofile] [--json]
Run under `valgrind --tool=callgrind` with BENCH_N=1 for instruction counts.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("APPEAL_SUBMIT_LIMIT_PER_HOUR", "1000000000")
os.environ.setdefault("APPEAL_ATTEMPT_LIMIT_PER_HOUR", "1000000000")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "ERROR")

N = int(os.environ.get("BENCH_N", "200"))
WARM = int(os.environ.get("BENCH_WARM", "20"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _iin(n: int) -> str:
    from bench.appeals.run import valid_iin

    return valid_iin(n)


def _environ(method: str, path: str, body: bytes = b"") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class _Call:
    def __init__(self) -> None:
        self.status = ""

    def start_response(self, status: str, headers: list[Any], exc_info: Any = None) -> None:
        self.status = status


def _backend_cpu() -> float | None:
    """Seconds of CPU of this connection's PostgreSQL backend so far (None elsewhere)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _package(filename: str) -> str:
    """The package a profiled function belongs to: django.db / django (the rest), maslikhat.<app>,
    a third-party distribution's top-level name, or the interpreter's."""
    path = filename.replace("\\", "/")
    for marker in ("/site-packages/", "/src/"):
        if marker in path:
            parts = path.split(marker, 1)[1].split("/")
            if parts[0] == "django" and len(parts) > 1 and parts[1] == "db":
                return "django.db"
            if parts[0] == "maslikhat" and len(parts) > 2:
                return f"maslikhat.{parts[1]}"
            return parts[0].removesuffix(".py")
    return "python" if filename.startswith(("/", "<")) else "builtins"


def _by_package(stats: Any) -> dict[str, float]:
    """Self time per package, as a share of the total (cProfile, CPU clock)."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        key = _package(filename)
        totals[key] = totals.get(key, 0.0) + tt
    whole = sum(totals.values()) or 1.0
    return {k: round(v / whole, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])[:16]}


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.http.wsgi import application

    bodies = [
        r[0]
        for r in connection.cursor()
        .execute(
            "SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat' "
            "ORDER BY slug LIMIT 3 OFFSET 3"  # not run.py's three bodies: both may run at once
        )
        .fetchall()
    ]
    counter = [int(time.time()) % 5000]

    def payload() -> bytes:
        counter[0] += 1
        i = counter[0]
        return json.dumps(
            {
                "body_id": bodies[i % len(bodies)],
                "kind": "application",
                "topic": "roads",
                "text": f"Profile appeal {i}",
                "language": "ru",
                "applicant": {
                    "full_name": "Bench Applicant",
                    "iin": _iin(i),
                    "address": "Astana",
                    "phone": "+7 701 234 56 78",
                    "email": "bench@example.org",
                },
            },
            ensure_ascii=False,
        ).encode()

    def submit() -> None:
        call = _Call()
        out = application(_environ("POST", "/api/v1/appeals", payload()), call.start_response)
        b"".join(out)
        if not call.status.startswith("201"):
            raise RuntimeError(f"submission answered {call.status}: {b''.join(out)!r}")

    def hello() -> None:
        call = _Call()
        b"".join(application(_environ("GET", "/bench-hello"), call.start_response))

    redis_calls = [0]
    try:
        import redis.connection

        original = redis.connection.Connection.send_packed_command

        def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
            redis_calls[0] += 1
            return original(self, *args, **kwargs)

        redis.connection.Connection.send_packed_command = counting  # type: ignore[method-assign]
    except ImportError:
        pass

    for _ in range(WARM):
        submit()
        hello()
    # the connection stays open between requests only with CONN_MAX_AGE; keep it for the backend pid
    with CaptureQueriesContext(connection) as captured:
        before = redis_calls[0]
        submit()
        cache_calls = redis_calls[0] - before
    statements = [q["sql"] for q in captured.captured_queries]

    def timed(fn: Any) -> tuple[float, float | None]:
        samples = []
        db0 = _backend_cpu()
        for _ in range(N):
            t = time.process_time()
            fn()
            samples.append(time.process_time() - t)
        db1 = _backend_cpu()
        db = (db1 - db0) / N if db0 is not None and db1 is not None else None
        return statistics.median(samples), db

    hello_cpu, hello_db = timed(hello)
    submit_cpu, submit_db = timed(submit)
    result = {
        "engine": connection.vendor,
        "queries_per_submission": len(statements),
        "cache_round_trips_per_submission": cache_calls,
        "statements": statements,
        "hello_cpu_ms": round(hello_cpu * 1000, 3),
        "submission_app_cpu_ms": round(submit_cpu * 1000, 3),
        "submission_db_cpu_ms": round(submit_db * 1000, 3) if submit_db is not None else None,
        "hello_db_cpu_ms": round(hello_db * 1000, 3) if hello_db is not None else None,
        "n": N,
        "load_average": round(os.getloadavg()[0], 2),
    }
    if "--cprofile" in sys.argv:
        import cProfile
        import pstats

        prof = cProfile.Profile(time.process_time)  # CPU, not waits
        prof.enable()
        for _ in range(N):
            submit()
        prof.disable()
        stream = io.StringIO()
        pstats.Stats(prof, stream=stream).sort_stats("cumulative").print_stats(70)
        print(stream.getvalue())
        stream = io.StringIO()
        stats = pstats.Stats(prof, stream=stream)
        stats.sort_stats("tottime").print_stats(40)
        print(stream.getvalue())
        result["cpu_share_by_package"] = _by_package(stats)
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            if isinstance(v, list):
                for sql in v:
                    print("   ", str(sql)[:160])
            else:
                print(f"{k}: {v}")


if __name__ == "__main__":
    main()
