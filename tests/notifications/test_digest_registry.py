"""The digest registry (maslikhat.core.digests): registration, and the parts the proceedings,
participation and deputies apps add to a body follow's and a deputy follow's digest, in their
period and not outside it, in a number of queries that does not grow with what is new.

The world is the participation tests' locality (tests/participation/world.py: no reference
data) with a deputy in the district's maslikhat; items are made by the apps' services where
the period does not matter, and their times then set inside the period under test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maslikhat.core import digests
from maslikhat.core.digests import DigestItem, DigestSource, day_bounds, register_digest_sources, sources_for
from maslikhat.notifications import services as follow_services
from maslikhat.notifications.jobs import render_digest
from maslikhat.notifications.selectors import digest_content
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.participation.world import build_locality, phases

NEW_SOURCES = (
    "proceedings.sessions",
    "proceedings.drafts",
    "proceedings.decisions",
    "participation.initiatives_opened",
    "participation.initiatives_answered",
    "participation.budgets_voting",
    "participation.budgets_results",
    "deputies.receptions",
    "deputies.reports",
    "deputies.inquiries",
)


def _midnight(days_ago: int) -> datetime:
    today = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(today, time.min).replace(tzinfo=timezone.get_current_timezone())


# The week under test ended a week ago; the weeks before and after it.
START = _midnight(14)
WEEK = (START, START + timedelta(days=7))
BEFORE = (START - timedelta(days=7), START)
AFTER = (START + timedelta(days=7), START + timedelta(days=14))
IN_WEEK = START + timedelta(days=3, hours=12)


# ------------------------------------------------------------------ registration


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> list[DigestSource]:
    """The registry as the apps filled it, restored after the test."""
    sources = list(digests.SOURCES)
    monkeypatch.setattr(digests, "SOURCES", sources)
    return sources


def _read(scope: Any, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    return 0, []


def test_every_app_registers_its_sources_once_in_order(registry):
    names = [s.name for s in registry]
    assert len(names) == len(set(names))
    assert {"news.published", "council.recommendations", "appeals.published", *NEW_SOURCES} <= set(names)
    # the email's parts keep their order: news, the council, appeals, then the new apps
    body_parts = [s.name for s in sources_for("body")]
    assert body_parts[:3] == ["news.published", "council.recommendations", "appeals.published"]
    assert body_parts[3:] == list(NEW_SOURCES)
    assert [s.name for s in sources_for("tag")] == ["news.published"]


def test_registering_again_changes_nothing(registry):
    from django.apps import apps

    before = list(registry)
    for label in ("news", "council", "appeals", "proceedings", "participation", "deputies"):
        apps.get_app_config(label).ready()
    register_digest_sources(*before[:2])
    assert registry == before


def test_another_source_under_a_taken_name_is_refused(registry):
    taken = registry[0]
    with pytest.raises(ValueError, match="registered twice"):
        register_digest_sources(replace(taken, read=_read))
    with pytest.raises(ValueError, match="neither a template nor an item"):
        register_digest_sources(DigestSource("test.bare", "Bare", frozenset({"body"}), _read))
    with pytest.raises(ValueError, match="unknown follow kinds"):
        register_digest_sources(
            DigestSource("test.odd", "Odd", frozenset({"planet"}), _read, item=lambda o: DigestItem(str(o)))
        )
    assert registry == list(digests.SOURCES) and registry[0] is taken
    assert "test.bare" not in [s.name for s in registry]


def test_a_day_belongs_to_the_period_holding_its_midnight():
    tz = timezone.get_current_timezone()
    monday = datetime(2026, 3, 2, tzinfo=tz)
    week = (monday, monday + timedelta(days=7))
    first, stop = day_bounds(*week)
    assert (first.isoformat(), stop.isoformat()) == ("2026-03-02", "2026-03-09")
    # bounds that are not midnights: only the days whose midnight is inside
    first, stop = day_bounds(monday + timedelta(hours=6), monday + timedelta(days=1, hours=6))
    assert (first.isoformat(), stop.isoformat()) == ("2026-03-03", "2026-03-04")


# ------------------------------------------------------------------ the world


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """The locality, a deputy of the district's maslikhat with an office, a convocation, and a
    reader following the maslikhat and the deputy."""
    from maslikhat.proceedings import services as proceedings

    w = build_locality("DG")
    deputy = PersonFactory(name_en="Dana Digestova", name_ru="Дана Дайджестова", name_kk="Дана Дайджестова")
    MembershipFactory(person=deputy, organization=w["body"])
    reader = UserFactory(username="digest-reader", email="reader@example.org", preferred_language="en")
    w.update(
        deputy=deputy,
        reader=reader,
        convocation=proceedings.convocation_create(
            actor=w["staff"], body=w["body"], number=8, start_date=date(2023, 3, 29), seats=20
        ),
        body_follow=follow_services.follow_create(actor=reader, kind="body", target=w["body"]),
        deputy_follow=follow_services.follow_create(actor=reader, kind="deputy", target=deputy),
        made=0,
    )
    return w


def _make_items(w: dict[str, Any], at: datetime) -> dict[str, str]:
    """One item of each new source, made public at `at`; returns its title by source."""
    from maslikhat.deputies import services as deputies
    from maslikhat.deputies.models import Inquiry, ReceptionSlot, VoterReport
    from maslikhat.participation.models import BudgetProcess, Initiative
    from maslikhat.proceedings import services as proceedings
    from maslikhat.proceedings.models import Decision, DraftDecision, Session

    w["made"] += 1
    n, staff, body, deputy = w["made"], w["staff"], w["body"], w["deputy"]
    day = timezone.localtime(at).date()
    now = timezone.now()
    # proceedings: a session convened, a draft opened for comment, a decision entered
    session = proceedings.session_plan(
        actor=staff, convocation=w["convocation"], number=n, starts_at=now + timedelta(days=30 + n)
    )
    proceedings.agenda_item_add(actor=staff, session=session, title={"en": f"Item {n}"})
    proceedings.session_convene(actor=staff, session=session, notice=f"Session {n} is convened.")
    Session.objects.filter(pk=session.pk).update(convened_at=at)
    draft = proceedings.draft_create(
        actor=staff,
        body=body,
        title={"kk": f"Саябақтар {n}", "ru": f"О парках {n}", "en": f"Draft on parks {n}"},
        text_kk="Бірінші тармақ.",
        text_ru="Первый пункт.",
    )
    proceedings.draft_publish(actor=staff, draft=draft)
    DraftDecision.objects.filter(pk=draft.pk).update(
        comment_opens_on=day, comment_closes_on=timezone.localdate() + timedelta(days=10)
    )
    decision = Decision.objects.create(
        body=body,
        convocation=w["convocation"],
        session=session,
        seq=n,
        number=f"{n}-{n}",
        title_en=f"On the budget {n}",
        title_ru=f"О бюджете {n}",
        adopted_on=day,
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=at)
    # participation: an initiative opened for support, one answered, a vote opened, results
    Initiative.objects.create(
        body=body,
        area=w["district"],
        title=f"Lights on School street {n}",
        text="Please light the street.",
        category="utilities",
        status="collecting",
        threshold=100,
        support_from=day,
        support_until=day + timedelta(days=90),
    )
    Initiative.objects.create(
        body=body,
        area=w["district"],
        title=f"A playground in the yard {n}",
        text="Build a playground.",
        category="yards",
        status="accepted",
        answered_on=day,
        answer_text="Accepted: in the plan for next year.",
    )
    BudgetProcess.objects.create(
        body=body,
        area=w["district"],
        title=f"District budget voting {n}",
        total_amount=100_000_000,
        cost_limit=60_000_000,
        **phases(day),
    )
    BudgetProcess.objects.create(
        body=body,
        area=w["district"],
        title=f"District budget results {n}",
        total_amount=100_000_000,
        cost_limit=60_000_000,
        tallied_at=at,
        voters=321,
        **phases(day - timedelta(days=40)),
    )
    # deputies: a reception with free places, a report to voters, an inquiry answered
    schedule = deputies.schedule_create(
        actor=staff,
        deputy=deputy,
        place=f"Room {n}",
        mode="in_person",
        recurrence="single",
        start_time=time(10, 0),
        duration_minutes=60,
        capacity=3,
        first_date=timezone.localdate() + timedelta(days=5 + n),
        weeks=1,
    )
    ReceptionSlot.objects.filter(schedule=schedule).update(created_at=at)
    report = deputies.report_announce(
        actor=staff, deputy=deputy, meeting_at=now + timedelta(days=20 + n), place=f"School {n}"
    )
    VoterReport.objects.filter(pk=report.pk).update(created_at=at)
    inquiry = deputies.inquiry_register(
        actor=staff,
        deputy=deputy,
        addressee="District akimat",
        subject=f"Street lights {n}",
        text="When will the lights be repaired?",
        sent_on=timezone.localdate() - timedelta(days=3),
    )
    deputies.inquiry_answer(actor=staff, inquiry=inquiry, answer="In May.")
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=at)
    return {
        "proceedings.sessions": f"Session {n}, convocation 8",
        "proceedings.drafts": f"Draft on parks {n}",
        "proceedings.decisions": f"№{n}-{n} On the budget {n}",
        "participation.initiatives_opened": f"Lights on School street {n}",
        "participation.initiatives_answered": f"A playground in the yard {n}",
        "participation.budgets_voting": f"District budget voting {n}",
        "participation.budgets_results": f"District budget results {n}",
        "deputies.receptions": "Reception of Dana Digestova",
        "deputies.reports": "Report to voters: Dana Digestova",
        "deputies.inquiries": f"Street lights {n}",
    }


def _part(content: Any, name: str) -> Any:
    part = content.part(name)
    assert part is not None, name
    return part


def _counts(follow: Any, period: tuple[datetime, datetime]) -> dict[str, int]:
    content = digest_content(follow=follow, since=period[0], until=period[1])
    return {name: _part(content, name).count for name in NEW_SOURCES}


# ------------------------------------------------------------------ the new apps' parts


@pytest.mark.parametrize("kind", ["body", "deputy"])
def test_the_new_apps_items_are_in_the_digest_of_their_period(world, kind):
    # given one of each new item made public in the week under test
    titles = _make_items(world, IN_WEEK)
    follow = world[f"{kind}_follow"]
    # when the week's digest is read and rendered
    content = digest_content(follow=follow, since=WEEK[0], until=WEEK[1])
    _subject, body, _ = render_digest(follow, content, "en")
    # then each new source has its one item, listed with its link
    assert {name: _part(content, name).count for name in NEW_SOURCES} == dict.fromkeys(NEW_SOURCES, 1)
    for name, title in titles.items():
        assert title in body, name
    for path in (
        f"/en/proceedings/drafts/{_part(content, 'proceedings.drafts').items[0].pk}/",
        f"/en/deputies/receptions/{_part(content, 'deputies.receptions').items[0].pk}/",
    ):
        assert f"http://127.0.0.1:8000{path}" in body
    assert "== Draft decisions opened for public comment (1) ==" in body
    assert "1 of 3 places free" not in body and "3 of 3 places free" in body
    assert content.counts == {**dict.fromkeys(NEW_SOURCES, 1)}
    # and the weeks before and after have none of them
    assert _counts(follow, BEFORE) == dict.fromkeys(NEW_SOURCES, 0)
    assert _counts(follow, AFTER) == dict.fromkeys(NEW_SOURCES, 0)


def test_a_follow_of_another_body_or_deputy_gets_none_of_them(world):
    _make_items(world, IN_WEEK)
    other = follow_services.follow_create(actor=world["reader"], kind="body", target=world["other_body"])
    someone = follow_services.follow_create(actor=world["reader"], kind="deputy", target=PersonFactory())
    assert _counts(other, WEEK) == dict.fromkeys(NEW_SOURCES, 0)
    assert _counts(someone, WEEK) == dict.fromkeys(NEW_SOURCES, 0)


def test_an_area_follow_gets_them_through_its_maslikhats(world):
    _make_items(world, IN_WEEK)
    area = follow_services.follow_create(actor=world["reader"], kind="area", target=world["district"])
    assert _counts(area, WEEK) == dict.fromkeys(NEW_SOURCES, 1)
    assert _counts(area, AFTER) == dict.fromkeys(NEW_SOURCES, 0)


def test_a_full_reception_is_not_announced(world):
    from maslikhat.deputies.models import ReceptionSlot

    _make_items(world, IN_WEEK)
    ReceptionSlot.objects.update(capacity=0)  # as if every place were taken
    assert _counts(world["deputy_follow"], WEEK)["deputies.receptions"] == 0


@pytest.mark.parametrize("kind", ["body", "deputy"])
def test_queries_per_follow_do_not_grow_with_what_is_new(world, kind):
    follow = world[f"{kind}_follow"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            content = digest_content(follow=follow, since=WEEK[0], until=WEEK[1])
            render_digest(follow, content, "en")
        return len(ctx.captured_queries)

    _make_items(world, IN_WEEK)
    once = queries()
    _make_items(world, IN_WEEK + timedelta(hours=1))
    _make_items(world, IN_WEEK + timedelta(hours=2))
    assert _part(digest_content(follow=follow, since=WEEK[0], until=WEEK[1]), "deputies.inquiries").count == 3
    assert queries() == once
    # exactly: the scope (a deputy's maslikhats), then per source a count and, when not zero, the list
    content = digest_content(follow=follow, since=WEEK[0], until=WEEK[1])
    assert len(content.parts) == len(sources_for(kind))
    assert once == (kind == "deputy") + sum(1 + bool(p.count) for p in content.parts)


# ------------------------------------------------------------------ the follows page


def test_the_follows_page_shows_what_is_open_now(world):
    from maslikhat.proceedings.models import DraftDecision

    _make_items(world, IN_WEEK)
    DraftDecision.objects.update(comment_opens_on=timezone.localdate() - timedelta(days=1))
    client = Client()
    client.force_login(world["reader"])
    page = client.get("/en/follow/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Draft decisions open for public comment now" in page
    assert "Draft on parks 1" in page
    assert "Lights on School street 1" in page
    assert "Reception of Dana Digestova" in page
