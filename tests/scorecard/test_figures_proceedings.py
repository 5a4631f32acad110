"""The proceedings figures of the scorecard: sessions held, deputies' attendance, drafts put to
public comment, comments answered in the results report, decisions published on time.

The world is built with the proceedings services (sessions convened, held and closed with their
attendance and votes, decisions adopted, registered and published, drafts published, commented,
answered and reported); the comment periods, which the services start from today, are then
moved to fixed dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from maslikhat.core.figures import Body, figure_get
from maslikhat.directory.models import Organization
from maslikhat.proceedings import services
from maslikhat.proceedings.figures import FIGURES, SOURCE, proceedings_source
from maslikhat.proceedings.models import Convocation, DraftDecision, Session
from maslikhat.scorecard.selectors import Period, scorecard_build
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory

TODAY = date(2025, 11, 20)
Y2025 = (date(2025, 1, 1), date(2026, 1, 1))
Y2024 = (date(2024, 1, 1), date(2025, 1, 1))
KEYS = [f.key for f in FIGURES]


def body_of(org: Organization) -> Body:
    return Body(
        id=org.pk, name=org.name, kind=org.kind, area_code="", area_name="", population=None, region_code=""
    )


def maslikhat(deputies: int) -> tuple[Organization, Convocation, list[Any]]:
    org: Any = OrganizationFactory(seats=deputies)
    people = []
    for _ in range(deputies):
        person = PersonFactory()
        MembershipFactory(person=person, organization=org)
        people.append(person)
    conv = services.convocation_create(
        actor=None, body=org, number=8, start_date=date(2023, 3, 29), seats=deputies
    )
    return org, conv, people


def hold(
    conv: Convocation,
    number: int,
    at: datetime,
    *,
    present: dict[int, bool] | None = None,
    items: int = 0,
    close: bool = True,
) -> tuple[Session, list[Any]]:
    """A session planned and convened ahead (a regular session cannot be convened late), moved
    back to `at`, started; its attendance, an item taken note of and `items` items adopted by
    those present; then closed."""
    ahead = timezone.now() + timedelta(days=30)
    session = services.session_plan(actor=None, convocation=conv, number=number, starts_at=ahead)
    noted = services.agenda_item_add(actor=None, session=session, title={"en": "Report", "kk": "Есеп"})
    added = [
        services.agenda_item_add(actor=None, session=session, title={"en": f"Item {i}", "kk": f"{i}"})
        for i in range(items)
    ]
    services.session_convene(actor=None, session=session, notice="The session is convened.")
    Session.objects.filter(pk=session.pk).update(starts_at=at)
    session.refresh_from_db()
    services.session_start(actor=None, session=session)
    if present is not None:
        services.attendance_record(actor=None, session=session, present=present)
    services.item_outcome_set(actor=None, item=noted, outcome="noted")
    decided = []
    for item in added:
        ballots = {pid: "yes" for pid, here in (present or {}).items() if here}
        services.vote_record(actor=None, item=item, method="roll_call", ballots=ballots)
        item.refresh_from_db()
        decided.append(item)
    if close:
        services.session_close(actor=None, session=session)
    return session, decided


def adopt(item: Any, *, normative: bool = False) -> Any:
    return services.decision_adopt(actor=None, item=item, is_normative=normative)


def local(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=ZoneInfo("Asia/Almaty"))


def draft_with_comments(
    org: Organization, *, comments: int, answer: int, hide: int = 0, report: bool, opens: date, closes: date
) -> DraftDecision:
    """A draft published and commented through the services while open today, some comments
    hidden or answered, the results report published when asked; then its period is moved."""
    draft = services.draft_create(
        actor=None,
        body=org,
        title={"kk": "Жоба", "ru": "Проект", "en": "Draft"},
        text_kk="Бірінші тармақ.\n\nЕкінші тармақ.",
        text_ru="Первый пункт.\n\nВторой пункт.",
    )
    draft = services.draft_publish(actor=None, draft=draft)
    real_today = timezone.localdate()
    DraftDecision.objects.filter(pk=draft.pk).update(
        comment_opens_on=real_today - timedelta(days=1), comment_closes_on=real_today + timedelta(days=5)
    )
    draft.refresh_from_db()
    posted = [
        services.comment_post(actor=UserFactory(), draft=draft, text=f"Comment {i}.") for i in range(comments)
    ]
    for c in posted[:hide]:
        services.comment_moderate(actor=None, comment=c, reason="Off topic.")
    for c in posted[hide : hide + answer]:
        services.comment_answer(actor=None, comment=c, response="accepted", reason="Taken into account.")
    if report:
        services.draft_results_publish(
            actor=None, draft=draft, changes="Paragraph 2 reworded.", today=real_today + timedelta(days=6)
        )
    DraftDecision.objects.filter(pk=draft.pk).update(comment_opens_on=opens, comment_closes_on=closes)
    return draft


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    a, conv_a, deps_a = maslikhat(6)
    b, conv_b, deps_b = maslikhat(3)
    c, _conv_c, _deps_c = maslikhat(2)

    # A, 2025: four sessions held (one at 02:00 local on 1 January, still 2024 in UTC), one
    # cancelled, one only planned; attendance 5/6 and 6/6 recorded at two of them.
    everyone = {p.pk: True for p in deps_a}
    _s1, (i1, i2) = hold(conv_a, 1, local(2025, 3, 14), present={**everyone, deps_a[5].pk: False}, items=2)
    _s2, (i3, i4, i5) = hold(conv_a, 2, local(2025, 9, 10), present=everyone, items=3)
    _s3, (i6,) = hold(conv_a, 3, local(2025, 11, 18), items=1, present=everyone)
    hold(conv_a, 4, datetime(2024, 12, 31, 20, 0, tzinfo=UTC))
    cancelled = services.session_plan(actor=None, convocation=conv_a, number=5, starts_at=local(2025, 6, 1))
    services.session_cancel(actor=None, session=cancelled, reason="No quorum expected.")
    services.session_plan(actor=None, convocation=conv_a, number=6, starts_at=local(2025, 12, 1))
    hold(conv_a, 9, local(2025, 7, 1), present=everyone, close=False)  # in progress: not held
    # A, 2024: one session, 2 of 6 present (a session's local date decides: 31 Dec 23:00 local).
    hold(conv_a, 7, local(2024, 5, 10), present={p.pk: i < 2 for i, p in enumerate(deps_a)})
    hold(conv_a, 8, local(2023, 12, 31, 23))  # 2023: outside both years

    # Decisions of A (2025): published after 6 days (on time), after 18 days (late); a normative
    # act published 7 days after its registration (on time, 28 days after adoption); a normative
    # act not registered (not counted); one unpublished after 71 days (late); one adopted two
    # days before today (not yet due, not counted).
    d1, d2 = adopt(i1), adopt(i2)
    services.decision_publish(actor=None, decision=d1, published_on=date(2025, 3, 20), where="Gazette")
    services.decision_publish(actor=None, decision=d2, published_on=date(2025, 4, 1), where="Gazette")
    d3 = adopt(i3, normative=True)
    services.decision_register(
        actor=None, decision=d3, registration_number="R-1", registered_on=date(2025, 10, 1)
    )
    services.decision_publish(actor=None, decision=d3, published_on=date(2025, 10, 8), where="Adilet")
    adopt(i4, normative=True)
    adopt(i5)
    adopt(i6)

    # Drafts of A: reported with 2 of 2 shown comments answered (a third hidden); 1 of 2 answered
    # and no report; one still open on TODAY (its comment not counted); one never published.
    draft_with_comments(
        a, comments=3, hide=1, answer=2, report=True, opens=date(2025, 2, 3), closes=date(2025, 2, 14)
    )
    draft_with_comments(
        a, comments=2, answer=1, report=False, opens=date(2025, 10, 1), closes=date(2025, 10, 14)
    )
    draft_with_comments(
        a, comments=1, answer=0, report=False, opens=date(2025, 11, 10), closes=date(2025, 11, 21)
    )
    services.draft_create(
        actor=None, body=a, title={"kk": "Жоба", "ru": "Проект"}, text_kk="Мәтін.", text_ru="Текст."
    )
    # A draft of 2024, reported with its single comment answered.
    draft_with_comments(
        a, comments=1, answer=1, report=True, opens=date(2024, 12, 16), closes=date(2024, 12, 27)
    )

    # B: one session, all three present; nothing else.
    hold(conv_b, 1, local(2025, 5, 5), present={p.pk: True for p in deps_b})
    return {"a": a, "b": b, "c": c}


def test_the_figures_of_each_body_are_exact(world: dict[str, Any]) -> None:
    # given the world; when the source reads 2025 and 2024
    bodies = [body_of(world[k]) for k in ("a", "b", "c")]
    now, before = proceedings_source(bodies, [Y2025, Y2024], TODAY)
    a, b, c = (x.id for x in bodies)
    # then A's figures of 2025 are the ones counted by hand
    assert now[a] == {
        "sessions_held": 4,
        "sessions_attendance_pct": round(100 * 17 / 18, 1),
        "drafts_put_to_comment": 3,
        "comments_answered_pct": 50.0,
        "decisions_published_on_time_pct": 50.0,
    }
    assert before[a] == {
        "sessions_held": 1,
        "sessions_attendance_pct": 33.3,
        "drafts_put_to_comment": 1,
        "comments_answered_pct": 100.0,
        "decisions_published_on_time_pct": None,
    }
    # and B's, with nothing to count but its session
    assert now[b] == {
        "sessions_held": 1,
        "sessions_attendance_pct": 100.0,
        "drafts_put_to_comment": 0,
        "comments_answered_pct": None,
        "decisions_published_on_time_pct": None,
    }
    # and C, with no session at all, has zero counts and no rates
    assert (
        now[c]
        == before[c]
        == {
            "sessions_held": 0,
            "sessions_attendance_pct": None,
            "drafts_put_to_comment": 0,
            "comments_answered_pct": None,
            "decisions_published_on_time_pct": None,
        }
    )


def test_a_late_decision_counts_once_its_days_have_passed(world: dict[str, Any]) -> None:
    # given A's decision adopted on 18 November 2025 and not published
    a = body_of(world["a"])
    # when read on 28 November (10 days on) and on 29 November (11 days on)
    on_28 = proceedings_source([a], [Y2025], date(2025, 11, 28))[0][a.id]
    on_29 = proceedings_source([a], [Y2025], date(2025, 11, 29))[0][a.id]
    # then it is not yet due on the 28th (2 of 4 on time), and late from the 29th (2 of 5)
    assert on_28["decisions_published_on_time_pct"] == 50.0
    assert on_29["decisions_published_on_time_pct"] == 40.0


def test_the_scorecard_shows_them_with_a_dash_for_no_rate(world: dict[str, Any]) -> None:
    # given the world; when the district scorecard of 2025 is built
    table = scorecard_build(period=Period("year", *Y2025), level="district", today=TODAY)
    rows = {r.body.id: r for r in table.rows}
    # then the proceedings' columns are there with their values, change and formatting
    a, c = rows[world["a"].pk], rows[world["c"].pk]
    assert {k: a.values[k] for k in KEYS}["sessions_held"] == 4
    assert a.changes["sessions_held"] == 3
    cells = {cell.figure.key: cell for cell in c.cells(table.figures)}
    assert cells["sessions_held"].text == "0"
    assert cells["sessions_attendance_pct"].text == "—"
    assert cells["decisions_published_on_time_pct"].text == "—"
    a_cells = {cell.figure.key: cell for cell in a.cells(table.figures)}
    assert a_cells["comments_answered_pct"].text == "50.0%"
    # and every figure is defined and grouped under the proceedings
    for key in KEYS:
        figure = figure_get(key)
        assert figure is not None and str(figure.definition) and str(figure.group)


def test_the_source_is_registered() -> None:
    from maslikhat.core.figures import SOURCES

    assert SOURCE in SOURCES


def test_queries_do_not_grow_with_the_bodies(db: None, django_assert_num_queries: Any) -> None:
    # given two maslikhats, then five, each with a session, a decision and a draft
    def some(n: int) -> list[Body]:
        out = []
        for _ in range(n):
            org, conv, deps = maslikhat(2)
            _s, (item,) = hold(conv, 1, local(2025, 4, 1), present={p.pk: True for p in deps}, items=1)
            adopt(item)
            draft_with_comments(
                org, comments=1, answer=1, report=True, opens=date(2025, 4, 1), closes=date(2025, 4, 14)
            )
            out.append(body_of(org))
        return out

    two, five = some(2), some(5)
    # when each set is read over two buckets; then four queries each time
    with django_assert_num_queries(4):
        small = proceedings_source(two, [Y2025, Y2024], TODAY)
    with django_assert_num_queries(4):
        large = proceedings_source([*two, *five], [Y2025, Y2024], TODAY)
    assert all(small[0][b.id]["sessions_held"] == 1 for b in two)
    assert all(large[0][b.id]["comments_answered_pct"] == 100.0 for b in five)
    # and no body, no query
    with django_assert_num_queries(0):
        assert proceedings_source([], [Y2025], TODAY) == [{}]
