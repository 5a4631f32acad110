"""One look-up request end to end: the product's WSGI application (bench.http.wsgi, full middleware,
DEBUG off, the cache on Redis) called in-process, no network, no gunicorn, next to the bare view
GET /bench-hello through the same application.

Run (on a database bench/lookup/run.py has filled; it is not recreated):
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lookup \
        .venv/bin/python bench/lookup/profile_wsgi.py [cpu|profile|count KIND N]

  cpu (default): CPU time (time.process_time) per request of hello and of the look-up over the
      same random points as run.py, in alternating blocks (BENCH_ROUNDS rounds of BENCH_PROFILED
      requests each); the ratio hello / look-up is what compares across runs; and the queries
      the look-ups ran after the warm-up (none expected).
  profile: the same look-ups under cProfile: the functions by total and by own time.
  count KIND N: warm up, then N requests of KIND (hello or lookup) and nothing else. For
      instruction counts that do not depend on the machine's other load, under valgrind:
          valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p python profile_wsgi.py count lookup 0
          valgrind --tool=callgrind ... count lookup 400
      (instructions per request = the difference of the totals / 400).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_lookup"
)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")
N_POINTS = int(os.environ.get("BENCH_POINTS", "2000"))
N_PROFILED = int(os.environ.get("BENCH_PROFILED", "500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def environ(path: str, query: str = "") -> dict[str, Any]:
    """What gunicorn hands the application for a GET from wrk (Host header only)."""
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app: App, env: dict[str, Any]) -> int:
    status: list[str] = []

    def start_response(s: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(s)

    env["wsgi.input"] = io.BytesIO(b"")
    result = app(env, start_response)
    try:
        for _chunk in result:
            pass
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()  # request_finished: what gunicorn does after each response
    return int(status[0].split()[0])


def setup() -> tuple[App, list[dict[str, Any]], dict[str, Any]]:
    import django

    django.setup()
    import shutil

    from bench.http.wsgi import HELLO_PATH, application
    from bench.lookup.run import VAR, random_points

    shutil.rmtree(VAR, ignore_errors=True)  # run.py's temporary directory: unused here
    points = random_points(N_POINTS)
    lookups = [environ("/api/v1/lookup", f"lat={lat}&lon={lon}") for lat, lon in points]
    hello = environ(HELLO_PATH)
    # warm: the index, the snapshot, every lazy import on both paths
    for env in lookups[:50]:
        assert call(application, env) == 200
    for _ in range(50):
        assert call(application, hello) == 200
    return application, lookups, hello


def cpu() -> None:
    from django.db import connections

    app, lookups, hello = setup()
    queries = {"n": 0}

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries["n"] += 1
        return execute(sql, params, many, context)

    sample = lookups[:N_PROFILED]
    hello_ms: list[float] = []
    lookup_ms: list[float] = []
    statuses: dict[int, int] = {}
    wrappers = [c.execute_wrapper(counted) for c in connections.all()]
    for w in wrappers:
        w.__enter__()
    try:
        for _ in range(ROUNDS):
            started = time.process_time()
            for _i in range(len(sample)):
                call(app, hello)
            hello_ms.append((time.process_time() - started) / len(sample) * 1000)
            started = time.process_time()
            for env in sample:
                status = call(app, env)
                statuses[status] = statuses.get(status, 0) + 1
            lookup_ms.append((time.process_time() - started) / len(sample) * 1000)
    finally:
        for w in wrappers:
            w.__exit__(None, None, None)
    h, lk = statistics.median(hello_ms), statistics.median(lookup_ms)
    print(f"load average at start {os.getloadavg()[0]:.2f}; {ROUNDS} rounds of {len(sample)} requests each")
    print(f"hello:   {h:.3f} ms CPU per request (rounds: {', '.join(f'{x:.3f}' for x in hello_ms)})")
    print(f"look-up: {lk:.3f} ms CPU per request (rounds: {', '.join(f'{x:.3f}' for x in lookup_ms)})")
    print(
        f"ratio hello / look-up (CPU): {h / lk:.3f}; statuses {statuses}; "
        f"queries after warm-up: {queries['n']}"
    )


def profile() -> None:
    """cProfile of the look-ups (warm: each point answered once before), then of as many
    hellos, then the functions whose own time differs most between the two."""
    app, lookups, hello = setup()
    sample = lookups[:N_PROFILED]
    for env in sample:
        call(app, env)
    stats = {}
    for kind, envs in (("lookup", sample), ("hello", [hello] * len(sample))):
        profiler = cProfile.Profile()
        profiler.enable()
        for env in envs:
            call(app, env)
        profiler.disable()
        stats[kind] = pstats.Stats(profiler)
        if kind == "lookup":
            for order, n in (("cumulative", 60), ("tottime", 40)):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(n)
                print(out.getvalue())
    own = {k: {f: v[2] for f, v in s.stats.items()} for k, s in stats.items()}  # type: ignore[attr-defined]
    diff = sorted(((t - own["hello"].get(f, 0.0), f) for f, t in own["lookup"].items()), reverse=True)
    total = {k: sum(v.values()) for k, v in own.items()}
    print(f"own time, look-up {total['lookup']:.3f} s, hello {total['hello']:.3f} s; largest differences:")
    for d, (file, line, name) in diff[:45]:
        print(f"{d * 1000 / len(sample):8.4f} ms/request  {file}:{line}({name})")


def count(kind: str, n: int) -> None:
    app, lookups, hello = setup()
    for i in range(n):
        call(app, hello if kind == "hello" else lookups[i % len(lookups)])


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "cpu"
    if mode == "profile":
        profile()
    elif mode == "count":
        count(sys.argv[2], int(sys.argv[3]))
    else:
        cpu()
