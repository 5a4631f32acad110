"""bench/http/profile_body.py: the heaviest public page, a maslikhat's body page, rendered without
the page cache, in-process (Django's test client: the full middleware stack, no network), against
the database bench/http/run.py loads (BENCH_DATABASE_URL, default bench_http; run that first or
BENCH_REUSE_DB=1 with the demo in it).

Prints, per body: the server time p50/p90 over BENCH_RENDERS renders after a warm-up (fragments
cached, as in production), its query count, the time spent in SQL and in templates; then the
cProfile of a batch of renders (top functions by cumulative time). `--cold` clears the fragment
cache before each render (the figures and maps rebuilt every time).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_http")
RENDERS = int(os.environ.get("BENCH_RENDERS", "40"))
BODIES = int(os.environ.get("BENCH_BODIES", "5"))


def main() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
            "DATABASE_URL": DB_URL,
            "DEBUG": "false",
            "PAGE_CACHE_ENABLED": "false",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from maslikhat.directory.models import Organization

    settings.ALLOWED_HOSTS = ["*"]
    cold = "--cold" in sys.argv
    bodies = Organization.objects.filter(kind__endswith="maslikhat").order_by("id")
    ids = list(bodies.values_list("id", flat=True))[:BODIES]
    client = Client()
    all_times: list[float] = []
    for pk in ids:
        url = f"/en/bodies/{pk}/"
        assert client.get(url).status_code == 200
        times = []
        sql_ms = []
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        n_queries = len(queries)
        for _ in range(RENDERS):
            if cold:
                caches["pages"].clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as q:
                response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            sql_ms.append(sum(float(x["time"]) for x in q.captured_queries) * 1000)
            assert response.status_code == 200
        all_times += times
        times.sort()
        print(
            f"body {pk}: p50 {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms, "
            f"{n_queries} queries, SQL {statistics.median(sql_ms):.1f} ms"
        )
    print(f"all bodies: p50 {statistics.median(all_times):.1f} ms over {len(all_times)} renders")
    profile = cProfile.Profile()
    profile.enable()
    for pk in ids:
        for _ in range(10):
            client.get(f"/en/bodies/{pk}/")
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue())


if __name__ == "__main__":
    main()
