"""bench/search: relevance and speed of the public search, on PostgreSQL and on SQLite.

Run: .venv/bin/python bench/search/run.py   (BENCH_ENGINES=postgresql,sqlite; each engine runs
in its own process, since the database is chosen when Django starts)

For each engine, its own database (PostgreSQL: BENCH_DATABASE_URL, default `bench_search`,
recreated unless BENCH_REUSE_DB=1 finds the demo in it; SQLite: a file in a temporary
directory) filled with `migrate`, `load-reference` (the real country: regions, districts, rural
okrugs, 13,655 settlements) and `demo-setup --seed 1` (the demo's deputies, news, council,
appeals, sessions...). Then
  1. `search-rebuild`'s work, `index_rebuild()`, timed: the demo-sized index;
  2. relevance: every query of relevance.json (Kazakh and Russian: word forms, typos, deputies'
     names, villages, maslikhats, news, council items) through `search.selectors.search` in the
     query's language; recall of an expected document in the first 3 (and 1, 10); the misses;
  3. the selector in-process on the demo-sized index: p50/p99 over the latency query set (the
     relevance queries, common words, village names, phrases, typos) - the reference;
  4. BENCH_DOCS synthetic documents (PostgreSQL 1,000,000, SQLite 100,000; bench/search/synthetic.py:
     kk/ru texts set in the real villages and districts, seeded) written into the index with COPY
     (executemany on SQLite), then their engine structures built by the product's own
     `engines.write` in batches (PostgreSQL: the tsvectors, then the GIN indexes created again;
     SQLite: the FTS5 tables): the build time;
  5. the selector in-process at that size (p50/p99, per query class, ratio to 3.) and the
     relevance set again with the synthetic documents around;
  6. over HTTP: `GET /api/v1/search?q=...` against gunicorn as production serves it
     (deploy/gunicorn.conf.py, --max-requests 0, DEBUG off, Redis) loaded by wrk
     (bench/http/requests.lua cycling through the query set) at BENCH_CONNECTIONS, each cell
     next to the bare-Django reference GET /bench-hello (bench/http/wsgi.py) at the same count.
Loopback only; every loop is bounded. Writes results.json beside this file and rewrites only the
text between the search markers of bench/README.md.

Stages (BENCH_STAGE): all (default), synthetic (only the synthetic rows), build (up to the
synthetic rows, the database kept), measure (the timed stages on a built database); each merges
its engine's figures into results.json, the other engine's entry kept (bench/README.md).

Knobs (environment): BENCH_STAGE, BENCH_ENGINES (postgresql,sqlite), BENCH_DOCS (1000000 on PostgreSQL),
BENCH_DOCS_SQLITE (100000), BENCH_REPEAT (3: timed passes over the query set in-process),
BENCH_CONNECTIONS (1,8), BENCH_DURATION_S (10), BENCH_WARMUP_S (5), BENCH_HTTP (1; 0 skips it),
BENCH_DATABASE_URL, BENCH_REUSE_DB, BENCH_REDIS_URL (database 12), BENCH_BUILD_WORKERS (the cores:
connections computing the synthetic vectors at once on PostgreSQL).
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: bench/ importable
from bench.common import free_port, percentile, start_gunicorn, stop, update_readme_section  # noqa: E402
from bench.http.run import WRK_THREADS, ensure_wrk  # noqa: E402
from bench.http.run import wrk_run as http_wrk_run  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent

ENGINES = [e.strip() for e in os.environ.get("BENCH_ENGINES", "postgresql,sqlite").split(",") if e.strip()]
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_search")
ADMIN_URL = PG_URL.rsplit("/", 1)[0] + "/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
REUSE_DB = os.environ.get("BENCH_REUSE_DB", "") == "1"
DOCS = {
    "postgresql": int(os.environ.get("BENCH_DOCS", "1000000")),
    "sqlite": int(os.environ.get("BENCH_DOCS_SQLITE", "100000")),
}
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,8").split(",")]
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP_S = int(os.environ.get("BENCH_WARMUP_S", "5"))
HTTP = os.environ.get("BENCH_HTTP", "1") == "1"
# PostgreSQL: a bound on one search in-process (statement_timeout); a query cut off counts at it
QUERY_TIMEOUT_S = int(os.environ.get("BENCH_QUERY_TIMEOUT_S", "10"))
SEED = 42
BATCH = 20_000
# PostgreSQL: connections computing the synthetic rows' vectors at once (the machine's cores)
BUILD_WORKERS = int(os.environ.get("BENCH_BUILD_WORKERS", str(os.cpu_count() or 1)))
SQLITE_DIR = Path(os.environ.get("BENCH_SQLITE_DIR", "")) if os.environ.get("BENCH_SQLITE_DIR") else None
# all: everything; build: up to the synthetic documents (the database kept, BENCH_REUSE_DB=1 or
# BENCH_SQLITE_DIR to find it again); measure: the timed stages on a database a build left, the
# build's figures kept from results.json; synthetic: only the synthetic rows into a migrated
# database with the reference (a later build keeps them and indexes the demo around them)
STAGE = os.environ.get("BENCH_STAGE", "all")

# Words of the synthetic texts: what a searcher of a big index types most.
COMMON = [
    ("kk", "бюджет"),
    ("ru", "бюджет"),
    ("kk", "мектепке"),
    ("ru", "школы"),
    ("kk", "жол жөндеу"),
    ("ru", "ремонт дорог"),
    ("ru", "питьевой воды"),
    ("kk", "депутат"),
    ("kk", "су құбыры"),
    ("ru", "детского сада"),
]
TYPOS = [("ru", "водопровд"), ("kk", "мектпке"), ("ru", "газаснабжения"), ("ru", "библиотеко")]


def engine_env(engine: str, var: Path, port: int = 0) -> dict[str, str]:
    url = PG_URL if engine == "postgresql" else f"sqlite:///{var / 'bench_search.sqlite3'}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "DATABASE_URL": url,
        "MASLIKHAT_VAR_DIR": str(var),
        "DEBUG": "false",
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


# ------------------------------------------------------------------ setup


def _demo_present(engine: str, var: Path) -> bool:
    if engine != "postgresql":
        return (var / "bench_search.sqlite3").exists() and REUSE_DB
    import psycopg

    try:
        with psycopg.connect(PG_URL) as conn:
            row = conn.execute("SELECT count(*) FROM news_publication WHERE is_demo").fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def setup_database(engine: str, var: Path) -> dict[str, float]:
    if REUSE_DB and _demo_present(engine, var):
        return {}
    if engine == "postgresql":
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        (var / "bench_search.sqlite3").unlink(missing_ok=True)
    steps = {}
    for step, args in (
        ("migrate", ["migrate", "-v0"]),
        ("load_reference", ["load-reference"]),
        ("demo_setup", ["demo-setup", "--seed", "1"]),
    ):
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [str(BIN / "maslikhat"), *args],
            env=engine_env(engine, var),
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        steps[step] = round(time.perf_counter() - started, 1)
    return steps


# ------------------------------------------------------------------ the query set


def latency_queries(places: list[Any]) -> list[tuple[str, str, str]]:
    """(class, language, query): the relevance set, common words, village names and phrases
    with them, typos; the same for every run (seeded)."""
    from bench.search import relevance

    rng = random.Random(SEED)  # noqa: S311 - benchmark data
    out = [("relevance set", c.language, c.q) for c in relevance.load()]
    out += [("common word", lang, q) for lang, q in COMMON]
    picked = rng.sample(places, min(10, len(places)))
    out += [("village name", "ru", p.name_ru) for p in picked]
    out += [("phrase with a village", "kk", f"{p.name_kk} ауылында су құбыры") for p in picked[:5]]
    out += [("phrase with a village", "ru", f"ремонт дороги в селе {p.name_ru}") for p in picked[5:]]
    out += [("typo", lang, q) for lang, q in TYPOS]
    return out


def time_selector(queries: list[tuple[str, str, str]]) -> dict[str, Any]:
    """p50/p99 of `search()` in-process: one warm-up pass, then REPEAT timed passes."""
    from django.db import DatabaseError

    from maslikhat.search.query import QueryError
    from maslikhat.search.selectors import search

    cut_off: list[str] = []

    def once(language: str, q: str) -> tuple[float, int]:
        started = time.perf_counter()
        try:
            page = search(q, language=language, limit=20)
            total = page.total
        except QueryError:
            total = -1
        except DatabaseError:  # statement_timeout
            cut_off.append(q)
            return QUERY_TIMEOUT_S * 1000.0, -1
        return (time.perf_counter() - started) * 1000, total

    for _, language, q in queries:
        once(language, q)
    times: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    for _ in range(REPEAT):
        for cls, language, q in queries:
            ms, total = once(language, q)
            times.setdefault(cls, []).append(ms)
            totals.setdefault(cls, []).append(total)
    every = [t for ts in times.values() for t in ts]

    def stats(ts: list[float]) -> dict[str, float]:
        return {"p50_ms": round(statistics.median(ts), 2), "p99_ms": round(percentile(ts, 99), 2)}

    return {
        "queries": len(queries),
        "timed_calls": len(every),
        **stats(every),
        "max_ms": round(max(every), 2),
        "cut_off_at_timeout": len(cut_off),
        "cut_off_queries": sorted(set(cut_off)),
        "by_class": {
            cls: {**stats(ts), "median_matches": int(statistics.median(totals[cls]))}
            for cls, ts in times.items()
        },
    }


# ------------------------------------------------------------------ synthetic documents


def add_synthetic(engine: str, n: int, places: list[Any]) -> dict[str, Any]:
    """Write n synthetic rows into the index table and build their engine structures."""
    from django.db import connection, transaction

    from bench.search import synthetic
    from maslikhat.core.search import kinds
    from maslikhat.search.models import SearchDocument

    table = SearchDocument._meta.db_table
    columns = ", ".join(f'"{c}"' for c in synthetic.COLUMNS)
    rows = synthetic.rows(n, places=places, kinds=kinds(), seed=SEED)
    out: dict[str, Any] = {"documents": n, "places": len(places)}
    started = time.perf_counter()
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")  # the bulk build is not bounded per statement
            # the GIN indexes are built once over the whole table (as after a bulk load),
            # not maintained row by row during it
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE tablename = %s AND indexdef ILIKE '%%using gin%%'",
                [table],
            )
            gin = cursor.fetchall()
            for name, _ in gin:
                cursor.execute(f'DROP INDEX "{name}"')
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        out["load_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        build_structures(table)
        out["vectors_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in gin:
                cursor.execute(definition)
        out["gin_indexes"] = [name for name, _ in gin]
        out["gin_indexes_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("ANALYZE search_title_word")  # the titles' words, written with the vectors
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            out["table_and_indexes_mb"] = round(cursor.fetchone()[0] / 2**20, 1)
        out["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
        out["build_s"] = round(out["vectors_s"] + out["gin_indexes_s"], 1)
    else:
        marks = ", ".join(["%s"] * len(synthetic.COLUMNS))
        insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (a model's table)
        batch: list[Any] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    with transaction.atomic():
                        cursor.executemany(insert, batch)
                    batch = []
            if batch:
                with transaction.atomic():
                    cursor.executemany(insert, batch)
        out["load_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        build_structures(table)
        out["fts_tables_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out["analyze_s"] = round(time.perf_counter() - started, 1)
        out["build_s"] = out["fts_tables_s"]
        out["database_mb"] = round(Path(connection.settings_dict["NAME"]).stat().st_size / 2**20, 1)
    out["index_rows"] = SearchDocument.objects.count()
    return out


def build_structures(table: str) -> None:
    """The product's own `engines.write` over the synthetic rows, BATCH ids a transaction."""
    from django.db import connection, transaction

    from bench.search import synthetic
    from maslikhat.search import engines

    sql = f"SELECT id FROM {table} WHERE object_id >= %s ORDER BY id"  # noqa: S608 (a model's table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [synthetic.FIRST_OBJECT_ID])
        ids = [r[0] for r in cursor.fetchall()]
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    if connection.vendor != "postgresql" or BUILD_WORKERS < 2:
        for batch in batches:
            with transaction.atomic():
                engines.write(batch)
        return

    # PostgreSQL: the batches on BUILD_WORKERS connections at once (a thread each: psycopg lets
    # the others run while the server computes), as a bulk load on a server with those cores
    def work(share: list[list[int]]) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
            for batch in share:
                with transaction.atomic():
                    engines.write(batch)
        finally:
            connection.close()

    with ThreadPoolExecutor(BUILD_WORKERS) as pool:
        for future in [pool.submit(work, batches[i::BUILD_WORKERS]) for i in range(BUILD_WORKERS)]:
            future.result()


# ------------------------------------------------------------------ HTTP


def wrk_run(wrk: str, port: int, requests: Path, connections: int, seconds: int) -> dict[str, Any]:
    """bench/http's wrk run, with the load average it started at."""
    load = round(os.getloadavg()[0], 2)
    return {**http_wrk_run(wrk, port, requests, connections, seconds), "load_average_1m_before": load}


def over_http(engine: str, var: Path, queries: list[tuple[str, str, str]]) -> dict[str, Any]:
    import redis

    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="maslikhat-bench-search-wrk-"))
    search_file = workdir / "search.txt"
    search_file.write_text(
        "".join(f"GET\t/api/v1/search?q={urllib.parse.quote(q)}&lang={lang}\n" for _, lang, q in queries)
    )
    hello_file = workdir / "hello.txt"
    hello_file.write_text("GET\t/bench-hello\n")
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    server = start_gunicorn(
        app="bench.http.wsgi:application",
        env=engine_env(engine, var, port),
        port=port,
        log=var / f"gunicorn-{engine}.log",
        extra=["--max-requests", "0"],
    )
    try:
        wrk_run(wrk, port, hello_file, 4, 2)
        warm = wrk_run(wrk, port, search_file, 4, WARMUP_S)
        runs = []
        for connections in CONNECTIONS:
            hello = wrk_run(wrk, port, hello_file, connections, DURATION_S)
            run = wrk_run(wrk, port, search_file, connections, DURATION_S)
            run["hello_rps"] = hello["rps"]
            run["hello_p50_ms"] = hello["p50_ms"]
            run["ratio_to_hello"] = round(run["rps"] / hello["rps"], 3) if hello["rps"] else 0.0
            runs.append(run)
            print(engine, "http", json.dumps(run), flush=True)
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
        redis.Redis.from_url(REDIS_URL).flushdb()
    return {
        "server": "gunicorn (deploy/gunicorn.conf.py, --max-requests 0), DEBUG off, Redis",
        "load_generator": f"wrk, {WRK_THREADS} threads, {DURATION_S} s per cell, "
        "hello then search at each count",
        "warm_up": {"seconds": WARMUP_S, "connections": 4, "rps": warm["rps"]},
        "runs": runs,
    }


# ------------------------------------------------------------------ one engine


def run_engine(engine: str, var: Path) -> dict[str, Any]:
    os.environ.update({k: v for k, v in engine_env(engine, var).items() if k != "GUNICORN_BIND"})
    out: dict[str, Any] = {
        "engine": engine,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_1m_start": round(os.getloadavg()[0], 2),
    }
    if STAGE in ("all", "build"):
        out["setup_s"] = setup_database(engine, var)
    if STAGE == "synthetic":  # only the synthetic rows, into a migrated database with the reference
        import django

        django.setup()
        from bench.search import synthetic as synth

        out["synthetic"] = add_synthetic(engine, DOCS[engine], synth.places_from_database())
        print(engine, "synthetic", json.dumps(out["synthetic"]), flush=True)
        return out
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.search import relevance, synthetic
    from maslikhat.search import engines
    from maslikhat.search.services import index_rebuild

    settings.DEBUG = False
    out["kazakh_configuration"] = (
        engines.kazakh_config() if engine == "postgresql" else "n/a (FTS5 unicode61)"
    )
    if STAGE in ("all", "build"):
        present = _synthetic_rows()
        started = time.perf_counter()
        rows = rebuild_keeping_synthetic() if present else index_rebuild()
        out["rebuild"] = {"rows": rows, "seconds": round(time.perf_counter() - started, 2)}
        if present:
            out["rebuild"]["synthetic_rows_kept"] = present
        with connection.cursor() as cursor:  # what autovacuum would do soon after (dead rows, statistics)
            cursor.execute("VACUUM ANALYZE search_searchdocument" if engine == "postgresql" else "ANALYZE")
        out["rebuild"]["by_kind"] = _counts_by_kind()
        print(engine, "rebuild", json.dumps(out["rebuild"]), flush=True)
    _bound_queries(engine)
    places = synthetic.places_from_database()
    queries = latency_queries(places)
    if STAGE in ("all", "build"):
        outcomes = relevance.evaluate(relevance.load())
        out["relevance"] = relevance.summary(outcomes)
        print(
            engine,
            "relevance",
            json.dumps({k: out["relevance"][k] for k in ("recall_at_1", "recall_at_3")}),
            flush=True,
        )
        if not present:
            out["selector_demo_index"] = time_selector(queries)
            print(engine, "selector (demo index)", out["selector_demo_index"]["p50_ms"], flush=True)
            out["synthetic"] = add_synthetic(engine, DOCS[engine], places)
            print(engine, "synthetic", json.dumps(out["synthetic"]), flush=True)
        out["build_date"] = out["date"]
        _bound_queries(engine)
    if STAGE == "build":
        connection.close()
        return out
    out["measured_rows"] = _counts_by_kind_total()
    out["load_average_1m_measure"] = round(os.getloadavg()[0], 2)
    out["selector"] = time_selector(queries)
    print(engine, "selector", json.dumps({k: out["selector"][k] for k in ("p50_ms", "p99_ms")}), flush=True)
    out["relevance_with_synthetic"] = relevance.summary(relevance.evaluate(relevance.load()))
    print(engine, "relevance with synthetic", out["relevance_with_synthetic"]["recall_at_3"], flush=True)
    connection.close()
    if HTTP:
        try:
            out["http"] = over_http(engine, var, queries)
        except (RuntimeError, subprocess.SubprocessError) as exc:  # the in-process figures still count
            out["http_error"] = str(exc)[:300]
    out["load_average_1m_end"] = round(os.getloadavg()[0], 2)
    return out


def _synthetic_rows() -> int:
    from bench.search import synthetic
    from maslikhat.search.models import SearchDocument

    return SearchDocument.objects.filter(object_id__gte=synthetic.FIRST_OBJECT_ID).count()


def rebuild_keeping_synthetic() -> int:
    """`index_rebuild()`'s work with the synthetic rows left in place (BENCH_STAGE=synthetic ran
    first, while the demo was being set up): the other rows deleted, every provider's documents
    written again by the product's own writer; the rows written."""
    from django.db import transaction

    from bench.search import synthetic
    from maslikhat.core.search import providers
    from maslikhat.search import engines, services
    from maslikhat.search.models import SearchDocument

    engines.ensure_configuration()
    paths = services.AreaPaths()
    paths.load_all()
    total = 0
    with transaction.atomic():
        old = list(
            SearchDocument.objects.filter(object_id__lt=synthetic.FIRST_OBJECT_ID).values_list(
                "id", flat=True
            )
        )
        engines.delete(old)
        SearchDocument.objects.filter(id__in=old).delete()
        for provider in providers():
            total += services._write(provider.kind, provider.documents(None), paths)  # noqa: SLF001
    return total


def _bound_queries(engine: str) -> None:
    if engine == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{QUERY_TIMEOUT_S}s'")


def _counts_by_kind_total() -> int:
    from maslikhat.search.models import SearchDocument

    return SearchDocument.objects.count()


def _counts_by_kind() -> dict[str, int]:
    from django.db.models import Count

    from maslikhat.search.models import SearchDocument

    return dict(sorted(SearchDocument.objects.order_by().values_list("kind").annotate(n=Count("id"))))


# ------------------------------------------------------------------ report


def readme_table(results: dict[str, Any]) -> str:
    lines = [
        f"Last run: {results['date']}, {results['machine']['cpus']} cores shared by the bench, gunicorn, the "
        f"database, Redis and wrk; Python {results['machine']['python']}. Data per engine: "
        "`load-reference` + `demo-setup --seed 1`, indexed by `index_rebuild()`, then the synthetic "
        "documents.",
        "",
        "| engine | index rows (demo) | rebuild | recall@1 | recall@3 | recall@3 with synthetic "
        "| misses at 3 |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in results["engines"].values():
        r = e["relevance"]
        lines.append(
            f"| {e['engine']} | {e['rebuild']['rows']:,} | {e['rebuild']['seconds']} s "
            f"| {r['recall_at_1']} | "
            f"{r['recall_at_3']} ({r['queries']} queries) | {e['relevance_with_synthetic']['recall_at_3']} | "
            f"{len(r['misses'])} |"
        )
    lines += [
        "",
        "| engine | synthetic documents | load | build (structures) | selector p50 / p99 (demo index) | "
        "selector p50 / p99 (with synthetic) | ratio p50 |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in results["engines"].values():
        s, z = e["selector"], e["synthetic"]
        d = e.get("selector_demo_index") or {"p50_ms": "–", "p99_ms": "–"}
        lines.append(
            f"| {e['engine']} | {z['documents']:,} | {z['load_s']} s | {z['build_s']} s "
            f"| {d['p50_ms']} / {d['p99_ms']} ms "
            f"| {s['p50_ms']} / {s['p99_ms']} ms | {s.get('p50_ratio_to_demo_index', '–')} |"
        )
    lines += [
        "",
        "Selector with the synthetic documents, per query class (p50 / p99 ms, median matches):",
        "",
    ]
    lines += [
        "| engine | " + " | ".join(next(iter(results["engines"].values()))["selector"]["by_class"]) + " |"
    ]
    lines += ["|---|" + "---|" * len(next(iter(results["engines"].values()))["selector"]["by_class"])]
    for e in results["engines"].values():
        cells = [
            f"{c['p50_ms']} / {c['p99_ms']} ({c['median_matches']:,})"
            for c in e["selector"]["by_class"].values()
        ]
        lines.append(f"| {e['engine']} | " + " | ".join(cells) + " |")
    http = [(e["engine"], r) for e in results["engines"].values() for r in e.get("http", {}).get("runs", [])]
    if http:
        lines += [
            "",
            "HTTP: `GET /api/v1/search?q=…` over the whole query set, gunicorn (deploy/gunicorn.conf.py, "
            "--max-requests 0), DEBUG off, Redis; wrk 2 threads, "
            f"{DURATION_S} s per cell; ratio = search requests/s over `/bench-hello`'s at the same count.",
            "",
            "| engine | conns | requests/s | p50 ms | p99 ms | hello req/s | ratio to hello | 4xx/5xx "
            "| load |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for engine, r in http:
            lines.append(
                f"| {engine} | {r['connections']} | {r['rps']:,} | {r['p50_ms']} | {r['p99_ms']} "
                f"| {r['hello_rps']:,} "
                f"| {r['ratio_to_hello']:.3f} | {r['status_4xx_5xx']} | {r['load_average_1m_before']} |"
            )
    for e in results["engines"].values():
        for note in e.get("notes", []):  # written by hand into results.json (kept by every stage)
            lines += ["", f"Note ({e['engine']}): {note}"]
    for e in results["engines"].values():
        misses = e["relevance"]["misses"]
        if misses:
            lines += [
                "",
                f"Misses at 3 on {e['engine']}: "
                + "; ".join(f"«{m['q']}» ({m['what']}, rank {m['rank']})" for m in misses),
            ]
    return "\n".join(lines)


BEGIN, END = "<!-- search:results:begin -->", "<!-- search:results:end -->"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--engine":
        # one engine in this process: the orchestrating process reads its JSON from stdout's last line
        engine = sys.argv[2]
        var = Path(os.environ["BENCH_SEARCH_VAR"])
        result = run_engine(engine, var)
        print("RESULT " + json.dumps(result, ensure_ascii=False, default=str), flush=True)
        return
    var = SQLITE_DIR or Path(tempfile.mkdtemp(prefix="maslikhat-bench-search-"))
    var.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    try:
        for engine in ENGINES:
            last: str | None = None
            with subprocess.Popen(  # noqa: S603
                [sys.executable, __file__, "--engine", engine],
                env={**os.environ, "BENCH_SEARCH_VAR": str(var)},
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            ) as child:
                assert child.stdout is not None
                for line in child.stdout:  # progress as it comes; the result is the last line
                    if line.startswith("RESULT "):
                        last = line
                    else:
                        print(line, end="", flush=True)
            if child.returncode or last is None:
                raise RuntimeError(f"bench/search on {engine} failed ({child.returncode})")
            results = merge_result(engine, json.loads(last.removeprefix("RESULT ")))
        if STAGE in ("all", "measure") and all(_complete(e) for e in results.get("engines", {}).values()):
            table = readme_table(results)
            print(table)
            update_readme_section(begin=BEGIN, end=END, heading="## bench/search\n\n", table=table)
    finally:
        if SQLITE_DIR is None:
            shutil.rmtree(var, ignore_errors=True)


def merge_result(engine: str, result: dict[str, Any]) -> dict[str, Any]:
    """Write this engine's figures into results.json, keeping the other engine's entry (two
    sessions may each run one engine); a `measure` stage keeps the build's figures of its own
    entry. Under a lock on the file, read-modify-write."""
    import fcntl

    path = HERE / "results.json"
    with (Path(tempfile.gettempdir()) / "maslikhat-bench-search-results.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        results["date"] = time.strftime("%Y-%m-%d")
        results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
        engines = results.setdefault("engines", {})
        entry = engines.get(engine, {}) if STAGE != "all" else {}
        if STAGE == "measure":
            entry = {k: v for k, v in entry.items() if k in BUILD_KEYS}
        elif STAGE == "synthetic":
            result = {k: v for k, v in result.items() if k in STAGE_KEYS["synthetic"]}
        elif STAGE == "build":  # keeps the synthetic stage's figures when it ran before
            entry = {k: v for k, v in entry.items() if k == "synthetic" and "synthetic" not in result}
        entry.update(result)
        base = entry.get("selector_demo_index", {}).get("p50_ms")
        if base and "selector" in entry:
            entry["selector"]["p50_ratio_to_demo_index"] = round(entry["selector"]["p50_ms"] / base, 2)
        engines[engine] = entry
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        return results


# what the build stage measures (kept when a measure stage runs on its database)
BUILD_KEYS = ("setup_s", "rebuild", "relevance", "selector_demo_index", "synthetic", "build_date", "notes")
STAGE_KEYS = {"synthetic": ("synthetic",)}


def _complete(entry: dict[str, Any]) -> bool:
    keys = ("engine", "rebuild", "relevance", "synthetic", "selector")
    return all(k in entry for k in keys)


if __name__ == "__main__":
    main()
