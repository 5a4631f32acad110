"""bench/lookup: "find my deputies" at the scale of the whole country, in-process and over HTTP.

Run: .venv/bin/python bench/lookup/run.py

Data: its own PostgreSQL database (BENCH_DATABASE_URL, default `bench_lookup`, recreated unless
BENCH_REUSE_DB=1 finds it filled): migrate, `load-reference` (the real country: regions,
districts and cities with their boundaries, rural okrugs and settlements), then the demo's
constituencies inside every real maslikhat (`demo-data --seed 1`). Then it measures
  1. the in-memory index: build time (median of BENCH_BUILDS builds) and what it adds to this
     process's resident memory;
  2. geometry only: `get_index().area_ids_at` on N deterministic random points inside the regions;
  3. the full look-up in-process, `lookup_point`: the snapshot of who represents which area
     (read for the whole country in 3 queries, kept per process until the directory changes)
     built from the database (median of BENCH_BUILDS builds, with its resident memory), then
     look-ups against it (geometry + dictionaries, no query), as in production;
  4. the endpoint in-process (Django's test client: middleware, validation, JSON; no network);
  5. over HTTP: GET /api/v1/lookup against gunicorn with the deployment's settings
     (deploy/gunicorn.conf.py, DEBUG off, Redis), loaded by wrk (a second process,
     bench/http/requests.lua) at several connection counts, each next to the bare-Django
     reference GET /bench-hello (bench/http/wsgi.py) measured in the same run: the ratio is the
     figure to compare across runs on a shared machine; and the server's CPU per request of
     each cell (the workers' utime + stime from /proc over the requests wrk counted);
  6. the resident memory (RSS) of each server worker at boot and after the warm-up.
Loopback only; every run is bounded by time. Writes results.json beside this file and rewrites
only the text between the lookup markers of bench/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: bench/ importable
from bench.common import free_port, start_gunicorn, stop, update_readme_section  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "http" / "requests.lua"

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_lookup")
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
REUSE_DB = os.environ.get("BENCH_REUSE_DB", "") == "1"
N_POINTS = int(os.environ.get("BENCH_POINTS", "2000"))
BUILDS = int(os.environ.get("BENCH_BUILDS", "3"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,16,32,64").split(",")]
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP_S = int(os.environ.get("BENCH_WARMUP_S", "20"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
SEED = 42
START_TIMEOUT_S = int(os.environ.get("BENCH_START_TIMEOUT_S", "180"))

# The figure this benchmark must not fall below: the look-up in bench/http on 2026-11-29
# (commit 337ce8e), same stack (gunicorn 5 sync workers, PostgreSQL, Redis, wrk 2 threads, 10 s),
# when the directory held the 20 regions and the demo's 469 invented constituencies (496 areas
# with a boundary).
PREVIOUS: dict[str, Any] = {
    "source": "bench/http/results.json of 2026-11-29 (commit 337ce8e), load average 0.65 at start",
    "areas_with_boundary": 496,
    "runs": {
        8: {"rps": 379.2, "hello_rps": 2331.3, "ratio_to_hello": 0.163},
        32: {"rps": 898.6, "hello_rps": 2211.0, "ratio_to_hello": 0.406},
        128: {"rps": 1063.5, "hello_rps": 2234.5, "ratio_to_hello": 0.476},
    },
}

VAR = Path(tempfile.mkdtemp(prefix="maslikhat-bench-lookup-"))


def server_env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "DATABASE_URL": DB_URL,
        "MASLIKHAT_VAR_DIR": str(VAR),
        "DEBUG": "false",  # as in production: no query log, no debug pages
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # a worker's first look-up builds its index and snapshot (about 2 s idle, over 30 s on a
        # loaded machine): not a hung worker
        "GUNICORN_TIMEOUT": os.environ.get("BENCH_GUNICORN_TIMEOUT", "300"),
    }


Point = tuple[float, float]


# ------------------------------------------------------------------ setup


def database_ready() -> bool:
    try:
        with psycopg.connect(DB_URL) as conn:
            row = conn.execute(
                "SELECT count(*) FROM directory_area WHERE kind = 'constituency' AND boundary IS NOT NULL"
            ).fetchone()
            return bool(row and row[0] > 1000)
    except psycopg.Error:
        return False


def setup_database() -> dict[str, float]:
    """Recreate the database and load the country and the demo's constituencies: seconds per step."""
    if REUSE_DB and database_ready():
        return {}
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    steps = {}
    for step, args in (
        ("migrate", ["migrate", "-v0"]),
        ("load_reference", ["load-reference"]),
        ("demo_data", ["demo-data", "--seed", "1"]),
    ):
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [str(BIN / "maslikhat"), *args],
            env=server_env(0),
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        steps[step] = round(time.perf_counter() - started, 1)
    return steps


def data_counts() -> dict[str, Any]:
    from django.db.models import Count

    from maslikhat.directory.models import Area, Membership

    with_boundary = Area.objects.current().filter(boundary__isnull=False)
    return {
        "areas": Area.objects.current().count(),
        "areas_with_boundary": with_boundary.count(),
        "areas_with_boundary_by_kind": dict(
            sorted(with_boundary.order_by().values_list("kind").annotate(n=Count("id")))
        ),
        "memberships": Membership.objects.current().count(),
    }


def random_points(n: int) -> list[Point]:
    """n points drawn uniformly inside the union of the regions, the same for every run."""
    import numpy as np
    import shapely

    from maslikhat.directory import geo
    from maslikhat.directory.models import Area

    boundaries = Area.objects.filter(kind="region", boundary__isnull=False).values_list("boundary", flat=True)
    country = shapely.union_all([geo.to_shape(b) for b in boundaries if b])
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


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# ------------------------------------------------------------------ in-process


def in_process(points: list[Point]) -> dict[str, Any]:
    import gc

    from maslikhat.directory import lookup

    builds = []
    for _ in range(BUILDS):
        started = time.perf_counter()
        index = lookup.build_index()
        builds.append(time.perf_counter() - started)
    del index
    lookup.reset_index()
    gc.collect()
    rss_before = rss_mb()
    index = lookup.get_index()
    rss_index = rss_mb()

    started = time.perf_counter()
    hits = sum(len(index.area_ids_at(lat, lon)) for lat, lon in points)
    geometry_s = time.perf_counter() - started

    snapshot_builds = []
    for _ in range(BUILDS):
        lookup._snapshots.clear()
        gc.collect()
        rss_before_snapshot = rss_mb()
        started = time.perf_counter()
        lookup.lookup_point(*points[0])  # builds the snapshot for today
        snapshot_builds.append(time.perf_counter() - started)
    snapshot_rss = rss_mb() - rss_before_snapshot
    snapshot = next(iter(lookup._snapshots.values()))
    snapshot_memberships = (
        sum(map(len, snapshot.deputies_of_post_area.values()))
        + sum(map(len, snapshot.chairs_of.values()))
        + sum(map(len, snapshot.senators_of.values()))
    )

    # Look-ups against the snapshot: a first pass warms the process, the second is timed.
    for lat, lon in points:
        lookup.lookup_point(lat, lon)
    reps = 0
    started = time.perf_counter()
    for lat, lon in points:
        reps += len(lookup.lookup_point(lat, lon).representatives)
    warm_s = time.perf_counter() - started

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    started = time.perf_counter()
    for lat, lon in points:  # the first pass also makes each item's JSON (kept with the snapshot)
        assert client.get(f"/api/v1/lookup?lat={lat}&lon={lon}").status_code == 200
    endpoint_first_s = time.perf_counter() - started
    started = time.perf_counter()
    for lat, lon in points:
        assert client.get(f"/api/v1/lookup?lat={lat}&lon={lon}").status_code == 200
    endpoint_s = time.perf_counter() - started
    return {
        "areas_indexed": len(index.area_ids),
        "index_build_s": round(statistics.median(builds), 3),
        "index_builds_s": [round(b, 3) for b in builds],
        "index_rss_mb": round(rss_index - rss_before, 1),
        "geometry_lookups_per_s": per_second(len(points), geometry_s),
        "snapshot_build_s": round(statistics.median(snapshot_builds), 3),
        "snapshot_builds_s": [round(b, 3) for b in snapshot_builds],
        "snapshot_rss_mb": round(snapshot_rss, 1),
        "snapshot_areas": len(snapshot.areas),
        "snapshot_memberships": snapshot_memberships,
        "full_lookups_per_s_warm": per_second(len(points), warm_s),
        "endpoint_requests_per_s_first_pass": per_second(len(points), endpoint_first_s),
        "endpoint_requests_per_s_warm": per_second(len(points), endpoint_s),
        "mean_areas_per_point": round(hits / len(points), 2),
        "mean_representatives_per_point": round(reps / len(points), 2),
    }


# ------------------------------------------------------------------ HTTP


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


def wrk_run(wrk: str, port: int, requests: Path, connections: int, seconds: int) -> dict[str, Any]:
    load = round(os.getloadavg()[0], 2)
    cmd = [
        wrk,
        f"-t{min(WRK_THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "15s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(requests),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True)  # noqa: S603
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
        "status_4xx_5xx": raw["status_errors"],
        "socket_errors_and_timeouts": raw["connect_errors"]
        + raw["read_errors"]
        + raw["write_errors"]
        + raw["timeouts"],
        "load_average_1m_before": load,
    }


def start_server(port: int) -> subprocess.Popen[bytes]:
    """gunicorn as bench/common.start_gunicorn starts it, waited for up to BENCH_START_TIMEOUT_S
    (a loaded machine boots five workers slowly); no recycling during the run (see bench/http)."""
    return start_gunicorn(
        app="bench.http.wsgi:application",
        env=server_env(port),
        port=port,
        log=VAR / "gunicorn.log",
        extra=["--max-requests", "0"],
        timeout_s=START_TIMEOUT_S,
    )


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(p) for p in children)


def workers_cpu_s(master: int) -> float:
    """User + system CPU seconds the server's workers have used so far (/proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in worker_pids(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def timed_cell(
    wrk: str, port: int, requests: Path, connections: int, seconds: int, master: int
) -> dict[str, Any]:
    """One wrk cell, with the workers' CPU time per request it cost (the server's side only)."""
    before = workers_cpu_s(master)
    cell = wrk_run(wrk, port, requests, connections, seconds)
    used = workers_cpu_s(master) - before
    cell["server_cpu_ms_per_request"] = round(used * 1000 / cell["requests"], 3) if cell["requests"] else 0.0
    return cell


def workers_rss(master: int) -> dict[str, Any]:
    values = [rss_mb(pid) for pid in worker_pids(master)]
    return {
        "workers": len(values),
        "median_mb": round(statistics.median(values), 1) if values else 0.0,
        "max_mb": max(values, default=0.0),
        "master_mb": rss_mb(master),
    }


def over_http(points: list[Point]) -> dict[str, Any]:
    import redis

    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="maslikhat-bench-lookup-wrk-"))
    lookup_file = workdir / "lookup.txt"
    lookup_file.write_text("".join(f"GET\t/api/v1/lookup?lat={lat}&lon={lon}\n" for lat, lon in points))
    hello_file = workdir / "hello.txt"
    hello_file.write_text("GET\t/bench-hello\n")
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    server = start_server(port)
    try:
        rss_boot = workers_rss(server.pid)
        # Warm every worker: each builds its index on its first look-up and caches answers per set
        # of areas for 60 s; 20 s at 16 connections shows each worker most of the points.
        wrk_run(wrk, port, hello_file, 8, 2)
        warm = wrk_run(wrk, port, lookup_file, 16, WARMUP_S)
        rss_warm = workers_rss(server.pid)
        runs = []
        for connections in CONNECTIONS:  # the reference next to each look-up run, same moment
            hello = timed_cell(wrk, port, hello_file, connections, DURATION_S, server.pid)
            run = timed_cell(wrk, port, lookup_file, connections, DURATION_S, server.pid)
            run["hello_rps"] = hello["rps"]
            run["hello_server_cpu_ms_per_request"] = hello["server_cpu_ms_per_request"]
            run["hello_p50_ms"] = hello["p50_ms"]
            run["ratio_to_hello"] = round(run["rps"] / hello["rps"], 3) if hello["rps"] else 0.0
            runs.append(run)
            print("http", json.dumps(run), flush=True)
        rss_end = workers_rss(server.pid)
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
        redis.Redis.from_url(REDIS_URL).flushdb()
    return {
        "server": f"gunicorn, {rss_boot['workers']} sync workers "
        "(deploy/gunicorn.conf.py, --max-requests 0), "
        "PostgreSQL, Redis, DEBUG off",
        "load_generator": f"wrk, {WRK_THREADS} threads, {DURATION_S} s per cell, "
        "hello then look-up at each count",
        "warm_up": {"seconds": WARMUP_S, "connections": 16, "rps": warm["rps"]},
        "rss": {"boot": rss_boot, "after_warm_up": rss_warm, "end": rss_end},
        "runs": runs,
    }


# ------------------------------------------------------------------ report


def machine() -> dict[str, Any]:
    import shapely

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def comparison(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    now = {r["connections"]: r for r in runs}
    out = []
    for conns, before in PREVIOUS["runs"].items():
        if conns in now:
            out.append(
                {
                    "connections": conns,
                    "rps_before": before["rps"],
                    "rps_now": now[conns]["rps"],
                    "ratio_before": before["ratio_to_hello"],
                    "ratio_now": now[conns]["ratio_to_hello"],
                }
            )
    return out


def readme_table(results: dict[str, Any]) -> str:
    p, m, h, d = results["in_process"], results["machine"], results["http"], results["data"]
    kinds = ", ".join(f"{n:,} {k}" for k, n in d["areas_with_boundary_by_kind"].items())
    rss = h["rss"]
    lines = [
        f"Last run: {results['date']}, {m['cpus']} cores shared by the bench, gunicorn, PostgreSQL, Redis "
        f"and wrk; Python {m['python']}, shapely {m['shapely']}; load average {m['load_average_1m']} at "
        f"start, {m['load_average_1m_end']} at the end (per HTTP cell in results.json). Data: "
        f"`load-reference` + `demo-data --seed 1` on PostgreSQL: {d['areas']:,} areas in force, "
        f"{d['areas_with_boundary']:,} with a boundary ({kinds}); {results['points']} random points "
        "inside the regions (seed 42).",
        "",
        "| in-process (PostgreSQL) | figure |",
        "|---|---|",
        f"| index build ({p['areas_indexed']:,} areas; median of {len(p['index_builds_s'])}) | "
        f"{p['index_build_s']} s |",
        f"| resident memory the index adds to a process | {p['index_rss_mb']} MB |",
        f"| geometry only (`get_index().area_ids_at`) | {p['geometry_lookups_per_s']:,} look-ups/s |",
        f"| who-represents-what snapshot: build (3 queries, median of {len(p['snapshot_builds_s'])}); "
        f"memory; size | {p['snapshot_build_s']} s; +{p['snapshot_rss_mb']} MB; "
        f"{p['snapshot_areas']:,} areas, {p['snapshot_memberships']:,} memberships |",
        f"| full `lookup_point` against the snapshot (no query, as in production) | "
        f"{p['full_lookups_per_s_warm']:,} look-ups/s |",
        f"| `GET /api/v1/lookup` in-process (Django test client, no network), warm | "
        f"{p['endpoint_requests_per_s_warm']:,} requests/s |",
        f"| areas / representatives per point (mean), {results['points']} points | "
        f"{p['mean_areas_per_point']} / {p['mean_representatives_per_point']} |",
        "",
        f"HTTP: `GET /api/v1/lookup`, {h['server']}; {h['load_generator']}; "
        f"warm-up {h['warm_up']['seconds']} s "
        f"at 16 connections. Ratio = look-up requests/s over `/bench-hello`'s (bare Django view, full "
        "middleware) measured just before it.",
        "",
        "| conns | requests/s | p50 ms | p99 ms | hello req/s | ratio to hello | server CPU ms per "
        "look-up / hello | 4xx/5xx | socket errors | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in h["runs"]:
        lines.append(
            f"| {r['connections']} | {r['rps']:,} | {r['p50_ms']:,} | {r['p99_ms']:,} | {r['hello_rps']:,} | "
            f"{r['ratio_to_hello']:.3f} | {r.get('server_cpu_ms_per_request', 0):.3f} / "
            f"{r.get('hello_server_cpu_ms_per_request', 0):.3f} | {r['status_4xx_5xx']} | "
            f"{r['socket_errors_and_timeouts']} | {r['load_average_1m_before']} |"
        )
    lines += [
        "",
        f"Resident memory (RSS) per server worker: {rss['boot']['median_mb']} MB at boot (median of "
        f"{rss['boot']['workers']}), {rss['after_warm_up']['median_mb']} MB after the warm-up (max "
        f"{rss['after_warm_up']['max_mb']}), {rss['end']['median_mb']} MB at the end "
        f"(max {rss['end']['max_mb']}); "
        f"master {rss['boot']['master_mb']} MB.",
    ]
    if results["comparison"]:
        lines += [
            "",
            f"Against the previous figure ({PREVIOUS['source']}; "
            f"{PREVIOUS['areas_with_boundary']} areas with "
            "a boundary):",
            "",
            "| conns | requests/s before | requests/s now | ratio to hello before | ratio now |",
            "|---|---|---|---|---|",
        ]
        for c in results["comparison"]:
            lines.append(
                f"| {c['connections']} | {c['rps_before']:,} | {c['rps_now']:,} | {c['ratio_before']:.3f} | "
                f"{c['ratio_now']:.3f} |"
            )
    return "\n".join(lines)


BEGIN, END = "<!-- lookup:results:begin -->", "<!-- lookup:results:end -->"


def main() -> None:
    os.environ.update({k: v for k, v in server_env(0).items() if k != "GUNICORN_BIND"})
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    try:
        results["setup_s"] = setup_database()
        import django

        django.setup()
        results["data"] = data_counts()
        print("setup", json.dumps(results["setup_s"]), json.dumps(results["data"]), flush=True)
        points = random_points(N_POINTS)
        results["points"] = len(points)
        results["in_process"] = in_process(points)
        print("in-process", json.dumps(results["in_process"]), flush=True)
        from django.db import connections

        connections.close_all()
        results["http"] = over_http(points)
        results["comparison"] = comparison(results["http"]["runs"])
        results["previous"] = PREVIOUS
        results["machine"]["load_average_1m_end"] = round(os.getloadavg()[0], 2)
        (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        table = readme_table(results)
        print(table)
        update_readme_section(begin=BEGIN, end=END, heading="## bench/lookup\n\n", table=table)
    finally:
        shutil.rmtree(VAR, ignore_errors=True)


if __name__ == "__main__":
    main()
