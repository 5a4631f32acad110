"""bench/http: the site's main endpoints over HTTP, gunicorn + PostgreSQL + Redis, loaded by wrk.

Creates its own database (bench_http on the PostgreSQL of BENCH_DATABASE_URL), loads the demo into
it (`maslikhat demo-setup --seed 1`), starts gunicorn with the deployment's settings
(deploy/gunicorn.conf.py: 2 x cores + 1 sync workers, max_requests 2000) on a free loopback port,
in production-like settings (DEBUG off, Redis cache, cached_db sessions and Celery broker, JSON
access log), and drives each endpoint with `wrk` (a second process; installed from Debian if
missing) at several connection counts. The reference ceiling is GET /bench-hello, a bare Django
view behind the full middleware stack, served by bench/http/wsgi.py only for this benchmark.

Loopback only; every run is bounded by time. Writes results.json beside this file and rewrites
only the text between the http markers of bench/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: bench/ importable
from bench.common import (  # noqa: E402
    free_port,
    start_gunicorn,
    stop,
    update_readme_section,
    valid_iins,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
README = ROOT / "bench" / "README.md"
BIN = Path(sys.executable).parent
LUA = HERE / "requests.lua"

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_http")
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,32,128").split(",")]
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP_S = int(os.environ.get("BENCH_WARMUP_S", "5"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
# deploy/gunicorn.conf.py recycles a worker after 2000 +/- 200 requests: at hundreds of requests
# per second every worker restarts within seconds of the others (a stall of several seconds), which
# would measure worker boots rather than endpoints. 0 = never (the default here); set it to 2000
# to see the deployment's behaviour.
MAX_REQUESTS = os.environ.get("BENCH_MAX_REQUESTS", "0")
REUSE_DB = os.environ.get("BENCH_REUSE_DB", "") == "1"  # keep bench_http when it has the demo
# a subset of the endpoints (comma-separated names; hello always runs: the ratios need it)
ONLY = {n for n in os.environ.get("BENCH_ONLY", "").split(",") if n}
SEED = 42
# Before an endpoint's cells, every distinct GET of its file is asked for once (4 at a time, at
# most PRIME_S seconds): the page cache holds each page as it would after real traffic (a body
# page per maslikhat: 228 pages, more than a short wrk warm-up asks for). Not for the look-up
# (not page-cached) nor the submissions.
PRIME_S = int(os.environ.get("BENCH_PRIME_S", "90"))
NOT_PRIMED = {"lookup", "appeal_submit", "hello"}
N_POINTS = 2000
N_APPEALS = 2000

VAR = ROOT / "var" / "bench-http"


def server_env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "DATABASE_URL": DB_URL,
        "MASLIKHAT_VAR_DIR": str(VAR),
        # Production-like. MASLIKHAT_MODE stays 'development' only because production refuses
        # to serve demo data (core/startup.py); what matters for speed is set as in production.
        "DEBUG": "false",
        "PAGE_CACHE_ENABLED": os.environ.get("BENCH_PAGE_CACHE", "true"),
        "REDIS_URL": REDIS_URL,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "APPEAL_SUBMIT_LIMIT_PER_HOUR": "1000000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


# ------------------------------------------------------------------ setup


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


def database_ready() -> bool:
    try:
        with psycopg.connect(DB_URL) as conn:
            row = conn.execute("SELECT count(*) FROM directory_organization WHERE is_demo").fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def setup_database() -> float:
    started = time.perf_counter()
    if REUSE_DB and database_ready():
        return 0.0
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(BIN / "maslikhat"), "demo-setup", "--seed", "1"],
        env=server_env(0),
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def random_points(n: int) -> list[tuple[float, float]]:
    """n points drawn uniformly inside the union of the regions (seed 42), as bench/lookup does."""
    os.environ.update({k: v for k, v in server_env(0).items() if k in ("DATABASE_URL", "MASLIKHAT_VAR_DIR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
    import django

    django.setup()
    import numpy as np
    import shapely

    from maslikhat.directory import geo
    from maslikhat.directory.models import Area

    boundaries = Area.objects.filter(kind="region", boundary__isnull=False).values_list("boundary", flat=True)
    country = shapely.union_all([geo.to_shape(b) for b in boundaries if b])
    shapely.prepare(country)
    minx, miny, maxx, maxy = country.bounds
    rng = np.random.default_rng(SEED)
    out: list[tuple[float, float]] = []
    for _ in range(100):  # bounded: each round keeps about half of the candidates
        lon = rng.uniform(minx, maxx, 4 * n)
        lat = rng.uniform(miny, maxy, 4 * n)
        inside = shapely.contains_xy(country, lon, lat)
        out.extend(zip(lat[inside].round(5).tolist(), lon[inside].round(5).tolist(), strict=True))
        if len(out) >= n:
            break
    return out[:n]


def appeal_payloads(n: int, bodies: list[int]) -> list[str]:
    out = []
    for i, iin in enumerate(valid_iins(n)):
        payload = {
            "body_id": bodies[i % len(bodies)],
            "kind": "application",
            "topic": "roads",
            "text": f"HTTP benchmark appeal {i}: the road on our street needs repair.",
            "language": "ru",
            "applicant": {
                "full_name": "Bench Applicant",
                "iin": iin,
                "address": "Astana",
                "phone": "+7 701 234 56 78",
                "email": f"bench{i}@example.org",
            },
        }
        out.append(json.dumps(payload, ensure_ascii=False))
    return out


def request_files(workdir: Path) -> dict[str, tuple[str, Path]]:
    """endpoint name -> (what it is, file of requests for the Lua script)."""
    with psycopg.connect(DB_URL) as conn:
        maslikhats = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM directory_organization WHERE kind LIKE '%maslikhat' ORDER BY id"
            ).fetchall()
        ]
        regional = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat' ORDER BY id"
            ).fetchall()
        ]
    points = random_points(N_POINTS)
    lines: dict[str, tuple[str, list[str]]] = {
        "hello": ("GET /bench-hello (bare Django view, full middleware)", ["GET\t/bench-hello"]),
        "home": ("GET /en/", ["GET\t/en/"]),
        "body_page": (
            f"GET /en/bodies/<id>/ ({len(maslikhats)} maslikhats in turn)",
            [f"GET\t/en/bodies/{i}/" for i in maslikhats],
        ),
        # the same pages rendered every time: a session cookie keeps a request out of the page
        # cache (core/pagecache.py), as for a signed-in visitor; its server time is the render's
        "body_page_uncached": (
            f"GET /en/bodies/<id>/ with a session cookie (never from the page cache; {len(maslikhats)} ids)",
            [f"GET\t/en/bodies/{i}/\t\tCookie: sessionid=bench-uncached" for i in maslikhats],
        ),
        "bodies_page": ("GET /en/bodies/", ["GET\t/en/bodies/"]),
        "area_page": ("GET /en/areas/KZ-71/", ["GET\t/en/areas/KZ-71/"]),
        "news_page": ("GET /en/news/", ["GET\t/en/news/"]),
        "news_feed": ("GET /en/news/feed/ (Atom)", ["GET\t/en/news/feed/"]),
        "council_page": ("GET /en/council/", ["GET\t/en/council/"]),
        "scorecard_body": (
            f"GET /en/scorecard/body/<id>/ ({len(maslikhats)} maslikhats in turn)",
            [f"GET\t/en/scorecard/body/{i}/" for i in maslikhats],
        ),
        "scorecard_csv": ("GET /en/scorecard/scorecard.csv", ["GET\t/en/scorecard/scorecard.csv"]),
        "api_bodies": ("GET /api/v1/bodies", ["GET\t/api/v1/bodies"]),
        "api_news": ("GET /api/v1/news", ["GET\t/api/v1/news"]),
        "api_meetings": ("GET /api/v1/council/meetings", ["GET\t/api/v1/council/meetings"]),
        "api_sessions": ("GET /api/v1/proceedings/sessions", ["GET\t/api/v1/proceedings/sessions"]),
        "api_processes": ("GET /api/v1/participation/processes", ["GET\t/api/v1/participation/processes"]),
        "lookup": (
            f"GET /api/v1/lookup ({len(points)} random points inside Kazakhstan)",
            [f"GET\t/api/v1/lookup?lat={lat}&lon={lon}" for lat, lon in points],
        ),
        "areas": ("GET /api/v1/areas", ["GET\t/api/v1/areas"]),
        "scorecard_page": ("GET /en/scorecard/", ["GET\t/en/scorecard/"]),
        "scorecard_api": ("GET /api/v1/scorecard?period=2026", ["GET\t/api/v1/scorecard?period=2026"]),
        "appeal_submit": (
            f"POST /api/v1/appeals ({len(regional)} regional maslikhats, distinct valid IINs)",
            [f"POST\t/api/v1/appeals\t{p}" for p in appeal_payloads(N_APPEALS, regional)],
        ),
    }
    out = {}
    for name, (what, rows) in lines.items():
        if ONLY and name not in ONLY and name != "hello":
            continue
        path = workdir / f"{name}.txt"
        path.write_text("\n".join(rows) + "\n")
        out[name] = (what, path)
    return out


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    client.close()


# ------------------------------------------------------------------ load


def wrk_run(wrk: str, port: int, requests: Path, connections: int, seconds: int) -> dict[str, Any]:
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
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"no summary from wrk: {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "status_4xx_5xx": raw["status_errors"],
        "socket_errors_and_timeouts": errors,
        "mb_per_s": round(raw["bytes"] / seconds_run / 1e6, 2),
    }


def prime(port: int, requests: Path) -> dict[str, Any]:
    """One GET of every distinct request line (headers kept), bounded by PRIME_S."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    rows = []
    for line in dict.fromkeys(requests.read_text().splitlines()):
        parts = line.split("\t")
        if len(parts) < 2 or parts[0] != "GET":
            continue
        headers = dict([parts[3].split(": ", 1)]) if len(parts) > 3 and ": " in parts[3] else {}
        rows.append((parts[1], headers))
    deadline = time.monotonic() + PRIME_S

    def one(row: tuple[str, dict[str, str]]) -> bool:
        if time.monotonic() > deadline:
            return False
        request = urllib.request.Request(f"http://127.0.0.1:{port}{row[0]}", headers=row[1])
        try:
            urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 (loopback)
        except OSError:
            return False
        return True

    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        done = sum(pool.map(one, rows))
    return {"primed": done, "distinct": len(rows), "prime_s": round(time.perf_counter() - started, 1)}


def server_ms(log: Path, start: int, end: int) -> dict[str, float]:
    """Server time (the access log's duration_ms: middleware and view, no network) of the
    requests logged between two offsets of the log: p50 and p90."""
    durations: list[float] = []
    with log.open("rb") as f:
        f.seek(start)
        chunk = f.read(max(end - start, 0)).decode("utf-8", errors="replace")
    for line in chunk.splitlines():
        if not line.startswith("{") or '"maslikhat.access"' not in line:
            continue
        try:
            durations.append(float(json.loads(line)["duration_ms"]))
        except (ValueError, KeyError):
            continue
    if not durations:
        return {}
    durations.sort()
    return {
        "server_p50_ms": durations[len(durations) // 2],
        "server_p90_ms": durations[int(len(durations) * 0.9)],
        "logged": len(durations),
    }


def statuses_in_log(log: Path) -> dict[str, int]:
    """Status codes of the application's JSON access lines (maslikhat.access)."""
    counts: dict[str, int] = {}
    with log.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.startswith("{") or '"maslikhat.access"' not in line:
                continue
            try:
                status = str(json.loads(line).get("status"))
            except ValueError:
                continue
            counts[status] = counts.get(status, 0) + 1
    return dict(sorted(counts.items()))


# ------------------------------------------------------------------ report


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    s = results["server"]
    lines = [
        f"Last run: {results['date']}, {m['cores']} cores shared by gunicorn, PostgreSQL, Redis and wrk; "
        f"Python {m['python']}, load average {m['load_average_1m_start']} at start. "
        f"Server: gunicorn {s['workers']} sync workers ({s['gunicorn']}), DEBUG off, Redis cache, "
        f"sessions and broker; load: wrk, {WRK_THREADS} threads, {DURATION_S} s per cell after a "
        f"{WARMUP_S} s warm-up per endpoint. Ratio = the endpoint's requests/s over hello's at the same "
        "connection count.",
        "",
        "| endpoint | conns | requests/s | p50 ms | p99 ms | server p50 ms | ratio to hello | 4xx/5xx "
        "| socket errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, endpoint in results["endpoints"].items():
        for run in endpoint["runs"]:
            lines.append(
                f"| {name} | {run['connections']} | {run['rps']:,} | {run['p50_ms']:,} | {run['p99_ms']:,} | "
                f"{run.get('server_p50_ms', '')} | {run['ratio_to_hello']:.2f} | {run['status_4xx_5xx']} | "
                f"{run['socket_errors_and_timeouts']} |"
            )
    lines += [
        "",
        "Endpoints: "
        + "; ".join(f"**{name}** {endpoint['what']}" for name, endpoint in results["endpoints"].items())
        + ".",
        "",
        f"Status codes in the server's access log over the whole run: {results['access_log_statuses']}.",
    ]
    return "\n".join(lines)


BEGIN, END = "<!-- http:results:begin -->", "<!-- http:results:end -->"
SECTION_HEAD = """## bench/http — HTTP load

`.venv/bin/python bench/http/run.py` (about six minutes): the main public endpoints over HTTP on
the production stack, gunicorn + PostgreSQL (database `bench_http`, recreated, the demo loaded
with `demo-setup --seed 1`) + Redis (database 5: cache, `cached_db` sessions, Celery broker; no
worker runs, queued jobs are flushed afterwards), DEBUG off, JSON access log to
`var/bench-http/gunicorn.log`. Load generator: **wrk** (Debian package; the script installs it if
missing), a separate process, with `bench/http/requests.lua` cycling through a file of requests
(points for the look-up, bodies for the maslikhat pages, JSON payloads with valid IINs for
appeals; the submission limit is raised through `APPEAL_SUBMIT_LIMIT_PER_HOUR`). The ceiling,
`hello`, is a bare Django view behind the full middleware stack served only by the bench's own
WSGI module `bench/http/wsgi.py` (not in the product's URLconf). Knobs: `BENCH_CONNECTIONS`
(8,32,128), `BENCH_DURATION_S` (10), `BENCH_WARMUP_S` (5), `BENCH_WRK_THREADS` (2),
`BENCH_REUSE_DB=1` (keep `bench_http` if it holds the demo), `BENCH_MAX_REQUESTS` (0: workers
are not recycled during the run; the deployment's 2000 would restart all five workers within
seconds of each other at these rates and measure their boots, see the note below the table).

The two cores are shared by the server, PostgreSQL, Redis and the load generator: the figures are
a floor for a real deployment and a comparison between endpoints, not a capacity.

The public pages and API lists are served from the page cache (`core/pagecache.py`: anonymous
visitors, per path, language and query, invalidated by the versions of the object families they
show); `BENCH_PAGE_CACHE=false` turns it off for a whole run. `body_page_uncached` asks for the
same maslikhat pages with a session cookie, which the page cache never serves: what a signed-in
visitor (or a miss) costs, in the same run. "server p50 ms" is the median `duration_ms` of the
access log over the cell (middleware and view, no network). `BENCH_ONLY` (comma-separated
endpoint names) runs a subset; hello always runs. Before an endpoint's warm-up every distinct GET
of its file is asked for once (4 at a time, at most `BENCH_PRIME_S`, 90 s; "primed" in
results.json says how many): the page cache then holds every page of the endpoint, as after real
traffic (228 body pages are more than a 5 s warm-up asks for); not for the look-up and the
submissions. `bench/http/profile_body.py` renders the body
page in-process without the page cache (query count, SQL time, cProfile; `--cold` rebuilds its
fragments every time).

"""


# ------------------------------------------------------------------ main


def main() -> None:
    wrk = ensure_wrk()
    VAR.mkdir(parents=True, exist_ok=True)
    load_start = round(os.getloadavg()[0], 2)
    setup_s = setup_database()
    print(f"database ready ({setup_s:.0f} s)", flush=True)
    flush_redis()
    workdir = Path(tempfile.mkdtemp(prefix="maslikhat-bench-http-"))
    files = request_files(workdir)
    port = free_port()
    log = VAR / "gunicorn.log"
    server = start_gunicorn(
        app="bench.http.wsgi:application",
        env=server_env(port),
        port=port,
        log=log,
        extra=["--max-requests", MAX_REQUESTS],
    )
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m_start": load_start,
        },
        "server": {
            "gunicorn": f"deploy/gunicorn.conf.py, --max-requests {MAX_REQUESTS}",
            "workers": (os.cpu_count() or 1) * 2 + 1,
            "settings": "DEBUG off, REDIS_URL set (cache, cached_db sessions, broker), JSON access log",
        },
        "load_generator": f"wrk, {WRK_THREADS} threads, {DURATION_S} s per run, timeout 15 s",
        "endpoints": {},
    }
    started = time.perf_counter()
    try:
        for name, (what, requests) in files.items():
            primed = prime(port, requests) if name not in NOT_PRIMED else {}
            wrk_run(wrk, port, requests, 8, WARMUP_S)  # warm every worker (look-up index, caches)
            runs = []
            for connections in CONNECTIONS:
                time.sleep(0.5)  # the access log of the warm-up is written
                start = log.stat().st_size
                run = wrk_run(wrk, port, requests, connections, DURATION_S)
                time.sleep(0.5)
                run.update(server_ms(log, start, log.stat().st_size))
                run.update(primed)
                runs.append(run)
                print(json.dumps({"endpoint": name, **run}), flush=True)
            results["endpoints"][name] = {"what": what, "runs": runs}
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
        flush_redis()  # the jobs queued for a worker that never ran
    hello = {r["connections"]: r["rps"] for r in results["endpoints"]["hello"]["runs"]}
    for endpoint in results["endpoints"].values():
        for run in endpoint["runs"]:
            base = hello.get(run["connections"]) or 0
            run["ratio_to_hello"] = round(run["rps"] / base, 3) if base else 0.0
    results["load_seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_1m_end"] = round(os.getloadavg()[0], 2)
    results["access_log_statuses"] = statuses_in_log(log)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = render(results)
    print(table)
    update_readme_section(begin=BEGIN, end=END, heading=SECTION_HEAD, table=table)


if __name__ == "__main__":
    main()
