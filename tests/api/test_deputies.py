"""The deputies API: schedules, slots (availability only), receptions held, reports,
inquiries, and booking a slot."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from maslikhat.deputies import services
from maslikhat.deputies.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(astana: dict[str, Any]) -> Any:
    schedule = services.schedule_create(
        actor=None,
        deputy=astana["deputy"],
        place="Hall 1",
        mode="in_person",
        recurrence="weekly",
        weekday=5,
        start_time=time(10, 0),
        duration_minutes=60,
        capacity=2,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=3,
    )
    return schedule.slots.order_by("starts_at").first()


def test_slots_show_availability_and_never_who_booked(slot: Any, astana: dict[str, Any]) -> None:
    services.booking_create(actor=None, slot=slot, name="Secret Name", phone="+77012345678")
    r = Client().get(f"/api/v1/deputies/{astana['deputy'].pk}/slots")
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == 3
    assert rows[0]["free"] == 1 and rows[0]["capacity"] == 2 and rows[0]["waiting"] == 0
    assert "Secret" not in r.content.decode() and "7701" not in r.content.decode()


def test_schedules_reports_inquiries_and_receptions(slot: Any, astana: dict[str, Any]) -> None:
    deputy = astana["deputy"]
    services.report_announce(
        actor=None, deputy=deputy, meeting_at=timezone.now() + timedelta(days=3), place="S"
    )
    services.inquiry_register(actor=None, deputy=deputy, addressee="Akimat", subject="Roads", text="x")
    c = Client()
    assert c.get(f"/api/v1/deputies/{deputy.pk}/schedules").json()[0]["weekday"] == 5
    assert c.get(f"/api/v1/deputies/{deputy.pk}/reports").json()[0]["status"] == "announced"
    inquiry = c.get(f"/api/v1/deputies/{deputy.pk}/inquiries").json()[0]
    assert inquiry["number"].endswith("-DZ-0001") and inquiry["overdue"] is False
    assert c.get(f"/api/v1/deputies/{deputy.pk}/receptions").json() == []


def test_unknown_deputy_is_404(db: None, en: Any) -> None:
    r = Client().get("/api/v1/deputies/999999/slots", **en)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert Client().get("/api/v1/deputies/99999999999999999999/slots").status_code == 422


def test_booking_then_waiting_then_duplicate(slot: Any, en: Any) -> None:
    c = Client()
    url = f"/api/v1/deputies/slots/{slot.pk}/bookings"
    first = c.post(url, {"name": "A", "phone": "+77010000001"}, content_type="application/json", **en)
    assert first.status_code == 201 and first.json()["status"] == "booked"
    assert first.json()["confirmation_path"].startswith("/en/deputies/booking/?token=")
    c.post(url, {"name": "B", "phone": "+77010000002"}, content_type="application/json")
    third = c.post(url, {"name": "C", "phone": "+77010000003"}, content_type="application/json")
    assert third.json()["status"] == "waiting"
    again = c.post(url, {"name": "A", "phone": "87010000001"}, content_type="application/json", **en)
    assert again.status_code == 400 and again.json()["code"] == "already_booked"
    assert Booking.objects.count() == 3


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"name": "A", "phone": "123"}, 422, "validation_error"),
        ({"name": "A"}, 422, "validation_error"),
        ({"name": "A\x00", "phone": "\x00"}, 422, "validation_error"),
        ({"name": 5, "phone": []}, 422, "validation_error"),
    ],
)
def test_bad_booking_input(slot: Any, payload: dict[str, Any], status: int, code: str) -> None:
    r = Client().post(f"/api/v1/deputies/slots/{slot.pk}/bookings", payload, content_type="application/json")
    assert r.status_code == status and r.json()["code"] == code
    assert not Booking.objects.exists()


def test_booking_a_past_slot_is_refused(slot: Any) -> None:
    from maslikhat.deputies.models import ReceptionSlot

    ReceptionSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    r = Client().post(
        f"/api/v1/deputies/slots/{slot.pk}/bookings",
        {"name": "A", "phone": "+77010000001"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "slot_past"
    assert (
        Client()
        .post("/api/v1/deputies/slots/999999/bookings", {}, content_type="application/json")
        .status_code
        == 404
    )


def test_slots_list_query_count(
    slot: Any, astana: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(2):
        services.booking_create(actor=None, slot=slot, name="x", phone=f"+7701000000{i}")
    with django_assert_max_num_queries(6):
        Client().get(f"/api/v1/deputies/{astana['deputy'].pk}/slots")
