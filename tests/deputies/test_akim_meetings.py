"""Akims' reporting meetings with the population on the area's calendar, beside the deputies'
reports to voters (issue 14): announced by a maslikhat's apparatus, recorded or cancelled, in
the area's page and its iCal feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.deputies import selectors, services
from maslikhat.deputies.models import AkimMeeting
from maslikhat.directory.models import Area

pytestmark = pytest.mark.django_db


def _staff(office: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(office["staff_user"])
    return c


def _announce(office: dict[str, Any], **kw: Any) -> AkimMeeting:
    fields = {
        "akim_name": "Akim Testov",
        "topic": "The city's budget for 2027",
        "place": "Palace of Independence, hall 2",
        "meeting_at": timezone.now() + timedelta(days=5),
        "area": office["maslikhat"].area,
    }
    fields.update(kw)
    return services.akim_meeting_announce(actor=office["staff_user"], body=office["maslikhat"], **fields)


def test_the_apparatus_announces_a_meeting_and_it_is_on_the_area_calendar(office: dict[str, Any]) -> None:
    body = office["maslikhat"]
    area = body.area
    page = _staff(office).get(f"/en/deputies/bodies/{body.pk}/akim-meetings/").content.decode()
    assert "Put on the calendar" in page and area.name_en in page
    r = _staff(office).post(
        f"/en/deputies/bodies/{body.pk}/akim-meetings/announce/",
        {
            "area": area.pk,
            "akim_name": "Akim Testov",
            "topic": "Roads and lighting",
            "meeting_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "meeting_time": "18:30",
            "place": "School No. 5",
        },
    )
    assert r.status_code == 302
    meeting = AkimMeeting.objects.get()
    assert timezone.localtime(meeting.meeting_at).strftime("%H:%M") == "18:30"
    # a deputy's report to voters is on the same calendar
    report = services.report_announce(
        actor=office["staff_user"],
        deputy=office["deputy"],
        meeting_at=timezone.now() + timedelta(days=3),
        place="House of culture",
    )
    html = Client().get(f"/en/deputies/areas/{area.code}/calendar/").content.decode()
    assert "Akim Akim Testov meets the population: Roads and lighting" in html
    assert "reports to voters" in html and "House of culture" in html
    assert html.index("House of culture") < html.index("School No. 5")  # in time order
    ics = Client().get(f"/en/deputies/areas/{area.code}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {
        f"akim-meeting-{meeting.pk}@maslikhat",
        f"voter-report-{report.pk}@maslikhat",
    }


def test_record_only_after_the_meeting_and_cancel_shows_cancelled(office: dict[str, Any]) -> None:
    meeting = _announce(office)
    with pytest.raises(NotAllowed):
        services.akim_meeting_record(actor=office["staff_user"], meeting=meeting, record="Too early")
    AkimMeeting.objects.filter(pk=meeting.pk).update(meeting_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(FieldErrors):
        services.akim_meeting_record(actor=office["staff_user"], meeting=meeting, record="   ")
    services.akim_meeting_record(
        actor=office["staff_user"], meeting=meeting, record="The akim answered 14 questions."
    )
    page = Client().get(f"/en/deputies/akim-meetings/{meeting.pk}/").content.decode()
    assert "The akim answered 14 questions." in page
    with pytest.raises(NotAllowed):
        services.akim_meeting_cancel(actor=office["staff_user"], meeting=meeting)

    other = _announce(office, topic="Water supply")
    services.akim_meeting_cancel(actor=office["staff_user"], meeting=other)
    ics = Client().get(f"/en/deputies/areas/{office['maslikhat'].area.code}/calendar.ics").content
    by_uid = {str(e["uid"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert str(by_uid[f"akim-meeting-{other.pk}@maslikhat"]["status"]) == "CANCELLED"


@pytest.mark.parametrize(
    "field,value",
    [("akim_name", ""), ("topic", "x" * 301), ("place", "\x00"), ("akim_name", "\ud800" * 3)],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    office: dict[str, Any], field: str, value: str
) -> None:
    with pytest.raises(FieldErrors) as caught:
        _announce(office, **{field: value})
    assert any(f == field for f, _c, _m in caught.value.errors)
    assert AkimMeeting.objects.count() == 0


def test_a_territory_outside_the_maslikhat_and_a_past_date_are_refused(office: dict[str, Any]) -> None:
    foreign = Area.objects.get(code="KZ-75")  # Almaty: not Astana's apparatus' to announce
    with pytest.raises(FieldErrors):
        _announce(office, area=foreign)
    with pytest.raises(FieldErrors):
        _announce(office, meeting_at=timezone.now() - timedelta(days=3))
    r = _staff(office).post(
        f"/en/deputies/bodies/{office['maslikhat'].pk}/akim-meetings/announce/",
        {
            "area": foreign.pk,
            "akim_name": "A",
            "topic": "B",
            "meeting_date": "2031-01-01",
            "meeting_time": "10:00",
            "place": "C",
        },
    )
    assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    assert 'value="A"' in r.content.decode()  # what was typed is kept
    assert AkimMeeting.objects.count() == 0


def test_only_the_apparatus_manages_meetings(office: dict[str, Any]) -> None:
    body = office["maslikhat"]
    for user in (None, office["resident"], office["deputy_user"]):
        c = Client()
        if user is not None:
            c.force_login(user)
        assert c.get(f"/en/deputies/bodies/{body.pk}/akim-meetings/").status_code in (302, 404)
    assert Client().get("/en/deputies/areas/NO-SUCH/calendar/").status_code == 404


def test_the_calendar_reads_in_two_queries(
    office: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        _announce(office, topic=f"Topic {i}")
    area = office["maslikhat"].area
    with django_assert_max_num_queries(2):
        entries = selectors.area_calendar(area)
    assert len(entries) == 5


def test_the_area_page_lists_coming_meetings_and_staff_find_the_form(office: dict[str, Any]) -> None:
    _announce(office, topic="Heating season")
    area = office["maslikhat"].area
    html = Client().get(f"/en/areas/{area.code}/").content.decode()
    assert "Meetings with the population" in html and "Heating season" in html
    assert f"/en/deputies/areas/{area.code}/calendar.ics" in html
    body_url = f"/en/bodies/{office['maslikhat'].pk}/"
    link = f"/en/deputies/bodies/{office['maslikhat'].pk}/akim-meetings/"
    assert link not in Client().get(body_url).content.decode()
    assert link in _staff(office).get(body_url).content.decode()
