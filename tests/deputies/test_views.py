"""The deputies pages: booking without JavaScript, the confirmation and cancel, the office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from maslikhat.appeals.models import Appeal
from maslikhat.deputies import services
from maslikhat.deputies.models import Booking

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_deputy_page_lists_receptions_with_free_places_and_no_names(
    slot: Any, office: dict[str, Any]
) -> None:
    services.booking_create(actor=None, slot=slot, name="Secret Name", phone="+77012345678")
    html = Client().get(f"/en/deputies/{office['deputy'].pk}/").content.decode()
    assert "2 places free" in html
    assert "Secret Name" not in html and "+77012345678" not in html
    assert "Receptions held" in html and "Inquiries answered on time" in html


def test_anonymous_booking_goes_to_its_confirmation_page_and_can_be_cancelled(slot: Any) -> None:
    c = Client()
    r = c.post(f"/ru/deputies/receptions/{slot.pk}/", {"name": "Айгуль", "phone": "+7 701 234 56 78"})
    assert r.status_code == 302 and "/ru/deputies/booking/?token=" in r["Location"]
    page = c.get(r["Location"]).content.decode()
    assert "Ваше место забронировано" in page or "Your place is booked" in page
    booking = Booking.objects.get()
    assert booking.status == "booked" and booking.language == "ru"
    token = r["Location"].split("token=")[1]
    c.post("/ru/deputies/booking/", {"token": token})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


@pytest.mark.parametrize(("phone", "status"), [("12345", 422), ("7" * 300, 422), ("+7 701 234 56 78", 302)])
def test_booking_form_errors_are_shown(slot: Any, phone: str, status: int) -> None:
    r = Client().post(f"/en/deputies/receptions/{slot.pk}/", {"name": "A", "phone": phone})
    assert r.status_code == status
    if status == 422:
        assert "Enter a phone number" in r.content.decode()
        assert not Booking.objects.exists()


def test_second_booking_by_the_same_phone_is_a_clear_error(slot: Any) -> None:
    c = Client()
    c.post(f"/en/deputies/receptions/{slot.pk}/", {"name": "A", "phone": "+77012345678"})
    r = c.post(f"/en/deputies/receptions/{slot.pk}/", {"name": "A", "phone": "87012345678"})
    assert r.status_code == 400 and "already booked" in r.content.decode()


def test_unknown_token_and_ids_are_404(slot: Any) -> None:
    c = Client()
    assert c.get("/en/deputies/booking/?token=nope").status_code == 404
    assert c.get("/en/deputies/receptions/999999/").status_code == 404
    assert c.get("/en/deputies/999999/").status_code == 404


def test_office_pages_are_for_the_deputy_and_the_apparatus_only(slot: Any, office: dict[str, Any]) -> None:
    services.booking_create(actor=None, slot=slot, name="Secret Name", phone="+77012345678")
    pk = office["deputy"].pk
    for user in (None, office["resident"]):
        assert _client(user).get(f"/en/deputies/{pk}/office/").status_code in (404, 302)
        assert _client(user).get(f"/en/deputies/receptions/{slot.pk}/office/").status_code in (404, 302)
    for user in (office["deputy_user"], office["staff_user"]):
        html = _client(user).get(f"/en/deputies/receptions/{slot.pk}/office/").content.decode()
        assert "Secret Name" in html and "+77012345678" in html


def test_office_records_a_visit_and_turns_the_question_into_an_appeal(
    slot: Any, office: dict[str, Any], visitor_applicant: dict[str, str]
) -> None:
    c = Client()
    r = c.post(f"/ru/deputies/receptions/{slot.pk}/", {"name": "Айгуль", "phone": "+77012345678"})
    confirmation = r["Location"]
    booking = Booking.objects.get()
    staff = _client(office["deputy_user"])
    r = staff.post(
        f"/en/deputies/receptions/{slot.pk}/office/visit/",
        {"booking": booking.pk, "questions": "The yard has no lights"},
    )
    assert r.status_code == 302
    question = booking.visit.questions.get()
    r = staff.post(f"/en/deputies/questions/{question.pk}/appeal/", {**visitor_applicant, "topic": "roads"})
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.text == "The yard has no lights"
    assert appeal.registration_number in staff.get(r["Location"]).content.decode()
    assert appeal.registration_number in c.get(confirmation).content.decode()


def test_office_forms_show_errors_and_change_nothing(office: dict[str, Any]) -> None:
    staff = _client(office["staff_user"])
    r = staff.post(
        f"/en/deputies/{office['deputy'].pk}/office/schedule/", {"place": "", "first_date": "not a date"}
    )
    assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    r = staff.post(f"/en/deputies/{office['deputy'].pk}/office/inquiry/", {"addressee": "\x00"})
    assert r.status_code in (400, 422)
    r = staff.post(f"/en/deputies/{office['deputy'].pk}/office/inquiry/", {"addressee": "Akimat"})
    assert r.status_code == 422
    from maslikhat.deputies.models import Inquiry, ReceptionSchedule

    assert not Inquiry.objects.exists() and not ReceptionSchedule.objects.exists()


def test_ical_of_a_deputy_and_of_one_slot(slot: Any, office: dict[str, Any]) -> None:
    r = Client().get(f"/en/deputies/{office['deputy'].pk}/calendar.ics")
    assert r["Content-Type"].startswith("text/calendar")
    assert r.content.count(b"BEGIN:VEVENT") == 4
    one = Client().get(f"/en/deputies/receptions/{slot.pk}/calendar.ics").content
    assert one.count(b"BEGIN:VEVENT") == 1 and b"Beibitshilik" in one


def test_atom_feed_lists_receptions_reports_and_inquiries(slot: Any, office: dict[str, Any]) -> None:
    services.inquiry_register(
        actor=None, deputy=office["deputy"], addressee="Akimat", subject="Lights", text="x"
    )
    r = Client().get(f"/en/deputies/{office['deputy'].pk}/feed/")
    body = r.content.decode()
    assert r.status_code == 200 and "<feed" in body and "Lights" in body and "Reception" in body


def test_report_page_collects_questions_before_the_meeting(office: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    report = services.report_announce(
        actor=None, deputy=office["deputy"], meeting_at=timezone.now() + timedelta(days=1), place="School"
    )
    r = Client().post(f"/en/deputies/reports/{report.pk}/", {"text": "Where is the bus?", "name": "Secret"})
    assert r.status_code == 200 and "Where is the bus?" in r.content.decode()
    assert "Secret" not in r.content.decode()
    r = Client().post(f"/en/deputies/reports/{report.pk}/", {"text": ""})
    assert r.status_code == 422
