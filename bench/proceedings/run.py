"""bench/proceedings: the decisions register at 100,000 decisions, and a deputy's page with five
years of votes, on PostgreSQL.

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_proceedings), dropped and created, migrated, then filled
with bulk_create (no reference data: the pages need only the bodies, people and proceedings):

- BODIES maslikhats (10), each with its 2021 convocation and SESSIONS sessions (200, from January
  2021 to November 2026) of DECISIONS_PER_SESSION decisions (50): 100,000 decisions in the table,
  10,000 in each body's register, titles drawn from typical ones (kk, ru, en; about one in five
  has "бюджет", one in a thousand "зоопарк"); and one more maslikhat without decisions;
- in the first body DEPUTIES deputies (40) and, at each session, attendance and ITEMS_PER_SESSION
  (3) agenda items put to a roll-call vote with every deputy's ballot: 600 votes over six years,
  24,000 ballots, 8,000 attendance rows.

Then, in-process through Django's test client (middleware, views, templates; no network), after
WARMUP requests, the p50 and p99 of REQUESTS requests each of: the register (page 1, page 100),
a title search (a common word, a rare one), a number search; a deputy's person page (its query
count too). The reference, measured in the same run the same way, is the register of a maslikhat
without decisions (the same view, middleware and template, no rows): each figure is also given as
a ratio to it, which is what compares across runs on a shared machine, and which is the cost of
the 100,000 rows. GET /healthz (middleware only) is given for scale. Writes results.json beside
this file.

Run: `.venv/bin/python bench/proceedings/run.py` (a few minutes on 2 cores).
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_proceedings")
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
BODIES = int(os.environ.get("BENCH_BODIES", "10"))
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "200"))
DECISIONS_PER_SESSION = int(os.environ.get("BENCH_DECISIONS_PER_SESSION", "50"))
DEPUTIES = int(os.environ.get("BENCH_DEPUTIES", "40"))
ITEMS_PER_SESSION = 3
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "10"))
FIRST_DAY = date(2021, 1, 15)
LAST_DAY = date(2026, 11, 20)

os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

TITLES = [  # (kk, ru, en); "{y}" the year
    ("{y} жылға арналған бюджет туралы", "О бюджете на {y} год", "On the budget for {y}"),
    (
        "{y} жылға арналған бюджет туралы шешімге өзгерістер енгізу туралы",
        "О внесении изменений в решение о бюджете на {y} год",
        "On amendments to the decision on the budget for {y}",
    ),
    (
        "Аумақты абаттандыру қағидалары туралы",
        "О правилах благоустройства территории",
        "On improvement rules",
    ),
    (
        "Әлеуметтік көмек көрсету қағидалары туралы",
        "О правилах оказания социальной помощи",
        "On social assistance",
    ),
    ("Жайылымдарды пайдалану жоспары туралы", "О плане использования пастбищ", "On the use of pastures"),
    ("Тіркелген салық ставкалары туралы", "О ставках фиксированного налога", "On fixed tax rates"),
    ("Мәслихаттың жұмыс жоспары туралы", "О плане работы маслихата", "On the work plan"),
    ("Автотұрақ үшін төлем ставкалары туралы", "О ставках платы за парковку", "On parking rates"),
    ("Үй жануарларын ұстау қағидалары туралы", "О правилах содержания животных", "On keeping pets"),
    (
        "Шешімнің күші жойылды деп тану туралы",
        "О признании утратившим силу решения",
        "On repealing a decision",
    ),
]
RARE = ("Қалалық зоопарк туралы", "О городском зоопарке", "On the city зоопарк")  # 1 in 1,000


def setup_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fill() -> dict[str, Any]:
    """The bodies, the deputies of the first body, sessions, decisions, votes: bulk_create."""
    from maslikhat.directory.choices import ElectionMethod, OrganizationKind, PostRole
    from maslikhat.directory.models import Membership, Organization, Person
    from maslikhat.proceedings.models import (
        AgendaItem,
        Attendance,
        Convocation,
        Decision,
        DecisionCounter,
        PersonVote,
        Session,
        Vote,
    )

    rng = random.Random(42)  # noqa: S311 - benchmark data
    started = time.perf_counter()
    bodies = Organization.objects.bulk_create(
        [
            Organization(
                slug=f"bench-maslikhat-{i}",
                kind=OrganizationKind.REGIONAL_MASLIKHAT,
                name_kk=f"Бенч {i} мәслихаты",
                name_ru=f"Маслихат бенч {i}",
                name_en=f"Bench maslikhat {i}",
                founding_date=date(2000, 1, 1),
                seats=DEPUTIES,
            )
            for i in range(BODIES + 1)  # the last one has no decisions: the reference
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                name_kk=f"Депутат {i}",
                name_ru=f"Депутат {i}",
                name_en=f"Deputy {i}",
                sort_name=f"Deputy {i:03d}",
            )
            for i in range(DEPUTIES)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                organization=bodies[0],
                role=PostRole.CONSTITUENCY_DEPUTY,
                election_method=ElectionMethod.SINGLE_MANDATE,
                start_date=date(2021, 1, 10),
            )
            for p in people
        ]
    )
    empty = bodies.pop()
    convs = Convocation.objects.bulk_create(
        [Convocation(body=b, number=8, start_date=date(2021, 1, 10), seats=DEPUTIES) for b in bodies]
    )
    span = (LAST_DAY - FIRST_DAY).days
    sessions: list[Session] = []
    for b, conv in zip(bodies, convs, strict=True):
        for n in range(1, SESSIONS + 1):
            day = FIRST_DAY + timedelta(days=span * (n - 1) // max(SESSIONS - 1, 1))
            sessions.append(
                Session(
                    convocation=conv,
                    body=b,
                    number=n,
                    status="closed",
                    starts_at=datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC),
                    notice=f"Сессия {n}",
                    convened_at=datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=14),
                )
            )
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    first_body_sessions = [s for s in sessions if s.body_id == bodies[0].pk]
    # the first body's sessions: items with roll-call votes, ballots and attendance
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                session=s,
                order=k + 1,
                title_kk=TITLES[k][0].format(y=s.starts_at.year),
                title_ru=TITLES[k][1].format(y=s.starts_at.year),
                title_en=TITLES[k][2].format(y=s.starts_at.year),
                outcome="adopted",
            )
            for s in first_body_sessions
            for k in range(ITEMS_PER_SESSION)
        ],
        batch_size=2000,
    )
    votes = []
    ballots = []
    attendance = []
    for s in first_body_sessions:
        away = set(rng.sample(range(DEPUTIES), 3))
        attendance += [Attendance(session=s, person=p, present=i not in away) for i, p in enumerate(people)]
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    for item in items:
        votes.append(
            Vote(
                item=item,
                method="roll_call",
                elected=DEPUTIES,
                present=DEPUTIES - 3,
                yes=DEPUTIES - 3,
                absent=3,
                quorum=True,
                result="passed",
                closed_at=item.session.starts_at + timedelta(hours=1),
            )
        )
    votes = Vote.objects.bulk_create(votes, batch_size=2000)
    for vote in votes:
        away = set(rng.sample(range(DEPUTIES), 3))
        ballots += [
            PersonVote(vote=vote, person=p, option="absent" if i in away else "yes")
            for i, p in enumerate(people)
        ]
    PersonVote.objects.bulk_create(ballots, batch_size=5000)
    item_of = {(i.session_id, i.order): i for i in items}
    # the register: every session's decisions, numbered {session}-{seq} in its convocation
    decisions: list[Decision] = []
    seq_of: dict[int, int] = {}
    for s in sessions:
        for k in range(DECISIONS_PER_SESSION):
            seq = seq_of.get(s.convocation_id, 0) + 1
            seq_of[s.convocation_id] = seq
            kk, ru, en = RARE if rng.random() < 0.001 else rng.choice(TITLES)
            year = s.starts_at.year
            decisions.append(
                Decision(
                    body_id=s.body_id,
                    convocation_id=s.convocation_id,
                    session=s,
                    item=item_of.get((s.pk, k + 1)),
                    seq=seq,
                    number=f"{s.number}-{seq}",
                    title_kk=kk.format(y=year),
                    title_ru=ru.format(y=year),
                    title_en=en.format(y=year),
                    text_kk="Шешімнің мәтіні.",
                    text_ru="Текст решения.",
                    adopted_on=s.starts_at.date(),
                    status=rng.choice(["in_force", "in_force", "published", "amended", "repealed"]),
                    in_force_on=s.starts_at.date(),
                )
            )
    Decision.objects.bulk_create(decisions, batch_size=5000)
    DecisionCounter.objects.bulk_create(
        [DecisionCounter(convocation_id=c, last_number=n) for c, n in seq_of.items()]
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {
        "bodies": len(bodies),
        "sessions": len(sessions),
        "decisions": Decision.objects.count(),
        "decisions_per_body": SESSIONS * DECISIONS_PER_SESSION,
        "deputy_votes": len(votes),
        "ballots": len(ballots),
        "attendance": len(attendance),
        "fill_s": round(time.perf_counter() - started, 1),
        "body_pk": bodies[0].pk,
        "empty_pk": empty.pk,
        "person_pk": people[0].pk,
    }


def measure(client: Any, url: str, expect: str = "") -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (url, response.status_code)
    if expect:
        assert expect in response.content.decode(), (url, expect)
    queries = len(ctx.captured_queries)
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    for _ in range(WARMUP):
        client.get(url)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {
        "url": url,
        "queries": queries,
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 2),
        "slowest_query": slowest["sql"][:160],
        "bytes": len(response.content),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 2),
    }


def main() -> None:
    setup_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    data = fill()
    body, person, empty = data.pop("body_pk"), data.pop("person_pk"), data.pop("empty_pk")
    client = Client(HTTP_HOST="127.0.0.1")
    register = reverse("proceedings:register", kwargs={"pk": body}).replace("/kk/", "/en/")
    person_url = reverse("directory:person", kwargs={"pk": person}).replace("/kk/", "/en/")
    load_before = os.getloadavg()[0]
    empty_register = reverse("proceedings:register", kwargs={"pk": empty}).replace("/kk/", "/en/")
    reference = measure(client, empty_register, "Decisions register")
    healthz = measure(client, "/healthz")
    cases = {
        "register page 1": measure(client, register, "Decisions register"),
        "register page 100": measure(client, register + "?page=100"),
        "title search, common word (бюджет)": measure(
            client, register + "?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82"
        ),
        "title search, rare word (зоопарк)": measure(
            client, register + "?q=%D0%B7%D0%BE%D0%BE%D0%BF%D0%B0%D1%80%D0%BA"
        ),
        "number search (17-)": measure(client, register + "?number=17-"),
        "deputy's person page (600 votes over six years)": measure(client, person_url, "Sessions and votes"),
    }
    reference_after = measure(client, empty_register)
    base = statistics.mean([reference["p50_ms"], reference_after["p50_ms"]])
    for case in cases.values():
        case["p50_ratio_to_reference"] = round(case["p50_ms"] / base, 1) if base else None
    results = {
        "date": datetime.now(UTC).date().isoformat(),
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} cores, shared",
        "load_average_start": round(load_before, 2),
        "load_average_end": round(os.getloadavg()[0], 2),
        "requests_per_case": REQUESTS,
        "data": data,
        "reference": {
            "the register of a maslikhat without decisions, before": reference,
            "the same, after": reference_after,
            "GET /healthz (middleware only, for scale)": healthz,
        },
        "cases": cases,
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))  # noqa: T201


if __name__ == "__main__":
    main()
