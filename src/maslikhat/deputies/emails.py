"""Messages to the people who booked a reception: the confirmation (with the private cancel
link), a place freed from the waiting list, a cancelled reception and the reminder the day
before. By email when the booking has an address, and by SMS through the gateway adapter
(`core.sms`) when it has a phone and a gateway is configured: staff book for people who phone,
who often have no email. Called only after commit; an outage of either channel is logged and
never undoes the booking. Each function returns how many messages went out."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation

from maslikhat.core import sms
from maslikhat.core.emails import render_subject, render_text

from .choices import BookingStatus
from .models import Booking

logger = logging.getLogger(__name__)


def booking_url(token: str, language: str) -> str:
    with translation.override(language):
        return f"{settings.SITE_URL}{reverse('deputies:booking')}?token={token}"


def _send(booking: Booking, template: str, token: str = "") -> int:
    return _email(booking, template, token) + _sms(booking, template)


def _sms(booking: Booking, template: str) -> int:
    if not booking.phone or not sms.is_configured():
        return 0
    with translation.override(booking.language):
        text = render_text(
            f"deputies/sms/{template}.txt",
            {
                "booking": booking,
                "slot": booking.slot,
                "schedule": booking.slot.schedule,
                "deputy": booking.slot.deputy,
            },
        )
    try:
        sms.send_sms(booking.phone, " ".join(text.split()))
    except Exception:  # the booking is committed; the ActionLog keeps the facts
        logger.exception("deputies SMS %s not sent", template)
        return 0
    return 1


def _email(booking: Booking, template: str, token: str) -> int:
    if not booking.email:
        return 0
    with translation.override(booking.language):
        ctx = {
            "booking": booking,
            "slot": booking.slot,
            "schedule": booking.slot.schedule,
            "deputy": booking.slot.deputy,
            "url": booking_url(token, booking.language) if token else "",
            "site_url": settings.SITE_URL,
        }
        subject = render_subject(f"deputies/email/{template}_subject.txt", ctx)
        body = render_text(f"deputies/email/{template}.txt", ctx)
    try:
        send_mail(subject, body, None, [booking.email])
    except Exception:  # the booking is committed; the ActionLog keeps the facts
        logger.exception("deputies email %s not sent", template)
        return 0
    return 1


def _load(booking_id: int) -> Booking:
    return Booking.objects.select_related("slot__schedule", "slot__deputy").get(pk=booking_id)


def send_booked(booking_id: int, token: str) -> int:
    return _send(_load(booking_id), "booked", token)


def send_promoted(booking_id: int) -> int:
    return _send(_load(booking_id), "promoted")


def send_slot_cancelled(booking_id: int) -> int:
    return _send(_load(booking_id), "slot_cancelled")


def send_reminders() -> int:
    """Remind everyone booked for a reception starting in the next 24 hours (periodic, hourly;
    idempotent: a booking is reminded once, marked in `reminded_at`)."""
    now = timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + timedelta(hours=24),
    ).exclude(email="", phone="")
    sent = 0
    for booking in due.select_related("slot__schedule", "slot__deputy"):
        if Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
            sent += _send(booking, "reminder")
    return sent
