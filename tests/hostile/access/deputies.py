"""The deputies app's rows of the authorization matrix."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from ..roles import ALL, OPEN, STAFF, THIS_BODY, Req

# The deputy's office: the deputy, their maslikhat's apparatus, administrators.
OFFICE = frozenset({"deputy", "staff", "admin"})

TABLE: dict[str, list[Req]] = {
    "deputies:deputy": [("GET", "/en/deputies/{person}/", ALL, "")],
    "deputies:ical": [("GET", "/en/deputies/{person}/calendar.ics", ALL, "")],
    "deputies:feed": [("GET", "/en/deputies/{person}/feed/", ALL, "")],
    "deputies:office": [("GET", "/en/deputies/{person}/office/", OFFICE, "")],
    "deputies:office_act": [("POST", "/en/deputies/{person}/office/inquiry/", OFFICE, "")],
    "deputies:book": [
        ("GET", "/en/deputies/receptions/{dep_slot}/", ALL, ""),
        ("POST", "/en/deputies/receptions/{dep_slot}/", ALL, ""),
    ],
    "deputies:slot_ical": [("GET", "/en/deputies/receptions/{dep_slot}/calendar.ics", ALL, "")],
    "deputies:slot_office": [("GET", "/en/deputies/receptions/{dep_slot}/office/", OFFICE, "")],
    "deputies:slot_act": [("POST", "/en/deputies/receptions/{dep_slot}/office/book/", OFFICE, "")],
    "deputies:booking": [("GET", "/en/deputies/booking/?token={dep_token}", ALL, "")],
    "deputies:question_appeal": [("GET", "/en/deputies/questions/{dep_question}/appeal/", OFFICE, "")],
    "deputies:report": [("GET", "/en/deputies/reports/{dep_report}/", ALL, "")],
    "deputies:inquiry": [("GET", "/en/deputies/inquiries/{dep_inquiry}/", ALL, "")],
    "api:deputy_schedules": [("GET", "/api/v1/deputies/{person}/schedules", ALL, "")],
    "api:deputy_slots": [("GET", "/api/v1/deputies/{person}/slots", ALL, "")],
    "api:deputy_receptions": [("GET", "/api/v1/deputies/{person}/receptions", ALL, "")],
    "api:deputy_reports": [("GET", "/api/v1/deputies/{person}/reports", ALL, "")],
    "api:deputy_inquiries": [("GET", "/api/v1/deputies/{person}/inquiries", ALL, "")],
    "api:deputy_booking_create": [("POST", "/api/v1/deputies/slots/{dep_slot}/bookings", ALL, "json")],
    "deputies:area_calendar": [("GET", "/en/deputies/areas/KZ-71/calendar/", ALL, "")],
    "deputies:area_calendar_ical": [("GET", "/en/deputies/areas/KZ-71/calendar.ics", ALL, "")],
    "deputies:akim_meeting": [("GET", "/en/deputies/akim-meetings/{dep_akim_meeting}/", ALL, "")],
    "deputies:akim_office": [("GET", "/en/deputies/bodies/{body}/akim-meetings/", THIS_BODY, "")],
    "deputies:akim_office_act": [
        ("POST", "/en/deputies/bodies/{body}/akim-meetings/announce/", THIS_BODY, "")
    ],
}
POST_DATA: dict[str, dict[str, Any]] = {
    "deputies:office_act": {"addressee": "Akimat", "subject": "Lights", "text": "Please fix"},
    "deputies:book": {"name": "Hostile caller", "phone": "+77012345678"},
    "deputies:slot_act": {"name": "Caller", "phone": "+77019998877"},
    "deputies:akim_office_act": {"akim_name": "Akim", "topic": "Roads", "meeting_date": "2031-06-01"},
}
JSON_DATA: dict[str, dict[str, Any]] = {
    "api:deputy_booking_create": {"name": "Hostile caller", "phone": "+77012345679"},
}

# Whether staff need their second factor on the page (tests/hostile/test_authorization.py): the
# office pages show who booked.
SECOND_FACTOR: dict[str, str] = {
    "deputies:deputy": OPEN,
    "deputies:ical": OPEN,
    "deputies:feed": OPEN,
    "deputies:office": STAFF,
    "deputies:office_act": STAFF,
    "deputies:book": OPEN,
    "deputies:slot_ical": OPEN,
    "deputies:slot_office": STAFF,
    "deputies:slot_act": STAFF,
    "deputies:booking": OPEN,
    "deputies:question_appeal": STAFF,
    "deputies:report": OPEN,
    "deputies:inquiry": OPEN,
    "deputies:area_calendar": OPEN,
    "deputies:area_calendar_ical": OPEN,
    "deputies:akim_meeting": OPEN,
    "deputies:akim_office": STAFF,
    "deputies:akim_office_act": STAFF,
}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The deputies rows of the world; returns the ids the paths above use."""
    from django.utils import timezone

    from maslikhat.deputies import services

    staff = w["users"]["staff"]
    schedule = services.schedule_create(
        actor=staff,
        deputy=w["deputy"],
        place="Hall 1",
        mode="in_person",
        recurrence="weekly",
        weekday=5,
        start_time=time(10, 0),
        duration_minutes=120,
        capacity=5,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=2,
    )
    slot = schedule.slots.order_by("starts_at").first()
    assert slot is not None
    booking, token = services.booking_create(
        actor=None, slot=slot, name="Booked Person", phone="+77071112233"
    )
    visit = services.visit_record(actor=staff, slot=slot, booking=booking, questions=["Yard lights"])
    report = services.report_announce(
        actor=staff, deputy=w["deputy"], meeting_at=timezone.now() + timedelta(days=3), place="School 1"
    )
    inquiry = services.inquiry_register(
        actor=staff, deputy=w["deputy"], addressee="Akimat", subject="Roads", text="Repair the road"
    )
    meeting = services.akim_meeting_announce(
        actor=staff,
        body=w["maslikhat"],
        area=w["region"],
        akim_name="Akim Testov",
        topic="The city's budget",
        place="Palace of Independence",
        meeting_at=timezone.now() + timedelta(days=5),
    )
    return {
        "dep_akim_meeting": meeting.pk,
        "dep_slot": slot.pk,
        "dep_token": token,
        "dep_question": visit.questions.get().pk,
        "dep_report": report.pk,
        "dep_inquiry": inquiry.pk,
    }
