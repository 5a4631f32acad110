"""bench/participation: participatory-budget ballots over HTTP, the tally of 200,000 ballots, and
an initiative's page with 100,000 supports, on PostgreSQL.

Creates its own database (bench_participation on the PostgreSQL of BENCH_DATABASE_URL, recreated;
`migrate` + `load-reference`), prepares a city process (Astana) in its voting phase with ten
admitted projects and verified voters holding API tokens, and starts gunicorn as bench/http does
(deploy/gunicorn.conf.py, bench/http/wsgi.py for the reference GET /bench-hello, --max-requests 0)
on a free loopback port. Then:

- **ballots**: POST /api/v1/participation/processes/<id>/ballot, each voter once with three
  projects, from a thread pool of this process at several concurrencies; before each, the same
  number of GET /bench-hello at the same concurrency (the reference: ratio = ballots/s over
  hello/s). Then the database is counted: every 200 is a stored ballot with exactly the projects
  sent (lost = 0), one ballot per voter and no repeated project (double = 0). A last run sends
  each of `BENCH_DOUBLE` voters two different ballots at once: one ballot each must remain,
  holding one of the two choices.
- **tally**: 200,000 paper ballots (COPY) of a process in its tally phase; timed in-process: the
  read of the ballots (`services.ballots_of`), greedy, the method of equal shares as
  `tally.equal_shares` runs it, the same with identical ballots grouped (pabutools'
  multiprofile), and `services.process_tally` end to end; the reference is the raw read of the
  ballot rows with psycopg (the floor of any tally that reads them).
- **initiative page**: GET /en/participation/initiatives/<id>/ of an initiative with 100,000
  supports, anonymous and as one of its supporters: queries (Django test client, in-process) and
  the median time over HTTP; the reference is the same page of an initiative with no support.

Loopback only; every loop is bounded. Writes results.json beside this file and rewrites only the
text between the participation markers of bench/README.md.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: bench/ importable
from bench.common import free_port, percentile, start_gunicorn, stop, update_readme_section  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_participation")
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "8,32,64").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
DOUBLE = int(os.environ.get("BENCH_DOUBLE", "500"))
TALLY_BALLOTS = int(os.environ.get("BENCH_TALLY_BALLOTS", "200000"))
SUPPORTS = int(os.environ.get("BENCH_SUPPORTS", "100000"))
PAGE_REPEATS = int(os.environ.get("BENCH_PAGE_REPEATS", "20"))
VAR = ROOT / "var" / "bench-participation"
COSTS = [180, 90, 120, 60, 40, 150, 200, 70, 110, 95]  # million tenge; budget 600 M, limit 200 M
BUDGET = 600_000_000
SEED = 42


def server_env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "DATABASE_URL": DB_URL,
        "MASLIKHAT_VAR_DIR": str(VAR),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


# ------------------------------------------------------------------ setup


def setup_database() -> float:
    started = time.perf_counter()
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    for cmd in (["migrate", "-v", "0"], ["load-reference"]):
        subprocess.run(
            [str(BIN / "maslikhat"), *cmd],
            env=server_env(0),
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


def django_setup() -> None:
    for key, value in server_env(0).items():
        if key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MASLIKHAT_VAR_DIR", "EMAIL_BACKEND", "DEBUG"):
            os.environ[key] = value
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()


def _dates(phase: str) -> dict[str, Any]:
    from django.utils import timezone

    today = timezone.localdate()
    vote_from = today - timedelta(days=3) if phase == "voting" else today - timedelta(days=20)
    return {
        "applications_from": vote_from - timedelta(days=56),
        "applications_until": vote_from - timedelta(days=27),
        "review_until": vote_from - timedelta(days=15),
        "revision_until": vote_from - timedelta(days=8),
        "second_review_until": vote_from - timedelta(days=1),
        "voting_from": vote_from,
        "voting_until": vote_from + timedelta(days=13) if phase == "voting" else today - timedelta(days=1),
        "tally_until": today + timedelta(days=20),
    }


def make_process(title: str, phase: str) -> Any:
    from maslikhat.directory.models import Organization
    from maslikhat.participation.models import BudgetProcess, Project

    body = Organization.objects.select_related("area").get(slug="kz-71-maslikhat")
    process = BudgetProcess.objects.create(  # type: ignore[misc]
        body=body,
        area=body.area,
        title=title,
        total_amount=BUDGET,
        cost_limit=200_000_000,
        adult_population=1_050_000,
        **_dates(phase),
    )
    for i, cost in enumerate(COSTS):
        Project.objects.create(
            process=process,
            title=f"Bench project {i + 1}",
            text="A synthetic project of the benchmark.",
            object_ref=f"Bench street {i + 1}",
            cost=cost * 1_000_000,
            status="feasible",
            review_feasible=True,
            review_legal=True,
        )
    return process


def make_users(prefix: str, n: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    unusable = "!bench"  # an unusable password: these accounts cannot sign in
    user_model.objects.bulk_create(
        [user_model(username=f"{prefix}-{i:06d}", password=unusable) for i in range(n)], batch_size=5000
    )
    return list(user_model.objects.filter(username__startswith=f"{prefix}-").order_by("pk"))


def make_voters(n: int, area: Any) -> list[tuple[int, str]]:
    """n verified residents of `area`, each with an API token: (user id, token)."""
    from django.utils import timezone

    from maslikhat.core.models import ApiToken
    from maslikhat.participation.models import Verification

    users = make_users("voter", n)
    now = timezone.now()
    Verification.objects.bulk_create(
        [
            Verification(
                user=u, area=area, method="in_person", verified_at=now, expires_at=now + timedelta(days=365)
            )
            for u in users
        ],
        batch_size=5000,
    )
    keys = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=u,
                key_hash=hashlib.sha256(k.encode()).hexdigest(),
                expires_at=now + timedelta(days=30),
                auth_hash=u.get_session_auth_hash(),
            )
            for u, k in zip(users, keys, strict=True)
        ],
        batch_size=5000,
    )
    return [(u.pk, k) for u, k in zip(users, keys, strict=True)]


class QueryCount:
    """Counts the statements run on the default connection (Django resets `connection.queries`
    when a request starts, so CaptureQueriesContext sees none of a test client's request)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)


def count_queries(fn: Any) -> tuple[int, Any]:
    from django.db import connection

    counter = QueryCount()
    with connection.execute_wrapper(counter):
        value = fn()
    return counter.n, value


# ------------------------------------------------------------------ HTTP load


def _request(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.perf_counter() - started
    except OSError:
        return 0, time.perf_counter() - started
    finally:
        conn.close()


def _load(
    port: int, jobs: Sequence[tuple[str, str, bytes | None, dict[str, str]]], concurrency: int
) -> dict[str, Any]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(lambda j: _request(port, *j), jobs))
    elapsed = time.perf_counter() - started
    ok = sum(1 for s, _ in outcomes if s == 200)
    latencies = [t for _, t in outcomes]
    return {
        "sent": len(jobs),
        "ok_200": ok,
        "other_status": dict(Counter(str(s) for s, _ in outcomes if s != 200)),
        "per_second": round(ok / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "statuses": [s for s, _ in outcomes],
    }


def ballot_job(process_id: int, token: str, choice: list[int]) -> tuple[str, str, bytes, dict[str, str]]:
    return (
        "POST",
        f"/api/v1/participation/processes/{process_id}/ballot",
        json.dumps({"projects": choice}).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )


def choices(rng: random.Random, project_ids: list[int], n: int) -> list[list[int]]:
    weights = [len(project_ids) - i for i in range(len(project_ids))]
    prices = dict(zip(project_ids, COSTS, strict=True))
    out = []
    for _ in range(n):
        chosen: list[int] = []
        for _try in range(30):  # bounded
            if len(chosen) == 3:
                break
            pick = rng.choices(project_ids, weights=weights)[0]
            if pick not in chosen and sum(prices[c] for c in chosen) + prices[pick] <= BUDGET // 1_000_000:
                chosen.append(pick)
        out.append(sorted(chosen))
    return out


def check_ballots(process_id: int, sent: dict[int, list[list[int]]], acked: set[int]) -> dict[str, int]:
    """lost: a 200 without a stored ballot holding a choice sent; double: more than one ballot
    for a voter, or a project twice on a ballot."""
    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute(
            "SELECT b.user_id, b.id, bp.project_id FROM participation_ballot b "
            "JOIN participation_ballot_projects bp ON bp.ballot_id = b.id WHERE b.process_id = %s",
            [process_id],
        ).fetchall()
    ballots_of_user: dict[int, set[int]] = {}
    projects: dict[int, list[int]] = {}
    for user_id, ballot_id, project_id in rows:
        ballots_of_user.setdefault(user_id, set()).add(ballot_id)
        projects.setdefault(ballot_id, []).append(project_id)
    lost = 0
    for user_id in acked:
        ids = ballots_of_user.get(user_id, set())
        stored = [sorted(projects[b]) for b in ids]
        if not stored or not any(s in sent[user_id] for s in stored):
            lost += 1
    double = sum(len(ids) - 1 for ids in ballots_of_user.values()) + sum(
        len(p) - len(set(p)) for p in projects.values()
    )
    return {
        "acknowledged": len(acked),
        "stored_ballots": len(projects),
        "voters_with_ballot": len(ballots_of_user),
        "lost": lost,
        "double": double,
        "not_acknowledged_but_stored": len(set(ballots_of_user) - acked),
    }


def run_ballots(port: int, process: Any, voters: list[tuple[int, str]]) -> dict[str, Any]:
    from django.test import Client

    rng = random.Random(SEED)
    project_ids = list(process.projects.order_by("id").values_list("pk", flat=True))
    # one ballot in-process (test client, no network): its queries
    probe_user, probe_token = voters.pop()
    client = Client(HTTP_HOST="127.0.0.1")
    _m, path, body, headers = ballot_job(process.pk, probe_token, project_ids[:3])
    probe_queries, probe = count_queries(
        lambda: client.post(
            path, data=body, content_type="application/json", HTTP_AUTHORIZATION=headers["Authorization"]
        )
    )
    probe_probe = {"status": probe.status_code, "queries": probe_queries}
    print(json.dumps({"in_process_ballot": probe_probe}), flush=True)
    sent: dict[int, list[list[int]]] = {probe_user: [sorted(project_ids[:3])]}
    acked: set[int] = {probe_user} if probe.status_code == 200 else set()
    runs = []
    offset = 0
    for concurrency in CONCURRENCY:
        batch = voters[offset : offset + REQUESTS]
        offset += REQUESTS
        picks = choices(rng, project_ids, len(batch))
        hello = _load(port, [("GET", "/bench-hello", None, {})] * len(batch), concurrency)
        jobs = []
        for (user_id, token), choice in zip(batch, picks, strict=True):
            sent[user_id] = [choice]
            jobs.append(ballot_job(process.pk, token, choice))
        result = _load(port, jobs, concurrency)
        acked |= {u for (u, _t), s in zip(batch, result.pop("statuses"), strict=True) if s == 200}
        hello.pop("statuses")
        run = {
            "concurrency": concurrency,
            **result,
            "hello_per_second": hello["per_second"],
            "ratio_to_hello": round(result["per_second"] / hello["per_second"], 3)
            if hello["per_second"]
            else 0,
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
        runs.append(run)
        print(json.dumps(run), flush=True)
    # the same voters twice at once, with two different choices
    batch = voters[offset : offset + DOUBLE]
    first, second = choices(rng, project_ids, len(batch)), choices(rng, project_ids, len(batch))
    jobs = []
    for (user_id, token), a, b in zip(batch, first, second, strict=True):
        sent[user_id] = [a, b]
        jobs += [ballot_job(process.pk, token, a), ballot_job(process.pk, token, b)]
    concurrency = max(CONCURRENCY)
    result = _load(port, jobs, concurrency)
    statuses = result.pop("statuses")
    twice = {u for i, (u, _t) in enumerate(batch) if statuses[2 * i] == 200 or statuses[2 * i + 1] == 200}
    acked |= twice
    double_run = {"concurrency": concurrency, "voters": len(batch), **result}
    print(json.dumps(double_run), flush=True)
    return {
        "in_process_ballot": probe_probe,
        "runs": runs,
        "double_submission": double_run,
        "database": check_ballots(process.pk, sent, acked),
    }


# ------------------------------------------------------------------ tally


def copy_paper_ballots(process: Any, n: int) -> None:
    rng = random.Random(SEED + 1)
    project_ids = list(process.projects.order_by("id").values_list("pk", flat=True))
    picks = choices(rng, project_ids, n)
    with psycopg.connect(DB_URL) as conn:
        with conn.cursor() as cur:
            with cur.copy(
                "COPY participation_ballot (process_id, paper, updated_at, is_demo) FROM STDIN"
            ) as copy:
                for _ in range(n):
                    copy.write_row((process.pk, True, "2026-12-01 10:00:00+00", False))
            ids = [
                r[0]
                for r in cur.execute(
                    "SELECT id FROM participation_ballot WHERE process_id = %s ORDER BY id", [process.pk]
                ).fetchall()
            ]
            with cur.copy("COPY participation_ballot_projects (ballot_id, project_id) FROM STDIN") as copy:
                for ballot_id, choice in zip(ids, picks, strict=True):
                    for project_id in choice:
                        copy.write_row((ballot_id, project_id))
        conn.commit()
        conn.execute("ANALYZE participation_ballot")
        conn.execute("ANALYZE participation_ballot_projects")
        conn.commit()


def _timed(fn: Any, repeats: int = 3) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def grouped_equal_shares(candidates: list[Any], ballots: list[list[int]], budget: int) -> list[int]:
    """`tally.equal_shares` with identical ballots grouped (pabutools' ApprovalMultiProfile),
    completed by greedy the same way: the change suggested for participation/tally.py."""
    from fractions import Fraction

    from pabutools.election import ApprovalMultiProfile, Cost_Sat, FrozenApprovalBallot, Instance, Project
    from pabutools.rules import method_of_equal_shares

    projects = {c.id: Project(str(c.id), Fraction(c.cost)) for c in candidates}
    instance = Instance(projects.values(), budget_limit=Fraction(budget))
    profile = ApprovalMultiProfile(instance=instance)
    for key, count in Counter(frozenset(b) for b in ballots).items():
        profile[FrozenApprovalBallot(projects[i] for i in key if i in projects)] = count
    winners = [int(p.name) for p in method_of_equal_shares(instance, profile, sat_class=Cost_Sat)]
    left = budget - sum(projects[i].cost for i in winners)
    for c in sorted(candidates, key=lambda c: (-c.votes, c.cost, c.id)):
        if c.id not in winners and c.votes > 0 and c.cost <= left:
            winners.append(c.id)
            left -= c.cost
    return winners


def run_tally(staff: Any) -> dict[str, Any]:
    from maslikhat.participation import services
    from maslikhat.participation.models import BudgetProcess
    from maslikhat.participation.tally import Candidate, equal_shares, greedy

    process = make_process("Bench tally", "tally")
    started = time.perf_counter()
    copy_paper_ballots(process, TALLY_BALLOTS)
    print(f"{TALLY_BALLOTS} ballots copied ({time.perf_counter() - started:.1f} s)", flush=True)

    def raw_read() -> int:
        with psycopg.connect(DB_URL) as conn:
            rows = conn.execute(
                "SELECT bp.ballot_id, bp.project_id FROM participation_ballot_projects bp "
                "JOIN participation_ballot b ON b.id = bp.ballot_id WHERE b.process_id = %s",
                [process.pk],
            ).fetchall()
        return len(rows)

    reference_s, rows = _timed(raw_read)
    read_s, ballots = _timed(lambda: services.ballots_of(process))
    votes = Counter(p for b in ballots for p in b)
    candidates = [Candidate(p.pk, p.cost, votes[p.pk]) for p in process.projects.order_by("id")]
    greedy_s, greedy_winners = _timed(lambda: greedy(candidates, BUDGET), repeats=5)
    equal_shares(candidates, ballots[:50], BUDGET)  # import pabutools outside the timing
    mes_s, mes_winners = _timed(lambda: equal_shares(candidates, ballots, BUDGET), repeats=1)
    grouped_s, grouped_winners = _timed(lambda: grouped_equal_shares(candidates, ballots, BUDGET))

    def end_to_end(method: str) -> float:
        BudgetProcess.objects.filter(pk=process.pk).update(method=method, tallied_at=None)
        process.refresh_from_db()
        started = time.perf_counter()
        services.process_tally(actor=staff, process=process)
        elapsed = time.perf_counter() - started
        from maslikhat.participation.models import Implementation

        Implementation.objects.filter(project__process=process).delete()
        return elapsed

    tally_greedy_s = end_to_end("greedy")
    tally_mes_s = end_to_end("equal_shares")
    out = {
        "ballots": TALLY_BALLOTS,
        "ballot_project_rows": rows,
        "projects": len(candidates),
        "distinct_ballots": len({frozenset(b) for b in ballots}),
        "reference_raw_read_s": round(reference_s, 3),
        "ballots_of_s": round(read_s, 3),
        "greedy_compute_s": round(greedy_s, 6),
        "equal_shares_compute_s": round(mes_s, 3),
        "equal_shares_grouped_compute_s": round(grouped_s, 3),
        "equal_shares_grouped_same_winners": sorted(grouped_winners) == sorted(mes_winners),
        "process_tally_greedy_s": round(tally_greedy_s, 3),
        "process_tally_equal_shares_s": round(tally_mes_s, 3),
        "ratio_process_tally_greedy_to_reference": round(tally_greedy_s / reference_s, 2),
        "ratio_process_tally_equal_shares_to_reference": round(tally_mes_s / reference_s, 2),
        "greedy_winners": len(greedy_winners),
        "equal_shares_winners": len(mes_winners),
    }
    print(json.dumps(out), flush=True)
    return out


# ------------------------------------------------------------------ initiative page


def make_initiative(title: str, supporters: list[Any]) -> Any:
    from django.utils import timezone

    from maslikhat.directory.models import Organization
    from maslikhat.participation.models import Initiative, Support

    body = Organization.objects.select_related("area").get(slug="kz-71-maslikhat")
    today = timezone.localdate()
    initiative = Initiative.objects.create(
        body=body,
        area=body.area,  # type: ignore[misc]
        title=title,
        text="A synthetic initiative of the benchmark.",
        category="yards",
        status="collecting",
        threshold=1_000_000,
        support_from=today - timedelta(days=10),
        support_until=today + timedelta(days=80),
        online_supports=len(supporters),
    )
    Support.objects.bulk_create(
        [Support(initiative=initiative, user=u) for u in supporters], batch_size=10000
    )
    return initiative


def run_page(port: int, supporters: list[Any]) -> dict[str, Any]:
    from django.test import Client

    started = time.perf_counter()
    big = make_initiative("Bench initiative with many supports", supporters)
    empty = make_initiative("Bench initiative without support", [])
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("ANALYZE participation_support")
    print(f"{len(supporters)} supports written ({time.perf_counter() - started:.1f} s)", flush=True)
    out: dict[str, Any] = {"supports": len(supporters)}
    for label, initiative in (("many", big), ("none", empty)):
        path = f"/en/participation/initiatives/{initiative.pk}/"
        for who in ("anonymous", "supporter"):
            client = Client(HTTP_HOST="127.0.0.1")
            if who == "supporter":
                client.force_login(supporters[len(supporters) // 2])
            client.get(path)  # warm
            n_queries, response = count_queries(lambda c=client, p=path: c.get(p))
            status = response.status_code
            times = []
            for _ in range(PAGE_REPEATS):
                t = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - t)
            out[f"{label}_{who}"] = {
                "status": status,
                "queries": n_queries,
                "in_process_median_ms": round(statistics.median(times) * 1000, 2),
            }
        http_times = [
            _request(port, "GET", path, None, {"Host": "127.0.0.1"}) for _ in range(PAGE_REPEATS + 1)
        ][1:]
        out[f"{label}_anonymous"]["http_median_ms"] = round(
            statistics.median(t for _, t in http_times) * 1000, 2
        )
        out[f"{label}_anonymous"]["http_statuses"] = sorted({s for s, _ in http_times})
    out["ratio_many_to_none_http"] = round(
        out["many_anonymous"]["http_median_ms"] / out["none_anonymous"]["http_median_ms"], 3
    )
    out["ratio_many_to_none_supporter_in_process"] = round(
        out["many_supporter"]["in_process_median_ms"] / out["none_supporter"]["in_process_median_ms"], 3
    )
    print(json.dumps(out), flush=True)
    return out


# ------------------------------------------------------------------ report


def render(r: dict[str, Any]) -> str:
    b, t, p = r["ballots"], r["tally"], r["initiative_page"]
    db = b["database"]
    lines = [
        f"Last run: {r['date']}, {r['machine']['cores']} cores shared by the bench, gunicorn "
        f"({r['server']['workers']} sync workers, DEBUG off) and PostgreSQL; Python "
        f"{r['machine']['python']}; load average {r['machine']['load_average_1m_start']} at start, "
        f"{r['machine']['load_average_1m_end']} at the end.",
        "",
        "Ballots: POST /api/v1/participation/processes/<id>/ballot (bearer token, three projects, each "
        "voter once); hello = GET /bench-hello at the same concurrency just before. One ballot "
        f"in-process (test client): {b['in_process_ballot']['queries']} queries.",
        "",
        "| concurrency | ballots | ballots/s | p50 ms | p99 ms | hello/s | ratio to hello | other status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in b["runs"]:
        lines.append(
            f"| {run['concurrency']} | {run['ok_200']:,} of {run['sent']:,} | {run['per_second']:,} | "
            f"{run['p50_ms']:,} | {run['p99_ms']:,} | {run['hello_per_second']:,} | "
            f"{run['ratio_to_hello']} | {run['other_status'] or '—'} |"
        )
    d = b["double_submission"]
    lines += [
        "",
        f"Same voter twice at once ({d['voters']} voters, two different ballots each, concurrency "
        f"{d['concurrency']}): {d['ok_200']:,} of {d['sent']:,} answered 200, "
        f"other {d['other_status'] or '—'}.",
        f"Database after the runs: {db['acknowledged']:,} voters acknowledged, {db['stored_ballots']:,} "
        f"ballots stored; **lost {db['lost']}, double {db['double']}**, stored without a 200 "
        f"{db['not_acknowledged_but_stored']}.",
        "",
        f"Tally of {t['ballots']:,} ballots ({t['ballot_project_rows']:,} ballot-project rows, "
        f"{t['projects']} projects, {t['distinct_ballots']} distinct ballots), in-process on PostgreSQL; "
        "reference = the raw read of the rows with psycopg.",
        "",
        "| step | seconds | ratio to reference |",
        "|---|---|---|",
        f"| reference: raw read of the ballot rows | {t['reference_raw_read_s']} | 1 |",
        f"| `services.ballots_of` (ORM read) | {t['ballots_of_s']} | "
        f"{round(t['ballots_of_s'] / t['reference_raw_read_s'], 2)} |",
        f"| greedy (compute only) | {t['greedy_compute_s']} | "
        f"{round(t['greedy_compute_s'] / t['reference_raw_read_s'], 4)} |",
        f"| equal shares as `tally.equal_shares` runs it (compute only) | {t['equal_shares_compute_s']} | "
        f"{round(t['equal_shares_compute_s'] / t['reference_raw_read_s'], 2)} |",
        f"| equal shares, identical ballots grouped (suggested; same winners: "
        f"{t['equal_shares_grouped_same_winners']}) | {t['equal_shares_grouped_compute_s']} | "
        f"{round(t['equal_shares_grouped_compute_s'] / t['reference_raw_read_s'], 2)} |",
        f"| `services.process_tally`, greedy, end to end | {t['process_tally_greedy_s']} | "
        f"{t['ratio_process_tally_greedy_to_reference']} |",
        f"| `services.process_tally`, equal shares, end to end | {t['process_tally_equal_shares_s']} | "
        f"{t['ratio_process_tally_equal_shares_to_reference']} |",
        "",
        f"Initiative page with {p['supports']:,} supports (GET /en/participation/initiatives/<id>/); "
        "reference = the same page of an initiative with no support.",
        "",
        "| initiative | visitor | queries | in-process median ms | HTTP median ms |",
        "|---|---|---|---|---|",
    ]
    for key, label in (("many", f"{p['supports']:,} supports"), ("none", "no support")):
        for who in ("anonymous", "supporter"):
            cell = p[f"{key}_{who}"]
            lines.append(
                f"| {label} | {who} | {cell['queries']} | {cell['in_process_median_ms']} | "
                f"{cell.get('http_median_ms', '—')} |"
            )
    lines += [
        "",
        f"Ratio many/none: {p['ratio_many_to_none_http']} over HTTP (anonymous), "
        f"{p['ratio_many_to_none_supporter_in_process']} in-process (supporter).",
    ]
    return "\n".join(lines)


BEGIN, END = "<!-- participation:results:begin -->", "<!-- participation:results:end -->"
SECTION_HEAD = """## bench/participation — ballots, tally, initiative page

`.venv/bin/python bench/participation/run.py` (a few minutes): its own PostgreSQL database
`bench_participation` (recreated; `migrate`, `load-reference`), gunicorn as bench/http runs it
(deploy/gunicorn.conf.py, `bench/http/wsgi.py` for the reference `GET /bench-hello`,
`--max-requests 0`, DEBUG off, no Redis), the load from a thread pool of the script (one
connection per request). Targets (issue 13): ballots ≥ 200/s over HTTP with 0 lost and 0 double;
the tally of 200,000 ballots < 1 s; the query count and time of an initiative page with 100,000
supports. Knobs: `BENCH_DATABASE_URL`, `BENCH_CONCURRENCY` (8,32,64), `BENCH_REQUESTS` (1000 per
concurrency), `BENCH_DOUBLE` (500), `BENCH_TALLY_BALLOTS` (200000), `BENCH_SUPPORTS` (100000),
`BENCH_PAGE_REPEATS` (20).

"""


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    load_start = round(os.getloadavg()[0], 2)
    setup_s = setup_database()
    print(f"database ready ({setup_s:.0f} s)", flush=True)
    django_setup()
    from django.contrib.auth import get_user_model

    voting = make_process("Bench vote", "voting")
    voters = make_voters(REQUESTS * len(CONCURRENCY) + DOUBLE + 1, voting.area)
    staff = get_user_model().objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    print(f"{len(voters)} voters ready", flush=True)
    port = free_port()
    server = start_gunicorn(
        app="bench.http.wsgi:application",
        env=server_env(port),
        port=port,
        log=VAR / "gunicorn.log",
        extra=["--max-requests", "0"],
    )
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m_start": load_start,
        },
        "server": {
            "workers": (os.cpu_count() or 1) * 2 + 1,
            "gunicorn": "deploy/gunicorn.conf.py, --max-requests 0",
        },
    }
    try:
        for _ in range(200):  # warm every worker
            _request(port, "GET", "/bench-hello", None, {})
        results["ballots"] = run_ballots(port, voting, voters)
        results["tally"] = run_tally(staff)
        supporters = make_users("supporter", SUPPORTS)
        results["initiative_page"] = run_page(port, supporters)
    finally:
        stop(server)
    results["machine"]["load_average_1m_end"] = round(os.getloadavg()[0], 2)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = render(results)
    print(table)
    update_readme_section(begin=BEGIN, end=END, heading=SECTION_HEAD, table=table)


if __name__ == "__main__":
    main()
