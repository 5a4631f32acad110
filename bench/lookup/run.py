"""bench/lookup: "find my deputies" look-ups per second, in-process and over HTTP.

Sets up its own SQLite database in a temporary directory with the real reference data and the
demo's full set of boundaries (20 regions, ~450 constituencies, 6 district maslikhats), then:
  1. builds the in-memory index (time);
  2. geometry only: index.area_ids_at for N random points inside Kazakhstan;
  3. full look-up in-process: lookup_point (geometry + 3 database queries);
  4. over HTTP: GET /api/v1/lookup from a thread pool against gunicorn on 127.0.0.1.
Bounded loops, loopback only. Writes results.json beside this file.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
VAR = Path(tempfile.mkdtemp(prefix="maslikhat-bench-lookup-"))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
N_POINTS = int(os.environ.get("BENCH_POINTS", "2000"))
HTTP_REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "1000"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,8,32").split(",")]
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "MASLIKHAT_VAR_DIR": str(VAR),
        "LOG_LEVEL": "ERROR",
    }
)
os.environ.pop("DATABASE_URL", None)


def setup() -> None:
    for cmd in (["migrate", "-v", "0"], ["load-reference"], ["demo-data", "--seed", "1"]):
        subprocess.run([str(BIN / "maslikhat"), *cmd], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def points(n: int) -> list[tuple[float, float]]:
    import shapely

    from maslikhat.directory import geo
    from maslikhat.directory.models import Area

    rng = random.Random(42)
    regions = [geo.to_shape(a.boundary) for a in Area.objects.filter(kind="region") if a.boundary]
    country = shapely.union_all(regions)
    shapely.prepare(country)
    minx, miny, maxx, maxy = country.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if country.contains(shapely.Point(lon, lat)):
            out.append((lat, lon))
    return out


def in_process(pts: list[tuple[float, float]]) -> dict[str, Any]:
    from maslikhat.directory.lookup import build_index, get_index, lookup_point, reset_index

    started = time.perf_counter()
    index = build_index()
    build_s = time.perf_counter() - started
    reset_index()
    get_index()
    started = time.perf_counter()
    hits = sum(len(index.area_ids_at(lat, lon)) for lat, lon in pts)
    geometry_s = time.perf_counter() - started
    started = time.perf_counter()
    reps = sum(len(lookup_point(lat, lon).representatives) for lat, lon in pts)
    full_s = time.perf_counter() - started
    return {
        "areas_indexed": len(index.area_ids),
        "index_build_s": round(build_s, 3),
        "geometry_lookups_per_s": round(len(pts) / geometry_s),
        "full_lookups_per_s": round(len(pts) / full_s),
        "mean_areas_per_point": round(hits / len(pts), 2),
        "mean_representatives_per_point": round(reps / len(pts), 2),
    }


def http(pts: list[tuple[float, float]]) -> list[dict[str, Any]]:
    server = subprocess.Popen(
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
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{PORT}/api/v1/lookup?lat=51.1&lon=71.4", timeout=5
                ).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

        def one(i: int) -> tuple[int, float]:
            lat, lon = pts[i % len(pts)]
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(  # noqa: S310
                    f"http://127.0.0.1:{PORT}/api/v1/lookup?lat={lat}&lon={lon}", timeout=30
                ) as r:
                    r.read()
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            return status, time.perf_counter() - started

        runs = []
        for c in CONCURRENCY:
            for i in range(WORKERS * 4):  # warm every worker's index
                one(i)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=c) as pool:
                results = list(pool.map(one, range(HTTP_REQUESTS)))
            elapsed = time.perf_counter() - started
            lat_ms = sorted(r[1] * 1000 for r in results)
            runs.append(
                {
                    "concurrency": c,
                    "requests": len(results),
                    "ok": sum(1 for r in results if r[0] == 200),
                    "requests_per_s": round(len(results) / elapsed, 1),
                    "p50_ms": round(statistics.median(lat_ms), 1),
                    "p99_ms": round(lat_ms[min(len(lat_ms) - 1, int(len(lat_ms) * 0.99))], 1),
                }
            )
            print(json.dumps(runs[-1]))
        return runs
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    setup()
    import django

    django.setup()
    pts = points(N_POINTS)
    results: dict[str, Any] = {"points": N_POINTS, "in_process": in_process(pts)}
    print(json.dumps(results["in_process"]))
    results["http"] = {"server": f"gunicorn, {WORKERS} sync workers, SQLite", "runs": http(pts)}
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    import urllib.error  # noqa: F401 - used in one()

    main()
