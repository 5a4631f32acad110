"""The deputy's public record on the person page (core.sections: directory.deputy): receptions
coming and held, reports to voters with an overdue one shown, inquiries answered and overdue,
each figure with its definition; the Atom feed and the iCal calendar in the page's head; a
constant number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from maslikhat.deputies import selectors, services
from maslikhat.deputies.models import Inquiry, ReceptionSchedule, ReceptionSlot
from maslikhat.deputies.sections import RECORD_QUERIES

pytestmark = pytest.mark.django_db

# the person page's own queries: the person with their memberships, + the proceedings' record
PAGE_QUERIES = 4


def _url(person: Any) -> str:
    return f"/en/people/{person.pk}/"


def _html(person: Any) -> str:
    response = Client().get(_url(person))
    assert response.status_code == 200
    return response.content.decode()


def _move_to_past(schedule: ReceptionSchedule, days: int) -> ReceptionSlot:
    """A reception that took place `days` ago (services refuse to schedule in the past)."""
    slots = ReceptionSlot.objects.filter(schedule=schedule)
    first = slots.order_by("starts_at").first()
    assert first is not None
    delta = first.starts_at - (timezone.now() - timedelta(days=days))
    slots.update(starts_at=F("starts_at") - delta, ends_at=F("ends_at") - delta)
    return ReceptionSlot.objects.get(pk=first.pk)


def _held_reception(deputy: Any, days_ago: int, visitors: int) -> ReceptionSlot:
    schedule = services.schedule_create(
        actor=None,
        deputy=deputy,
        place="Akimat hall",
        mode="in_person",
        recurrence="single",
        start_time=time(18, 30),
        duration_minutes=90,
        capacity=10,
        first_date=timezone.localdate() + timedelta(days=1),
    )
    slot = schedule.slots.get()
    bookings = [
        services.booking_create(actor=None, slot=slot, name=f"Voter {i}", phone=f"+7701555{i:04d}")[0]
        for i in range(visitors)
    ]
    slot = _move_to_past(schedule, days_ago)
    for b in bookings:
        services.visit_record(actor=None, slot=slot, booking=b, questions=["Street lights"])
    return slot


def _record(deputy: Any) -> dict[str, Any]:
    """A varied record: a coming Saturday reception with one place taken, a held reception with
    two visitors, a published report and a later one awaiting its report, inquiries answered on
    time, answered late, overdue, waiting and withdrawn."""
    saturday = services.schedule_create(
        actor=None,
        deputy=deputy,
        place="Library, room 3",
        mode="in_person",
        recurrence="weekly",
        weekday=5,
        start_time=time(10, 0),
        duration_minutes=120,
        capacity=4,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=2,
    )
    coming = saturday.slots.order_by("starts_at").first()
    services.booking_create(actor=None, slot=coming, name="Private Person", phone="+77017654321")
    held = _held_reception(deputy, days_ago=20, visitors=2)
    published = services.report_announce(
        actor=None, deputy=deputy, meeting_at=timezone.now() - timedelta(days=400), place="School No. 5"
    )
    services.report_publish(actor=None, report=published, text="What I did this year.")
    awaiting = services.report_announce(
        actor=None, deputy=deputy, meeting_at=timezone.now() - timedelta(days=3), place="Culture house"
    )
    long_ago = timezone.localdate() - timedelta(days=90)

    def inquiry(subject: str, sent_on: date) -> Inquiry:
        return services.inquiry_register(
            actor=None,
            deputy=deputy,
            addressee="City akimat",
            subject=subject,
            text="Please.",
            sent_on=sent_on,
        )

    on_time = inquiry("Bus stop", long_ago)
    services.inquiry_answer(
        actor=None, inquiry=on_time, answer="Built.", answered_on=long_ago + timedelta(days=5)
    )
    late = inquiry("Playground", long_ago)
    services.inquiry_answer(
        actor=None, inquiry=late, answer="Later.", answered_on=late.due_on + timedelta(days=3)
    )
    overdue = inquiry("Heating", long_ago)
    waiting = inquiry("Road repair", timezone.localdate())
    withdrawn = inquiry("Old matter", long_ago)
    services.inquiry_withdraw(actor=None, inquiry=withdrawn)
    return {
        "coming": coming,
        "held": held,
        "published": published,
        "awaiting": awaiting,
        "on_time": on_time,
        "late": late,
        "overdue": overdue,
        "waiting": waiting,
    }


def test_person_page_shows_the_deputys_receptions_with_free_places_and_a_booking_link(
    astana: dict[str, Any],
) -> None:
    # given a deputy with a coming reception (one of four places taken) and a held one
    record = _record(astana["deputy"])
    # when their person page is opened
    html = _html(astana["deputy"])
    # then the coming reception shows its free places and the booking link, never who booked
    assert "3 places free" in html
    assert f'href="/en/deputies/receptions/{record["coming"].pk}/"' in html
    assert f'href="/en/deputies/receptions/{record["coming"].pk}/calendar.ics"' in html
    assert "Private Person" not in html and "+77017654321" not in html
    # and the held reception its visitors, with the figure and its definition
    assert "Akimat hall · 2 visitors" in html
    assert "Receptions held: 1 (2 visitors)" in html
    assert escape(str(selectors.FIGURE_DEFINITIONS["receptions_held"][1])) in html


def test_person_page_shows_reports_with_the_overdue_one(astana: dict[str, Any]) -> None:
    # given a deputy whose last published report was 400 days ago and whose latest meeting has
    # no report yet
    record = _record(astana["deputy"])
    # when their person page is opened
    html = _html(astana["deputy"])
    # then both reports are listed, the awaited one marked, and the overdue report shown
    assert f'href="/en/deputies/reports/{record["published"].pk}/"' in html
    assert f'href="/en/deputies/reports/{record["awaiting"].pk}/"' in html
    assert html.count("the report is not published yet") == 1
    assert "The report to voters is overdue" in html
    assert "Report to voters on time: overdue since" in html
    assert escape(str(selectors.FIGURE_DEFINITIONS["reports_on_time"][1])) in html


def test_report_on_time_is_not_overdue(astana: dict[str, Any]) -> None:
    # given a deputy who published a report a month ago
    report = services.report_announce(
        actor=None, deputy=astana["deputy"], meeting_at=timezone.now() - timedelta(days=30), place="Hall"
    )
    services.report_publish(actor=None, report=report, text="Done.")
    # when their page is opened, then the report is on time
    html = _html(astana["deputy"])
    assert "The report to voters is overdue" not in html
    assert "Report to voters on time: yes, next due by" in html


def test_person_page_shows_inquiries_answered_and_overdue(astana: dict[str, Any]) -> None:
    # given answered (on time and late), overdue, waiting and withdrawn inquiries
    record = _record(astana["deputy"])
    # when the person page is opened
    html = _html(astana["deputy"])
    # then one is overdue, one answered late, and the figure counts the two answered of three due
    assert "1 inquiry is waiting for an answer past its due date." in html
    assert html.count("answer overdue") == 1
    assert html.count(", late)") == 1
    assert "Inquiries answered on time: 33% (1/3)" in html
    assert escape(str(selectors.FIGURE_DEFINITIONS["inquiries_answered_on_time"][1])) in html
    assert record["waiting"].number in html


def test_the_figures_are_the_deputies_figures(astana: dict[str, Any]) -> None:
    # given a varied record
    _record(astana["deputy"])
    # when the page is opened, then each figure is what the deputies app computes for it
    html = _html(astana["deputy"])
    for figure in selectors.deputy_figures(astana["deputy"]):
        assert escape(f"{figure.label}: {figure.value}") in html


def test_head_announces_the_atom_feed_and_the_ical_calendar(astana: dict[str, Any]) -> None:
    pk = astana["deputy"].pk
    html = _html(astana["deputy"])
    head = html.split("</head>")[0]
    assert (
        'type="application/atom+xml" title="Aigerim Testova: receptions, reports and inquiries" '
        f'href="/en/deputies/{pk}/feed/"' in head
    )
    assert (
        'type="text/calendar" title="Aigerim Testova: receptions of voters" '
        f'href="/en/deputies/{pk}/calendar.ics"' in head
    )
    # and the feeds answer
    assert Client().get(f"/en/deputies/{pk}/feed/").status_code == 200
    assert Client().get(f"/en/deputies/{pk}/calendar.ics").status_code == 200


def test_a_person_who_is_not_a_deputy_has_no_record(astana: dict[str, Any]) -> None:
    # given the chair (not a deputy's post in the fixture)
    html = _html(astana["chair"])
    # then neither the record nor the feeds are on the page
    assert "Receptions of voters" not in html
    assert "text/calendar" not in html


def test_a_deputy_without_any_record_sees_empty_blocks(astana: dict[str, Any]) -> None:
    html = _html(astana["deputy"])
    assert "No receptions are scheduled." in html
    assert "No reports to voters yet." in html and "No inquiries yet." in html
    assert "Receptions held: 0 (0 visitors)" in html


def test_record_queries_are_few_and_do_not_grow(
    astana: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # given a deputy with a varied record, the page opened once (per-process caches warm)
    deputy = astana["deputy"]
    _record(deputy)
    client = Client()
    assert client.get(_url(deputy)).status_code == 200
    with django_assert_max_num_queries(PAGE_QUERIES + RECORD_QUERIES):
        assert client.get(_url(deputy)).status_code == 200
    # when the record grows: more receptions held and coming, reports and inquiries
    for days in (40, 60, 80):
        _held_reception(deputy, days_ago=days, visitors=3)
    services.schedule_create(
        actor=None,
        deputy=deputy,
        place="Evening hall",
        mode="phone",
        recurrence="weekly",
        weekday=2,
        start_time=time(19, 0),
        duration_minutes=60,
        capacity=5,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=8,
    )
    for days in (500, 900):
        services.report_announce(
            actor=None,
            deputy=deputy,
            meeting_at=datetime.now(tz=timezone.get_current_timezone()) - timedelta(days=days),
            place="Hall",
        )
    for i in range(6):
        services.inquiry_register(actor=None, deputy=deputy, addressee="Akimat", subject=f"S{i}", text="T")
    # then the page needs no more queries
    with django_assert_max_num_queries(PAGE_QUERIES + RECORD_QUERIES):
        assert client.get(_url(deputy)).status_code == 200
