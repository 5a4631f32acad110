"""Where a look-up's time goes, on a database bench/lookup/run.py has filled (it is not recreated).

Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lookup \
    .venv/bin/python bench/lookup/profile_lookup.py

Prints, for the same random points as run.py (seed 42) (bench/lookup/profile_wsgi.py profiles
the whole request, middleware and API included):
  - how many distinct sets of containing areas the points give against the number of areas (each
    set's representatives are kept with the snapshot, `Snapshot.represented`);
  - the build of the who-represents-what snapshot split into SQL time (measured around every
    query with connection.execute_wrapper) and Python time, and its queries;
  - the look-ups against the snapshot (queries per look-up: none expected) and the top functions
    of a cProfile of them.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_lookup"
)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")
N_POINTS = int(os.environ.get("BENCH_POINTS", "2000"))
N_PROFILED = int(os.environ.get("BENCH_PROFILED", "300"))


def main() -> None:
    import django

    django.setup()
    import shutil

    from django.db import connection

    from bench.lookup.run import VAR, random_points

    shutil.rmtree(VAR, ignore_errors=True)  # run.py's temporary directory: unused here
    from maslikhat.directory import lookup

    points = random_points(N_POINTS)
    index = lookup.get_index()
    sets = [tuple(sorted(index.area_ids_at(lat, lon))) for lat, lon in points]
    per_area = Counter(a for s in sets for a in s)
    print(
        f"{len(points)} points: {len(set(sets))} distinct answers (sets of areas), "
        f"{len(per_area)} distinct areas; mean areas per point {sum(map(len, sets)) / len(sets):.2f}"
    )

    sql = {"n": 0, "s": 0.0}

    def timed(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["n"] += 1
            sql["s"] += time.perf_counter() - started

    sample = points[:N_PROFILED]
    with connection.execute_wrapper(timed):
        lookup._snapshots.clear()
        started = time.perf_counter()
        lookup.lookup_point(*sample[0])
        build = time.perf_counter() - started
        print(
            f"snapshot build: {build * 1000:.0f} ms; {sql['n']} queries, SQL {sql['s'] * 1000:.0f} ms, "
            f"Python {(build - sql['s']) * 1000:.0f} ms"
        )
        sql.update(n=0, s=0.0)
        started = time.perf_counter()
        for lat, lon in sample:
            lookup.lookup_point(lat, lon)
        total = time.perf_counter() - started
    n = len(sample)
    each = total / n * 1000
    print(f"look-up against the snapshot: {each:.2f} ms each ({n / total:.1f}/s); {sql['n']} queries")

    profiler = cProfile.Profile()
    profiler.enable()
    for lat, lon in sample:
        lookup.lookup_point(lat, lon)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    print(out.getvalue())


if __name__ == "__main__":
    main()
