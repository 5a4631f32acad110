"""Standing commission meetings: planning with agenda and linked items, attendance of the
members, the quorum (more than half by default, a setting), minutes, moves and cancelling with
their iCalendar SEQUENCE, the public pages and the staff forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.directory.choices import ElectionMethod, PostRole
from maslikhat.proceedings import services
from maslikhat.proceedings.models import CommissionMeeting, ProceedingsSettings
from tests.factories import MembershipFactory

WHEN = datetime(2031, 3, 10, 5, 0, tzinfo=UTC)


@pytest.fixture
def commission(body: dict[str, Any]) -> dict[str, Any]:
    """Four of the six deputies sit on the budget commission (the first one chairs it)."""
    members = body["deputies"][:4]
    for i, person in enumerate(members):
        MembershipFactory(
            person=person,
            organization=body["commission"],
            role=PostRole.COMMISSION_CHAIR if i == 0 else PostRole.COMMISSION_MEMBER,
            election_method=ElectionMethod.INDIRECT,
            start_date=date(2023, 4, 1),
        )
    meeting = services.commission_meeting_plan(
        actor=body["staff"],
        commission=body["commission"],
        starts_at=WHEN,
        place="Room 2",
        agenda="1. Budget.",
    )
    return {**body, "members": members, "meeting": meeting}


def _url(name: str, pk: Any, **kw: Any) -> str:
    with translation.override("en"):
        return reverse(f"proceedings:{name}", kwargs={"pk": pk, **kw})


def _present(c: dict[str, Any], n: int) -> dict[int, bool]:
    return {p.pk: i < n for i, p in enumerate(c["members"])}


def test_quorum_is_more_than_half_of_the_members(commission: dict[str, Any]) -> None:
    staff, meeting = commission["staff"], commission["meeting"]
    half = services.commission_attendance_record(
        actor=staff, meeting=meeting, present=_present(commission, 2)
    )
    assert (half.present, half.members, half.quorum) == (2, 4, False)
    more = services.commission_attendance_record(
        actor=staff, meeting=meeting, present=_present(commission, 3)
    )
    assert (more.present, more.quorum) == (3, True)


def test_the_quorum_share_is_a_setting(commission: dict[str, Any]) -> None:
    ProceedingsSettings.objects.create(body=commission["maslikhat"], commission_quorum_percent=75)
    m = services.commission_attendance_record(
        actor=commission["staff"], meeting=commission["meeting"], present=_present(commission, 3)
    )
    assert m.quorum is False


def test_only_members_attend_and_minutes_need_attendance(commission: dict[str, Any]) -> None:
    staff, meeting = commission["staff"], commission["meeting"]
    stranger = commission["deputies"][5]
    with pytest.raises(FieldErrors) as exc:
        services.commission_attendance_record(actor=staff, meeting=meeting, present={stranger.pk: True})
    assert exc.value.errors[0][1] == "not_a_member"
    with pytest.raises(FieldErrors) as exc:
        services.commission_meeting_hold(actor=staff, meeting=meeting, minutes="Held.")
    assert [e[1] for e in exc.value.errors] == ["no_attendance"]
    services.commission_attendance_record(actor=staff, meeting=meeting, present=_present(commission, 4))
    held = services.commission_meeting_hold(actor=staff, meeting=meeting, minutes="Approved the draft.")
    assert held.status == "held" and held.quorum is True
    with pytest.raises(NotAllowed):
        services.commission_meeting_cancel(actor=staff, meeting=held, reason="late")


def test_a_meeting_must_belong_to_a_commission_and_link_this_maslikhats_items(
    sitting: dict[str, Any],
) -> None:
    staff = sitting["staff"]
    with pytest.raises(FieldErrors) as exc:
        services.commission_meeting_plan(
            actor=staff, commission=sitting["maslikhat"], starts_at=WHEN, agenda="x"
        )
    assert exc.value.errors[0][1] == "not_a_commission"
    with pytest.raises(FieldErrors):
        services.commission_meeting_plan(
            actor=staff, commission=sitting["commission"], starts_at=WHEN, item_ids=[2**30]
        )
    m = services.commission_meeting_plan(
        actor=staff, commission=sitting["commission"], starts_at=WHEN, item_ids=[sitting["item"].pk]
    )
    assert list(m.items.all()) == [sitting["item"]]


@pytest.mark.parametrize(
    "agenda", ["", "\x00\x00", "a" * (services.MAX_TEXT + 5)], ids=["empty", "nul", "huge"]
)
def test_bad_agenda_is_refused_and_nothing_is_saved(commission: dict[str, Any], agenda: str) -> None:
    before = CommissionMeeting.objects.count()
    with pytest.raises(FieldErrors):
        services.commission_meeting_plan(
            actor=commission["staff"], commission=commission["commission"], starts_at=WHEN, agenda=agenda
        )
    assert CommissionMeeting.objects.count() == before


def test_ical_keeps_the_uid_raises_sequence_and_marks_cancelled(commission: dict[str, Any]) -> None:
    staff, meeting = commission["staff"], commission["meeting"]
    url = _url("commission_calendar", commission["commission"].pk)
    first = Calendar.from_ical(Client().get(url).content).walk("VEVENT")[0]
    services.commission_meeting_reschedule(
        actor=staff, meeting=meeting, starts_at=datetime(2031, 3, 11, 6, tzinfo=UTC)
    )
    services.commission_meeting_cancel(actor=staff, meeting=meeting, reason="No quorum expected.")
    last = Calendar.from_ical(Client().get(url).content).walk("VEVENT")[0]
    assert str(last["uid"]) == str(first["uid"])
    assert last.decoded("sequence") == first.decoded("sequence") + 2
    assert str(last["status"]) == "CANCELLED"
    assert last.decoded("dtstart") == datetime(2031, 3, 11, 6, tzinfo=UTC)


def test_public_pages_list_meetings_on_the_commission_and_the_maslikhat(commission: dict[str, Any]) -> None:
    from maslikhat.core.sections import render_sections

    client = Client()
    page = client.get(_url("commission", commission["commission"].pk))
    assert page.status_code == 200 and "Room 2" not in page.content.decode()
    meeting = client.get(_url("commission_meeting", commission["meeting"].pk)).content.decode()
    assert "Room 2" in meeting and "1. Budget." in meeting and "Record attendance" not in meeting
    html = render_sections("directory.body", "main", commission["commission"], None)
    assert "Commission meetings" in html
    assert "Commission meetings" not in render_sections(
        "directory.body", "main", commission["maslikhat"], None
    )
    assert client.get(_url("commission", commission["maslikhat"].pk)).status_code == 404


def test_staff_forms_plan_record_and_hold(commission: dict[str, Any]) -> None:
    client = Client()
    client.force_login(commission["staff"])
    answer = client.post(
        _url("commission_meeting_new", commission["commission"].pk),
        {"starts_at": "2031-04-02T10:00", "place": "Hall", "agenda": "Programme."},
    )
    assert answer.status_code == 302
    meeting = CommissionMeeting.objects.latest("id")
    data = {f"present_{p.pk}": "1" for p in commission["members"][:3]}
    assert (
        client.post(_url("commission_meeting_act", meeting.pk, action="attendance"), data).status_code == 302
    )
    assert (
        client.post(
            _url("commission_meeting_act", meeting.pk, action="hold"), {"minutes": "Done."}
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.present, meeting.quorum) == ("held", 3, True)


@pytest.mark.parametrize(
    "data",
    [
        {"starts_at": "not a date", "agenda": "x"},
        {"starts_at": "0001-01-01T00:00", "agenda": "x"},
        {"starts_at": "2031-04-02T10:00", "agenda": "\x00"},
        {"starts_at": "2031-04-02T10:00", "agenda": "a" * 200_000},
        {"starts_at": "2031-04-02T10:00", "agenda": "x", "items": ["abc", "-5", "99999999999"]},
    ],
    ids=["date", "year-one", "nul", "huge", "items"],
)
def test_bad_staff_input_is_a_clear_error_and_changes_nothing(
    commission: dict[str, Any], data: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(commission["staff"])
    before = CommissionMeeting.objects.count()
    answer = client.post(_url("commission_meeting_new", commission["commission"].pk), data)
    assert answer.status_code in (400, 422)
    assert CommissionMeeting.objects.count() == before


def test_others_cannot_use_the_staff_forms(commission: dict[str, Any]) -> None:
    client = Client()
    client.force_login(commission["resident"])
    url = _url("commission_meeting_new", commission["commission"].pk)
    assert client.post(url, {"starts_at": "2031-04-02T10:00", "agenda": "x"}).status_code == 403
    url = _url("commission_meeting_act", commission["meeting"].pk, action="cancel")
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_a_lone_surrogate_in_the_form_is_refused(commission: dict[str, Any]) -> None:
    client = Client()
    client.force_login(commission["staff"])
    before = CommissionMeeting.objects.count()
    body = b"starts_at=2031-04-02T10%3A00&agenda=%ED%A0%80"
    answer = client.post(
        _url("commission_meeting_new", commission["commission"].pk),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 422 and "cannot be stored" in answer.content.decode()
    assert CommissionMeeting.objects.count() == before
    with pytest.raises(FieldErrors) as exc:
        services.commission_meeting_plan(
            actor=commission["staff"], commission=commission["commission"], starts_at=WHEN, agenda="a\ud800"
        )
    assert exc.value.errors[0][1] == "invalid_characters"
