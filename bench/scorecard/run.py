"""bench/scorecard: the national scorecard for a year from the rollups, against a direct
GROUP BY over the appeals, at 1, 5 and 10 million appeals in PostgreSQL.

Uses the database at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_scorecard),
created if missing, migrated, with the reference data and 200 synthetic district maslikhats
(10 per region) so the appeals spread over 220 bodies. Appeals of 2025 are generated with
INSERT … SELECT generate_series (secondary indexes dropped during the load and rebuilt after,
foreign-key triggers off for the load only); the rollups (AppealStats) are rebuilt in SQL with the
same definition as appeal_stats_rebuild (AppealStats and the per-body-per-month AppealMonthStats),
and the maintained "overdue now" counts (AppealOverdue) built by the daily pass
(`appeals.rollups.overdue_pass`: a first pass, then one day forward, timed). Then, per scale:

  (a) scorecard_build(period=2025, level=regional | district): cold (first call on a new
      connection with the cache emptied: histograms merged in SQL, overdue recounted) and warm
      (median of RUNS calls: histograms and overdue counts from the cache);
  (b) the baseline: one GROUP BY over the appeals computing the same appeal figures
      (counts, on-time share, median by percentile_cont, mean rating) plus the same overdue,
      proposal and report queries: median of BASELINE_RUNS calls.

The two are checked equal before timing. Results: results.json beside this file and a Markdown
table on stdout (copied into bench/README.md). Scales: BENCH_SCALES (default "1,5,10", millions).
Run: `.venv/bin/python bench/scorecard/run.py` (about 15 minutes on 2 cores).

In phases, each short enough for a slot of the shared machine's bench lock (database from
BENCH_DATABASE_URL, else DATABASE_URL):

  run.py load 10     appeals up to 10 M in 1 M chunks, resumable (BENCH_LOAD_BUDGET_S a call);
  run.py finish      the dropped indexes (BENCH_INDEXES=scorecard: only those the measured reads
                     use), the rollups (AppealMonthStats summed from AppealStats), the counters;
  run.py measure     the scorecard at the loaded size: checked against the baseline first, then
                     cold (COLD_RUNS: new connection, shared cache and the process's kept values
                     and histograms emptied), warm (kept values), "computed" (nothing kept: the
                     sources' own work) and each source alone, with wall, CPU and queries.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
DB_URL = (
    os.environ.get("BENCH_DATABASE_URL")
    or os.environ.get("DATABASE_URL")
    or "postgres://postgres@127.0.0.1:5432/bench_scorecard"
)
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
SCALES = [float(s) for s in os.environ.get("BENCH_SCALES", "1,5,10").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
BASELINE_RUNS = int(os.environ.get("BENCH_BASELINE_RUNS", "0"))  # besides the check's own call
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
DISTRICTS_PER_REGION = 10
YEAR = 2025
TODAY = date(2026, 1, 20)  # "overdue now" as of a fixed day after the year

os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")


def _env() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": DB_URL}


def setup_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    for cmd in (["migrate", "-v", "0"], ["load-reference"]):
        subprocess.run(
            [str(BIN / "maslikhat"), *cmd], env=_env(), check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )


def add_districts() -> None:
    """10 district maslikhats per region (idempotent), each on an area with a population."""
    from maslikhat.directory.choices import AreaKind, OrganizationKind
    from maslikhat.directory.models import Area, Organization

    for region in Area.objects.filter(kind=AreaKind.REGION).order_by("code"):
        regional = Organization.objects.get(kind=OrganizationKind.REGIONAL_MASLIKHAT, area=region)
        for n in range(1, DISTRICTS_PER_REGION + 1):
            code = f"{region.code}-BD{n:02d}"
            area, _ = Area.objects.get_or_create(
                code=code,
                defaults={
                    "kind": AreaKind.DISTRICT,
                    "parent": region,
                    "name_kk": f"Bench ауданы {code}",
                    "name_ru": f"Bench район {code}",
                    "name_en": f"Bench district {code}",
                    "population": 20_000 + 7_919 * n % 90_000,
                },
            )
            Organization.objects.get_or_create(
                slug=f"bench-{code.lower()}",
                defaults={
                    "kind": OrganizationKind.DISTRICT_MASLIKHAT,
                    "parent": regional,
                    "area": area,
                    "name_kk": f"Bench мәслихаты {code}",
                    "name_ru": f"Bench маслихат {code}",
                    "name_en": f"Bench maslikhat {code}",
                    "founding_date": date(2023, 3, 19),
                },
            )


def sql(statement: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params or [])
        return cur.fetchall() if cur.description else []


def drop_indexes() -> list[str]:
    """Drop the appeal table's secondary indexes (and its unique constraint); return how to
    recreate them."""
    rows = sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'appeals_appeal' "
        "AND indexname <> 'appeals_appeal_pkey'"
    )
    created = []
    for name, definition in rows:
        if name == "appeals_appeal_registration_number_key":
            sql(f"ALTER TABLE appeals_appeal DROP CONSTRAINT {name}")
            created.append(f"ALTER TABLE appeals_appeal ADD CONSTRAINT {name} UNIQUE (registration_number)")
        else:
            sql(f"DROP INDEX {name}")
            created.append(definition)
    return created


def load_appeals(first: int, count: int) -> None:
    """Appeals first+1 … first+count of 2025, spread over the bodies, months, kinds and topics:
    ~78% answered (85% of them on time), ~1% still open from earlier months, December half open,
    the rest forwarded, refused or withdrawn; 40% of the answers rated."""
    sql("SET session_replication_role = replica")  # no FK triggers during the bulk load
    sql("SET synchronous_commit = off")
    statement = """
    WITH b AS (SELECT array_agg(id ORDER BY id) ids FROM directory_organization
               WHERE kind IN ('regional_maslikhat', 'district_maslikhat', 'city_maslikhat')),
         t AS (SELECT array_agg(id ORDER BY id) ids FROM appeals_topic),
         g AS (
           SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5,
                  (DATE '2025-01-01' + ((i * 7919) %% 365)::int) AS reg
           FROM generate_series(%s::bigint, %s::bigint) i
         ),
         s AS (
           SELECT g.*,
             CASE
               WHEN extract(month FROM reg) = 12 AND r1 < 0.5 THEN 'in_progress'
               WHEN r1 < 0.01 THEN 'registered'
               WHEN r1 < 0.79 THEN (CASE WHEN r2 < 0.5 THEN 'answered' ELSE 'closed' END)
               WHEN r1 < 0.88 THEN 'forwarded'
               WHEN r1 < 0.95 THEN 'not_considered'
               ELSE 'withdrawn'
             END AS st,
             (CASE WHEN r2 < 0.85 THEN 1 + floor(r2 / 0.85 * 15)
                   ELSE 16 + floor((r2 - 0.85) / 0.15 * 14) END)::int AS days
           FROM g
         )
    INSERT INTO appeals_appeal (
      created_at, updated_at, registration_number, kind, text, language, applicant_name,
      applicant_iin, applicant_address, applicant_phone, applicant_email, token_hash, status,
      received_at, registered_on, due_on, original_due_on, answer_text, answered_at, answered_on,
      answer_working_days, answered_on_time, refusal_reason, is_public, rating, rating_comment,
      is_demo, body_id, topic_id
    )
    SELECT now(), now(), 'BENCH-' || i,
      (ARRAY['application','complaint','proposal','feedback','report','request'])[1 + floor(r4 * 6)::int],
      'Benchmark appeal', 'ru', 'Bench Applicant', '850315300128', 'Astana', '+7 701 234 56 78',
      'bench@example.org', md5(i::text) || md5(i::text), st,
      reg::timestamp AT TIME ZONE 'Asia/Almaty', reg, reg + 21, reg + 21,
      CASE WHEN st IN ('answered', 'closed') THEN 'Answer' ELSE '' END,
      CASE WHEN st IN ('answered', 'closed') THEN (reg + days)::timestamp AT TIME ZONE 'Asia/Almaty' END,
      CASE WHEN st IN ('answered', 'closed') THEN reg + days END,
      CASE WHEN st IN ('answered', 'closed') THEN days END,
      CASE WHEN st IN ('answered', 'closed') THEN days <= 15 END,
      '', false,
      CASE WHEN st IN ('answered', 'closed') AND r3 < 0.4 THEN 1 + floor(r3 * 12.5)::int END,
      '', false,
      b.ids[1 + ((i * 31) %% array_length(b.ids, 1))],
      t.ids[1 + floor(r5 * array_length(t.ids, 1))::int]
    FROM s, b, t
    """
    sql(statement, [first + 1, first + count])
    sql("SET session_replication_role = DEFAULT")


def rebuild_rollups() -> int:
    """AppealStats from the appeals in SQL: the same definition as appeal_stats_rebuild
    (month of registration; answered = answered_on set; histogram of answer_working_days)."""
    sql("SET work_mem = '256MB'")
    sql("DELETE FROM appeals_appealstats")
    sql(
        """
        INSERT INTO appeals_appealstats (body_id, month, kind, topic_id, received, answered,
            answered_on_time, rated, rating_sum, answer_days)
        SELECT body_id, m, kind, topic_id, sum(n), sum(a), sum(ot), sum(rt), sum(rs),
               COALESCE(jsonb_object_agg(d::text, a) FILTER (WHERE d IS NOT NULL), '{}'::jsonb)
        FROM (
          SELECT body_id, date_trunc('month', registered_on)::date m, kind, topic_id,
                 CASE WHEN answered_on IS NOT NULL THEN answer_working_days END d,
                 count(*) n, count(answered_on) a,
                 count(*) FILTER (WHERE answered_on IS NOT NULL AND answered_on_time) ot,
                 count(rating) rt, COALESCE(sum(rating), 0) rs
          FROM appeals_appeal GROUP BY 1, 2, 3, 4, 5
        ) x GROUP BY 1, 2, 3, 4
        """
    )
    sql("ANALYZE appeals_appealstats")
    # the per-body-per-month rollups (AppealMonthStats), as the services keep them: the sums
    # of AppealStats over kinds and topics, their histograms merged
    sql("DELETE FROM appeals_appealmonthstats")
    sql(
        """
        INSERT INTO appeals_appealmonthstats (body_id, month, received, answered, answered_on_time,
            rated, rating_sum, answer_days)
        SELECT s.body_id, s.month, s.received, s.answered, s.answered_on_time, s.rated, s.rating_sum,
               COALESCE(h.days, '{}'::jsonb)
        FROM (
          SELECT body_id, month, sum(received) received, sum(answered) answered,
                 sum(answered_on_time) answered_on_time, sum(rated) rated, sum(rating_sum) rating_sum
          FROM appeals_appealstats GROUP BY 1, 2
        ) s LEFT JOIN (
          SELECT body_id, month, jsonb_object_agg(k, n) days FROM (
            SELECT body_id, month, j.key k, sum(j.value::int) n
            FROM appeals_appealstats, jsonb_each_text(answer_days) j GROUP BY 1, 2, 3
          ) x GROUP BY 1, 2
        ) h USING (body_id, month)
        """
    )
    sql("ANALYZE appeals_appealmonthstats")
    return int(sql("SELECT count(*) FROM appeals_appealstats")[0][0])


def overdue_passes() -> dict[str, float]:
    """The maintained "overdue now" counts from scratch (the appeals were loaded behind the
    services' back): a first pass (every counter new: a full count of each body's open appeals),
    as of the day before TODAY, then the daily pass to TODAY (one day of due dates), then the
    same pass again (idempotent: nothing to do)."""
    from datetime import timedelta

    from maslikhat.appeals.rollups import overdue_pass

    sql("DELETE FROM appeals_appealoverdue")
    out = {}
    steps = (("first_pass_s", TODAY - timedelta(days=1)), ("daily_pass_s", TODAY), ("again_s", TODAY))
    for name, day in steps:
        started = time.perf_counter()
        overdue_pass(day)
        out[name] = round(time.perf_counter() - started, 3)
    sql("ANALYZE appeals_appealoverdue")
    return out


def baseline(level: str) -> dict[int, dict[str, Any]]:
    """The same appeal figures straight from the appeals (one GROUP BY), plus the scorecard's
    own overdue, proposal and report queries (they never scan appeals by period)."""
    from maslikhat.council.figures import council_source
    from maslikhat.scorecard import selectors as sc

    bodies = sc.scorecard_bodies(level=level)
    ids = [b.id for b in bodies]
    population = {b.id: b.population for b in bodies}
    rows = sql(
        """
        SELECT body_id, count(*), count(answered_on),
               count(*) FILTER (WHERE answered_on IS NOT NULL AND answered_on_time),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY answer_working_days)
                   FILTER (WHERE answered_on IS NOT NULL),
               count(rating), COALESCE(sum(rating), 0)
        FROM appeals_appeal
        WHERE body_id = ANY(%s) AND registered_on >= %s AND registered_on < %s
        GROUP BY body_id
        """,
        [ids, date(YEAR, 1, 1), date(YEAR + 1, 1, 1)],
    )
    out: dict[int, dict[str, Any]] = {}
    for body_id, received, answered, on_time, median, rated, rating_sum in rows:
        pop = population[body_id]
        out[body_id] = {
            "appeals_received": received,
            "appeals_per_10k": round(received * 10000 / pop, 1) if pop else None,
            "appeals_answered": answered,
            "appeals_answered_on_time_pct": round(100.0 * on_time / answered, 1) if answered else None,
            "appeals_median_answer_days": float(median) if median is not None else None,
            "appeals_average_rating": round(int(rating_sum) / rated, 2) if rated else None,
        }
    buckets = [(date(YEAR, 1, 1), date(YEAR + 1, 1, 1))]
    council = council_source(bodies, buckets, TODAY)[0]
    overdue = dict(
        sql(
            "SELECT body_id, count(*) FROM appeals_appeal WHERE body_id = ANY(%s) AND status = ANY(%s) "
            "AND due_on < %s GROUP BY body_id",
            [ids, ["received", "registered", "assigned", "in_progress"], TODAY],
        )
    )
    for b in bodies:
        out.setdefault(b.id, {}).update(council.get(b.id, {}))
        out[b.id]["appeals_overdue_now"] = overdue.get(b.id, 0)
    return out


def timed(fn: Any, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


def _cold() -> None:
    """A new connection, the shared cache and this process's kept values and histograms empty."""
    from django.core.cache import cache, caches
    from django.db import connection

    from maslikhat.appeals.figures import reset_histograms
    from maslikhat.core.figures import reset_kept

    connection.close()
    cache.clear()
    caches["pages"].clear()
    reset_histograms()
    reset_kept()


def _build_counted(build: Any) -> tuple[float, float, int]:
    """Wall ms, CPU ms and queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # the clock starts before the capture, which opens the connection (cold: a new one)
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as ctx:
        build()
    wall = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    return wall, cpu_ms, len(ctx.captured_queries)


def _per_source(bodies: Any, buckets: Any) -> dict[str, dict[str, float]]:
    """Each source computed alone (nothing kept), wall and CPU ms: the profile of a cold table."""
    from maslikhat.core.figures import SOURCES
    from maslikhat.scorecard.selectors import _without_jit

    out: dict[str, dict[str, float]] = {}
    for source in SOURCES:
        wall, cpu, queries = _build_counted(
            lambda s=source: _without_jit(lambda: s.compute(bodies, buckets, TODAY))
        )
        out[source.name] = {"wall_ms": round(wall, 1), "cpu_ms": round(cpu, 1), "queries": queries}
    return out


def measure(scale: float, rollup_rows: int) -> dict[str, Any]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db.models import Count

    from maslikhat.appeals.choices import OPEN_STATUSES
    from maslikhat.appeals.models import Appeal
    from maslikhat.scorecard import selectors as sc

    cache.clear()  # appeals were bulk-loaded behind the services' back
    period = sc.period_parse(str(YEAR))
    result: dict[str, Any] = {"appeals_millions": scale, "rollup_rows": rollup_rows}
    for level in ("regional", "district"):
        _cold()
        table = sc.scorecard_build(period=period, level=level, today=TODAY)
        table_bodies = [r.body for r in table.rows]
        buckets = [(period.start, period.end), (period.previous().start, period.previous().end)]
        started = time.perf_counter()
        direct = baseline(level)
        check_ms = (time.perf_counter() - started) * 1000
        for row in table.rows:
            expected = direct.get(row.body.id, {})
            got = {k: row.values[k] for k in expected}
            if got != expected:
                raise SystemExit(f"mismatch for body {row.body.id}: {got} != {expected}")

        def build(lv: str = level) -> None:
            sc.scorecard_build(period=period, level=lv, today=TODAY)

        colds = []
        for _ in range(COLD_RUNS):
            _cold()
            colds.append(_build_counted(build))
        cold, cold_cpu, cold_queries = sorted(colds)[len(colds) // 2]
        warms = [_build_counted(build) for _ in range(RUNS)]
        # another process: only the shared cache holds the sources' values and the bodies
        from maslikhat.appeals.figures import reset_histograms
        from maslikhat.core.figures import reset_kept

        shared = []
        for _ in range(RUNS):
            reset_kept()
            reset_histograms()
            shared.append(_build_counted(build))
        warm = statistics.median(w[0] for w in warms)
        warm_cpu = statistics.median(w[1] for w in warms)
        # the same table computed every time (nothing kept): the sources' own work
        settings.SCORECARD_KEEP_VALUES = False
        try:
            build()  # the histograms and the connection warm
            computed = [_build_counted(build) for _ in range(RUNS)]
            per_source = _per_source(table_bodies, buckets)
        finally:
            settings.SCORECARD_KEEP_VALUES = True
        base_all = [check_ms] + [timed(lambda lv=level: baseline(lv), 1)[0] for _ in range(BASELINE_RUNS)]
        base = statistics.median(base_all)
        result[level] = {
            "bodies": len(table.rows),
            "scorecard_cold_ms": round(cold, 1),
            "scorecard_cold_cpu_ms": round(cold_cpu, 1),
            "scorecard_cold_queries": cold_queries,
            "scorecard_cold_runs_ms": [round(c[0], 1) for c in colds],
            "scorecard_warm_ms": round(warm, 1),
            "scorecard_warm_cpu_ms": round(warm_cpu, 1),
            "scorecard_warm_queries": warms[-1][2],
            "shared_cache_ms": round(statistics.median(w[0] for w in shared), 1),
            "shared_cache_cpu_ms": round(statistics.median(w[1] for w in shared), 1),
            "shared_cache_queries": shared[-1][2],
            "computed_ms": round(statistics.median(c[0] for c in computed), 1),
            "computed_cpu_ms": round(statistics.median(c[1] for c in computed), 1),
            "computed_queries": computed[-1][2],
            "per_source": per_source,
            "baseline_ms": round(base, 1),
            "baseline_runs_ms": [round(t, 1) for t in base_all],
            "ratio": round(base / warm, 1),
        }
        print(json.dumps({"scale": scale, "level": level, **result[level]}), flush=True)
    # The live "overdue now" count alone (one indexed query over open appeals), for the record.
    ids = [b.id for b in sc.scorecard_bodies(level="district")]

    def overdue_count() -> None:
        list(
            Appeal.objects.filter(body_id__in=ids, status__in=OPEN_STATUSES, due_on__lt=TODAY)
            .values("body_id")
            .order_by()
            .annotate(n=Count("id"))
        )

    result["overdue_query_district_ms"] = round(timed(overdue_count, RUNS)[0], 1)
    result["open_appeals"] = Appeal.objects.filter(status__in=OPEN_STATUSES).count()
    return result


def _state_get(key: str) -> Any:
    sql("CREATE TABLE IF NOT EXISTS bench_scorecard_state (key text PRIMARY KEY, value jsonb)")
    rows = sql("SELECT value::text FROM bench_scorecard_state WHERE key = %s", [key])
    return json.loads(rows[0][0]) if rows else None


def _state_set(key: str, value: Any) -> None:
    _state_get(key)
    sql(
        "INSERT INTO bench_scorecard_state (key, value) VALUES (%s, %s::jsonb) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def phase_load(millions: float) -> None:
    """`run.py load N`: load appeals up to N million in chunks (BENCH_CHUNK, default 1 M) for
    at most BENCH_LOAD_BUDGET_S seconds (default 480; run it again to go on): the first call
    empties the tables and drops the appeal table's secondary indexes (kept in
    bench_scorecard_state until `finish`)."""
    import django

    setup_database()
    django.setup()
    add_districts()
    if _state_get("loaded") is None:
        sql(
            "TRUNCATE appeals_appealevent, appeals_appealattachment, appeals_appealstats, "
            "appeals_appealmonthstats, appeals_appealoverdue, appeals_appeal CASCADE"
        )
        _state_set("indexes", drop_indexes())
        _state_set("loaded", 0)
    loaded = int(_state_get("loaded"))
    target = int(millions * 1_000_000)
    chunk = int(float(os.environ.get("BENCH_CHUNK", "1")) * 1_000_000)
    budget = float(os.environ.get("BENCH_LOAD_BUDGET_S", "480"))
    started = time.perf_counter()
    while loaded < target and time.perf_counter() - started < budget:
        n = min(chunk, target - loaded)
        t0 = time.perf_counter()
        load_appeals(loaded, n)
        loaded += n
        _state_set("loaded", loaded)
        print(json.dumps({"loaded": loaded, "chunk_s": round(time.perf_counter() - t0, 1)}), flush=True)


def phase_finish() -> None:
    """`run.py finish`: rebuild the dropped indexes (the scorecard's first; resumable: at most
    BENCH_LOAD_BUDGET_S seconds per call, run it again to go on), then the rollups and the
    overdue counters."""
    import django

    django.setup()
    budget = float(os.environ.get("BENCH_LOAD_BUDGET_S", "480"))
    started = time.perf_counter()
    sql("SET maintenance_work_mem = '512MB'")
    first = ("appeal_open_due_idx", "appeals_app_body_id_c1c693_idx", "appeals_appeal_body_id_")
    pending: list[str] = list(_state_get("indexes") or [])
    pending.sort(key=lambda d: next((i for i, name in enumerate(first) if name in d), len(first)))
    if os.environ.get("BENCH_INDEXES") == "scorecard":
        # only the indexes the scorecard's and the baseline's reads use (the others serve the
        # write path and the inbox, not measured here): recorded in the results
        skipped = [d for d in pending if not any(name in d for name in first)]
        pending = [d for d in pending if any(name in d for name in first)]
        _state_set("indexes_skipped", skipped)
    while pending:
        if time.perf_counter() - started > budget:
            print(json.dumps({"indexes_left": len(pending)}), flush=True)
            return
        t0 = time.perf_counter()
        sql(pending[0])
        print(json.dumps({"index": pending[0][:70], "s": round(time.perf_counter() - t0, 1)}), flush=True)
        pending.pop(0)
        _state_set("indexes", pending)
    if _state_get("finished") is not None:
        return
    sql("ANALYZE appeals_appeal")
    t1 = time.perf_counter()
    rows = rebuild_rollups()
    t2 = time.perf_counter()
    passes = overdue_passes()
    info = {"rollup_rebuild_s": round(t2 - t1, 1), "rollup_rows": rows}
    _state_set("finished", {**info, "overdue_passes": passes})
    print(json.dumps(info | passes), flush=True)


def phase_measure() -> None:
    """`run.py measure`: the timings at the loaded size, added to results.json."""
    import django

    django.setup()
    loaded = int(_state_get("loaded") or 0)
    finished = _state_get("finished")
    if not finished:
        raise SystemExit("run `run.py finish` first (indexes, rollups, counters)")
    load = os.getloadavg()
    entry = measure(loaded / 1_000_000, int(finished.get("rollup_rows", 0)))
    entry["overdue_passes"] = finished.get("overdue_passes")
    entry["rollup_rebuild_s"] = finished.get("rollup_rebuild_s")
    entry["load_average_at_start"] = [round(x, 2) for x in load]
    entry["indexes_not_rebuilt"] = len(_state_get("indexes_skipped") or [])
    path = HERE / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results.setdefault("phased", []).append(entry)
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(entry, indent=2))


def main() -> None:
    if len(sys.argv) > 1:
        command = sys.argv[1]
        if command == "load":
            phase_load(float(sys.argv[2]))
        elif command == "finish":
            phase_finish()
        elif command == "measure":
            phase_measure()
        else:
            raise SystemExit("usage: run.py [load MILLIONS | finish | measure]")
        return
    started_all = time.perf_counter()
    setup_database()
    import django

    django.setup()
    add_districts()
    sql(
        "TRUNCATE appeals_appealevent, appeals_appealattachment, appeals_appealstats, "
        "appeals_appealmonthstats, appeals_appealoverdue, appeals_appeal CASCADE"
    )
    results: dict[str, Any] = {"year": YEAR, "today": TODAY.isoformat(), "runs": RUNS, "scales": []}
    loaded = 0
    for scale in SCALES:
        target = int(scale * 1_000_000)
        t0 = time.perf_counter()
        indexes = drop_indexes()
        load_appeals(loaded, target - loaded)
        for statement in indexes:
            sql(statement)
        sql("ANALYZE appeals_appeal")
        loaded = target
        t1 = time.perf_counter()
        rows = rebuild_rollups()
        t2 = time.perf_counter()
        passes = overdue_passes()
        print(
            json.dumps({"scale": scale, "load_s": round(t1 - t0, 1), "rollup_s": round(t2 - t1, 1)}),
            flush=True,
        )
        entry = measure(scale, rows)
        entry["load_s"] = round(t1 - t0, 1)
        entry["rollup_rebuild_s"] = round(t2 - t1, 1)
        entry["overdue_passes"] = passes
        print(json.dumps({"scale": scale, "overdue_passes": passes}), flush=True)
        results["scales"].append(entry)
    results["total_s"] = round(time.perf_counter() - started_all, 1)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    print("| appeals | level | bodies | rollup rows | scorecard cold | warm | GROUP BY baseline | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for e in results["scales"]:
        for level in ("regional", "district"):
            r = e[level]
            print(
                f"| {e['appeals_millions']:g} M | {level} | {r['bodies']} | {e['rollup_rows']:,} | "
                f"{r['scorecard_cold_ms']:,} ms | {r['scorecard_warm_ms']:,} ms | {r['baseline_ms']:,} ms | "
                f"{r['ratio']:,}× |"
            )
    print(f"\ntotal {results['total_s']} s")


if __name__ == "__main__":
    main()
