"""The "outbox" SMS backend: every message is a row of `SmsMessage` (demo, tests, e2e)."""

from __future__ import annotations

from .models import SmsMessage


class OutboxBackend:
    def send(self, phone: str, text: str) -> None:
        SmsMessage.objects.create(phone=phone, text=text[:480])


def outbox_last(phone: str) -> SmsMessage | None:
    """The last message sent to `phone` (E.164)."""
    return SmsMessage.objects.filter(phone=phone).order_by("-id").first()
