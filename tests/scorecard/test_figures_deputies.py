"""The deputies figures of the scorecard: receptions held, reports to voters on time, deputy
inquiries answered on time.

The world is built with the deputies services (schedules and their receptions, reports
announced and published, inquiries registered, answered and withdrawn); receptions, which the
services schedule only ahead, are then moved to past dates, and mandates ended by date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from maslikhat.core.figures import Body, figure_get
from maslikhat.deputies import services
from maslikhat.deputies.figures import FIGURES, SOURCE, deputies_source, report_on_time
from maslikhat.deputies.models import ReceptionSlot
from maslikhat.directory.choices import ElectionMethod, PostRole
from maslikhat.directory.models import Membership, Organization
from maslikhat.scorecard.selectors import Period, scorecard_build
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory

TODAY = date(2025, 11, 20)
Y2025 = (date(2025, 1, 1), date(2026, 1, 1))
Y2024 = (date(2024, 1, 1), date(2025, 1, 1))
KEYS = [f.key for f in FIGURES]
ALMATY = ZoneInfo("Asia/Almaty")


def body_of(org: Organization) -> Body:
    return Body(
        id=org.pk, name=org.name, kind=org.kind, area_code="", area_name="", population=None, region_code=""
    )


def deputy(org: Organization, start: date = date(2023, 3, 29)) -> Any:
    person = PersonFactory()
    MembershipFactory(person=person, organization=org, start_date=start)
    return person


def at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=ALMATY)


def reception(person: Any, starts: datetime, *, cancelled: bool = False) -> ReceptionSlot:
    """A single reception scheduled through the services (tomorrow), cancelled when asked, then
    moved to `starts`."""
    schedule = services.schedule_create(
        actor=None,
        deputy=person,
        place="Akimat, room 5",
        mode="in_person",
        recurrence="single",
        start_time=time(10, 0),
        duration_minutes=60,
        capacity=5,
        first_date=timezone.localdate() + timedelta(days=1),
    )
    slot = schedule.slots.get()
    if cancelled:
        services.slot_cancel(actor=None, slot=slot)
    ReceptionSlot.objects.filter(pk=slot.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=1))
    return slot


def report(person: Any, meeting: datetime, *, publish: bool = True) -> Any:
    found = services.report_announce(actor=None, deputy=person, meeting_at=meeting, place="School No. 3")
    if publish:
        services.report_publish(actor=None, report=found, text="What I did this year.")
    return found


def inquiry(person: Any, sent: date, *, answered_after_due: int | None = None) -> Any:
    """An inquiry sent on `sent`; answered that many days after its due date (negative: before)."""
    found = services.inquiry_register(
        actor=None,
        deputy=person,
        addressee="Akimat",
        subject="Street lights",
        text="Why no lights?",
        sent_on=sent,
    )
    if answered_after_due is not None:
        services.inquiry_answer(
            actor=None,
            inquiry=found,
            answer="Lights by spring.",
            answered_on=max(found.due_on + timedelta(days=answered_after_due), sent),
        )
    return found


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    a: Any = OrganizationFactory()
    b: Any = OrganizationFactory()
    c: Any = OrganizationFactory()

    # A's deputies. d1 reported in February 2024 and January 2025: on time both years. d2 in
    # June 2024 only: on time at the end of 2024, overdue now. d3 never (an announced meeting and
    # a cancelled one do not count): overdue. d4 elected in May 2025: on time now, not counted in
    # 2024. d5 reported in May 2024 and left in March 2025: counted in 2024 only. The chair is
    # not counted.
    d1, d2, d3, _d4, d5 = deputy(a), deputy(a), deputy(a), deputy(a, date(2025, 5, 1)), deputy(a)
    MembershipFactory(
        person=PersonFactory(),
        organization=a,
        role=PostRole.CHAIR,
        election_method=ElectionMethod.INDIRECT,
    )
    report(d1, at(2024, 2, 10))
    report(d1, at(2025, 1, 15))
    report(d2, at(2024, 6, 1))
    report(d3, at(2025, 10, 1), publish=False)
    services.report_cancel(actor=None, report=report(d3, at(2025, 10, 8), publish=False))
    report(d5, at(2024, 5, 1))
    Membership.objects.filter(person=d5).update(end_date=date(2025, 3, 1))

    # A's receptions in 2025: 1 January 02:00 local (still 2024 in UTC), March, June, and the
    # morning of TODAY; one cancelled in July; one after TODAY. In 2024: one, in May.
    reception(d1, datetime(2024, 12, 31, 21, tzinfo=UTC))
    reception(d1, at(2025, 3, 1))
    reception(d2, at(2025, 6, 7))
    reception(d2, at(2025, 7, 5), cancelled=True)
    reception(d1, at(2025, 11, 20))
    reception(d1, at(2025, 11, 25))
    reception(d2, at(2024, 5, 5))

    # A's inquiries due in 2025: on time (a day early, on the day, one sent in December 2024 and
    # due in January, one answered before a due date after TODAY); late (answered 3 days late,
    # unanswered past its due date). Not counted: one withdrawn, one not yet due.
    inquiry(d1, date(2025, 2, 3), answered_after_due=-1)
    inquiry(d1, date(2025, 3, 3), answered_after_due=0)
    inquiry(d2, date(2024, 12, 20), answered_after_due=-2)
    inquiry(d2, date(2025, 11, 10), answered_after_due=-15)
    inquiry(d1, date(2025, 4, 1), answered_after_due=3)
    inquiry(d3, date(2025, 9, 1))
    services.inquiry_withdraw(actor=None, inquiry=inquiry(d3, date(2025, 6, 2)))
    inquiry(d3, date(2025, 11, 14))

    # B: one deputy, reported in September 2025.
    report(deputy(b), at(2025, 9, 1))
    return {"a": a, "b": b, "c": c}


def test_the_figures_of_each_body_are_exact(world: dict[str, Any]) -> None:
    # given the world; when the source reads 2025 (judged on TODAY) and 2024 (on 31 December)
    bodies = [body_of(world[k]) for k in ("a", "b", "c")]
    now, before = deputies_source(bodies, [Y2025, Y2024], TODAY)
    a, b, c = (x.id for x in bodies)
    # then A's figures are the ones counted by hand
    assert now[a] == {
        "receptions_held": 4,
        "voter_reports_on_time_pct": 50.0,
        "inquiries_answered_on_time_pct": round(100 * 4 / 6, 1),
    }
    assert before[a] == {
        "receptions_held": 1,
        "voter_reports_on_time_pct": 75.0,
        "inquiries_answered_on_time_pct": None,
    }
    assert now[b] == {
        "receptions_held": 0,
        "voter_reports_on_time_pct": 100.0,
        "inquiries_answered_on_time_pct": None,
    }
    # and a maslikhat without deputies or records has zero receptions and no rates
    assert (
        now[c]
        == before[c]
        == {
            "receptions_held": 0,
            "voter_reports_on_time_pct": None,
            "inquiries_answered_on_time_pct": None,
        }
    )


def test_a_period_not_begun_has_no_report_rate(world: dict[str, Any]) -> None:
    # given the world; when a year after TODAY is read
    a = body_of(world["a"])
    (later,) = deputies_source([a], [(date(2026, 1, 1), date(2027, 1, 1))], TODAY)
    # then nothing is counted for it
    assert later[a.id] == {
        "receptions_held": 0,
        "voter_reports_on_time_pct": None,
        "inquiries_answered_on_time_pct": None,
    }


def test_the_report_rule_is_the_deputy_pages() -> None:
    # a report is due 12 months after the last one, or after the start of the mandate
    assert report_on_time(
        on=date(2025, 6, 1), mandate_start=date(2023, 1, 1), last_report=date(2024, 6, 1), months=12
    )
    assert not report_on_time(
        on=date(2025, 6, 2), mandate_start=date(2023, 1, 1), last_report=date(2024, 6, 1), months=12
    )
    assert report_on_time(on=date(2024, 1, 1), mandate_start=date(2023, 1, 1), last_report=None, months=12)
    assert not report_on_time(
        on=date(2024, 1, 2), mandate_start=date(2023, 1, 1), last_report=None, months=12
    )


def test_the_scorecard_shows_them_with_a_dash_for_no_rate(world: dict[str, Any]) -> None:
    # given the world; when the district scorecard of 2025 is built
    table = scorecard_build(period=Period("year", *Y2025), level="district", today=TODAY)
    rows = {r.body.id: r for r in table.rows}
    a = {cell.figure.key: cell for cell in rows[world["a"].pk].cells(table.figures)}
    c = {cell.figure.key: cell for cell in rows[world["c"].pk].cells(table.figures)}
    # then the deputies' columns are there, formatted, with a dash for no rate
    assert a["receptions_held"].text == "4"
    assert a["voter_reports_on_time_pct"].text == "50.0%"
    assert a["inquiries_answered_on_time_pct"].text == "66.7%"
    assert c["receptions_held"].text == "0"
    assert c["voter_reports_on_time_pct"].text == "—"
    assert c["inquiries_answered_on_time_pct"].text == "—"
    assert rows[world["a"].pk].changes["voter_reports_on_time_pct"] == -25.0
    for key in KEYS:
        figure = figure_get(key)
        assert figure is not None and str(figure.definition) and str(figure.group)


def test_the_source_is_registered() -> None:
    from maslikhat.core.figures import SOURCES

    assert SOURCE in SOURCES


def test_queries_do_not_grow_with_the_bodies(db: None, django_assert_num_queries: Any) -> None:
    # given two maslikhats, then five, each with two deputies, a reception, a report and an inquiry
    def some(n: int) -> list[Body]:
        out = []
        for _ in range(n):
            org: Any = OrganizationFactory()
            first, _second = deputy(org), deputy(org)
            reception(first, at(2025, 4, 1))
            report(first, at(2025, 4, 2))
            inquiry(first, date(2025, 4, 3), answered_after_due=0)
            out.append(body_of(org))
        return out

    two, five = some(2), some(5)
    # when each set is read over two buckets; then four queries each time
    with django_assert_num_queries(4):
        small = deputies_source(two, [Y2025, Y2024], TODAY)
    with django_assert_num_queries(4):
        large = deputies_source([*two, *five], [Y2025, Y2024], TODAY)
    assert all(small[0][b.id]["receptions_held"] == 1 for b in two)
    assert all(
        large[0][b.id]
        == {"receptions_held": 1, "voter_reports_on_time_pct": 50.0, "inquiries_answered_on_time_pct": 100.0}
        for b in five
    )
    with django_assert_num_queries(0):
        assert deputies_source([], [Y2025], TODAY) == [{}]
