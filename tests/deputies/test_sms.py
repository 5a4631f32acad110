"""Bookings by phone get their messages by SMS through the gateway adapter (`core.sms`): the
confirmation, a place freed from the waiting list, a cancelled reception and the reminder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from maslikhat.deputies import services
from maslikhat.deputies.emails import send_reminders
from maslikhat.deputies.models import ReceptionSlot
from maslikhat.participation.models import SmsMessage

pytestmark = pytest.mark.django_db

PHONE = "+77012345678"


def _texts(phone: str = PHONE) -> list[str]:
    return list(SmsMessage.objects.filter(phone=phone).order_by("id").values_list("text", flat=True))


def test_a_caller_without_email_is_confirmed_by_sms(
    slot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(actor=None, slot=slot, name="Caller", phone="8 701 234 56 78", language="en")
    assert mail.outbox == []
    (text,) = _texts()
    assert "You are booked for the reception of deputy" in text
    assert slot.deputy.name in text and slot.schedule.place in text
    local = timezone.localtime(slot.starts_at)
    assert local.strftime("%H:%M") in text  # local time, not UTC
    assert "\n" not in text and len(text) <= 480


def test_the_sms_speaks_the_bookings_language(slot: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(actor=None, slot=slot, name="Caller", phone=PHONE, language="ru")
    (text,) = _texts()
    assert text.startswith("Вы записаны на приём к депутату")


def test_no_sms_without_a_gateway(slot: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.SMS_BACKEND = "no-such-gateway"  # falls back to the log: not configured
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(actor=None, slot=slot, name="Caller", phone=PHONE, language="en")
    assert _texts() == []


def test_promotion_cancellation_and_reminder_by_sms(
    slot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ReceptionSlot.objects.filter(pk=slot.pk).update(capacity=1)
    slot.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        first, _t = services.booking_create(
            actor=None, slot=slot, name="First", phone="+77011111111", language="en"
        )
        services.booking_create(actor=None, slot=slot, name="Second", phone=PHONE, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=None, booking=first)
    assert any(t.startswith("A place is free for you") for t in _texts())

    ReceptionSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() + timedelta(hours=3), ends_at=timezone.now() + timedelta(hours=4)
    )
    assert send_reminders() == 1
    assert _texts()[-1].startswith("Reminder: reception of deputy")
    assert send_reminders() == 0

    slot.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.slot_cancel(actor=slot.schedule.created_by, slot=slot)
    assert "is cancelled" in _texts()[-1]


def test_a_gateway_failure_never_undoes_the_booking(
    slot: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from maslikhat.core import sms

    def broken(phone: str, text: str) -> None:
        raise OSError("gateway down")

    monkeypatch.setattr(sms, "send_sms", broken)
    with django_capture_on_commit_callbacks(execute=True):
        booking, _t = services.booking_create(
            actor=None, slot=slot, name="Caller", phone=PHONE, language="en"
        )
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_a_full_reception_says_waiting_list(slot: Any, django_capture_on_commit_callbacks: Any) -> None:
    ReceptionSlot.objects.filter(pk=slot.pk).update(capacity=1)
    slot.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(actor=None, slot=slot, name="First", phone="+77011111111", language="en")
        services.booking_create(actor=None, slot=slot, name="Second", phone=PHONE, language="en")
    (text,) = _texts()
    assert "waiting list" in text and "You are booked" not in text
