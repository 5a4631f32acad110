"""bench/lookup: "find my deputies" look-ups per second, in-process and over HTTP.

Run: .venv/bin/python bench/lookup/run.py

Sets up its own SQLite database in a temporary directory (migrate, the real reference data, then
the demo's full set of boundaries: `demo_data --seed 1`), then measures
  1. the in-memory index: build time (median of BENCH_BUILDS builds);
  2. geometry only: `get_index().area_ids_at` on N deterministic random points inside the regions;
  3. the full look-up in-process, `lookup_point`: cold (the per-process answer cache emptied
     before every call: geometry + 3 queries) and warm (the cache as in production);
  4. over HTTP: GET /api/v1/lookup?lat=..&lon=.. against gunicorn (sync workers; Django's
     runserver when gunicorn is missing) on 127.0.0.1, from a thread pool in this process at
     several concurrencies: requests/s, p50 and p99 latency.
Loopback only; every loop is bounded by a count and a time budget. Writes results.json beside
this file and the table between the lookup markers of bench/README.md.
"""

from __future__ import annotations

import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
README = ROOT / "bench" / "README.md"
BIN = Path(sys.executable).parent

N_POINTS = int(os.environ.get("BENCH_POINTS", "2000"))
BUILDS = int(os.environ.get("BENCH_BUILDS", "3"))
HTTP_REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "2000"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,4,16,64").split(",")]
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
TIME_BUDGET_S = float(os.environ.get("BENCH_TIME_BUDGET_S", "60"))  # per measured run
SEED = 42

VAR = Path(tempfile.mkdtemp(prefix="maslikhat-bench-lookup-"))
ENV = {
    "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
    "MASLIKHAT_VAR_DIR": str(VAR),
    "DATABASE_URL": f"sqlite:///{VAR / 'db.sqlite3'}",
    "DEBUG": "false",  # as in production: no query log, no debug pages
    "LOG_LEVEL": "ERROR",
}
# Before django.setup(): this process and the server see the same temporary database.
os.environ.update(ENV)

Point = tuple[float, float]


def setup_database() -> dict[str, int]:
    from django.core.management import call_command

    from maslikhat.directory.models import Area, Membership

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    call_command("demo_data", seed=1, stdout=io.StringIO())
    return {
        "areas_with_boundary": Area.objects.current().filter(boundary__isnull=False).count(),
        "constituencies": Area.objects.current().filter(kind="constituency").count(),
        "memberships": Membership.objects.current().count(),
    }


def random_points(n: int) -> list[Point]:
    """n points drawn uniformly inside the union of the regions, the same for every run."""
    import numpy as np
    import shapely

    from maslikhat.directory import geo
    from maslikhat.directory.models import Area

    boundaries = Area.objects.filter(kind="region", boundary__isnull=False).values_list("boundary", flat=True)
    regions = [geo.to_shape(b) for b in boundaries if b]
    country = shapely.union_all(regions)
    shapely.prepare(country)
    minx, miny, maxx, maxy = country.bounds
    rng = np.random.default_rng(SEED)
    out: list[Point] = []
    for _ in range(100):  # bounded: each round keeps about half of the candidates
        lon = rng.uniform(minx, maxx, 4 * n)
        lat = rng.uniform(miny, maxy, 4 * n)
        inside = shapely.contains_xy(country, lon, lat)
        out.extend(zip(lat[inside].round(6).tolist(), lon[inside].round(6).tolist(), strict=True))
        if len(out) >= n:
            break
    return out[:n]


def per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def in_process(points: list[Point]) -> dict[str, Any]:
    from maslikhat.directory import lookup

    builds = []
    for _ in range(BUILDS):
        started = time.perf_counter()
        index = lookup.build_index()
        builds.append(time.perf_counter() - started)
    lookup.reset_index()
    index = lookup.get_index()

    started = time.perf_counter()
    hits = sum(len(index.area_ids_at(lat, lon)) for lat, lon in points)
    geometry_s = time.perf_counter() - started

    started = time.perf_counter()
    for lat, lon in points:
        lookup._results.clear()  # cold: the answer is computed from the database every time
        lookup.lookup_point(lat, lon)
    cold_s = time.perf_counter() - started

    # Warm: a first pass fills the answer cache (one entry per set of areas), the second is timed.
    for lat, lon in points:
        lookup.lookup_point(lat, lon)
    reps = 0
    started = time.perf_counter()
    for lat, lon in points:
        reps += len(lookup.lookup_point(lat, lon).representatives)
    warm_s = time.perf_counter() - started

    # The API endpoint without a network: Django's request handling, validation and JSON, warm.
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    started = time.perf_counter()
    for lat, lon in points:
        assert client.get(f"/api/v1/lookup?lat={lat}&lon={lon}").status_code == 200
    endpoint_s = time.perf_counter() - started
    return {
        "areas_indexed": len(index.area_ids),
        "index_build_s": round(statistics.median(builds), 3),
        "geometry_lookups_per_s": per_second(len(points), geometry_s),
        "full_lookups_per_s_cold": per_second(len(points), cold_s),
        "full_lookups_per_s_warm": per_second(len(points), warm_s),
        "endpoint_requests_per_s_warm": per_second(len(points), endpoint_s),
        "mean_areas_per_point": round(hits / len(points), 2),
        "mean_representatives_per_point": round(reps / len(points), 2),
    }


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, **ENV}
    if shutil.which("gunicorn", path=str(BIN)):
        cmd = [
            str(BIN / "gunicorn"),
            "maslikhat.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ]
        server = f"gunicorn, {WORKERS} sync workers"
    else:
        cmd = [str(BIN / "maslikhat"), "runserver", "--noreload", f"127.0.0.1:{PORT}"]
        server = "Django runserver (threaded; gunicorn not installed)"
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while True:
        try:
            ready = f"http://127.0.0.1:{PORT}/api/v1/calendar/working-days?start=2026-01-01&days=1"
            with urllib.request.urlopen(ready, timeout=5):
                return proc, server
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.3)


def lookup_url(lat: float, lon: float) -> str:
    return f"http://127.0.0.1:{PORT}/api/v1/lookup?lat={lat}&lon={lon}"


def get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            status = int(r.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def http_run(points: list[Point], concurrency: int) -> dict[str, Any]:
    urls = [lookup_url(lat, lon) for lat, lon in points]
    deadline = time.monotonic() + TIME_BUDGET_S

    def one(i: int) -> tuple[int, float] | None:
        if time.monotonic() > deadline:
            return None  # over the time budget: the rest are skipped, not sent
        return get(urls[i % len(urls)])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        done = [r for r in pool.map(one, range(HTTP_REQUESTS)) if r is not None]
    elapsed = time.perf_counter() - started
    latencies = sorted(r[1] * 1000 for r in done)
    return {
        "concurrency": concurrency,
        "requests": len(done),
        "ok": sum(1 for r in done if r[0] == 200),
        "requests_per_s": per_second(len(done), elapsed),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
    }


def over_http(points: list[Point]) -> dict[str, Any]:
    proc, server = start_server()
    try:
        # Warm the workers: each builds its index on its first look-up and caches answers per
        # set of areas (per process), so one pass over all the points goes first.
        warm_up = [lookup_url(lat, lon) for lat, lon in points]
        with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
            list(pool.map(get, warm_up))
        runs = []
        for c in CONCURRENCY:
            runs.append(http_run(points, c))
            print("http", json.dumps(runs[-1]), flush=True)
        return {"server": f"{server}, SQLite", "runs": runs}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def machine() -> dict[str, Any]:
    import shapely

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def readme_table(results: dict[str, Any]) -> str:
    p, m, h = results["in_process"], results["machine"], results["http"]
    lines = [
        f"Last run: {results['date']}, {m['cpus']} cores, Python {m['python']}, shapely {m['shapely']}, "
        f"load average {m['load_average_1m']} at start (other work on the machine shows here). "
        f"Data: reference + `demo-data --seed 1` ({results['data']['areas_with_boundary']} areas with "
        f"a boundary, {results['data']['constituencies']} constituencies); {results['points']} random "
        "points inside the regions (seed 42).",
        "",
        "| in-process | figure |",
        "|---|---|",
        f"| index build ({p['areas_indexed']} areas) | {p['index_build_s']} s |",
        f"| geometry only (`get_index().area_ids_at`) | {p['geometry_lookups_per_s']:,} look-ups/s |",
        f"| full `lookup_point`, cold (answer cache emptied each time; 3 queries) | "
        f"{p['full_lookups_per_s_cold']:,} look-ups/s |",
        f"| full `lookup_point`, warm (per-process answer cache, as in production) | "
        f"{p['full_lookups_per_s_warm']:,} look-ups/s |",
        f"| `GET /api/v1/lookup` in-process (Django test client, no network), warm | "
        f"{p['endpoint_requests_per_s_warm']:,} requests/s |",
        f"| areas / representatives per point (mean) | {p['mean_areas_per_point']} / "
        f"{p['mean_representatives_per_point']} |",
        "",
        f"HTTP: `GET /api/v1/lookup`, {h['server']}, clients: a thread pool (urllib) in the bench "
        "process on the same machine, over 127.0.0.1.",
        "",
        "| concurrency | requests | ok | requests/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for r in h["runs"]:
        lines.append(
            f"| {r['concurrency']} | {r['requests']} | {r['ok']} | {r['requests_per_s']} | "
            f"{r['p50_ms']} | {r['p99_ms']} |"
        )
    return "\n".join(lines)


BEGIN, END = "<!-- lookup:results:begin -->", "<!-- lookup:results:end -->"


def update_readme(table: str) -> None:
    """Replace only the text between the lookup markers: other sections belong to other benchmarks."""
    if not README.exists():
        return
    text = README.read_text()
    if BEGIN not in text or END not in text:
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}")


def main() -> None:
    import django

    django.setup()
    try:
        results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
        started = time.perf_counter()
        results["data"] = setup_database()
        print(f"setup {time.perf_counter() - started:.1f} s", json.dumps(results["data"]), flush=True)
        points = random_points(N_POINTS)
        results["points"] = len(points)
        results["in_process"] = in_process(points)
        print("in-process", json.dumps(results["in_process"]), flush=True)
        results["http"] = over_http(points)
        results["machine"]["load_average_1m_end"] = round(os.getloadavg()[0], 2)
        (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        update_readme(readme_table(results))
    finally:
        shutil.rmtree(VAR, ignore_errors=True)


if __name__ == "__main__":
    main()
