"""The SMS gateway adapter: a protocol, a registry of backends and the one `send_sms`.

`settings.SMS_BACKEND` names a registered backend (default "outbox"). Apps register backends
from their `AppConfig.ready` (the participation app registers "outbox", which keeps every
message in its database table for the demo and the tests to read). A gateway for production
registers its own name. When the named backend is not registered, "console" (the log) is used.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send `text` to `phone` (E.164); raise on a gateway failure."""


class ConsoleBackend:
    """Writes the message to the log (the phone's last digits only)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to …%s: %s", phone[-4:], text)


_BACKENDS: dict[str, SmsBackend] = {"console": ConsoleBackend()}


def register_backend(name: str, backend: SmsBackend) -> None:
    """Make a backend selectable by `settings.SMS_BACKEND`; a name is registered once."""
    existing = _BACKENDS.get(name)
    if existing is not None and type(existing) is not type(backend):
        raise ValueError(f"SMS backend {name!r} is already registered")
    _BACKENDS[name] = backend


def backend_name() -> str:
    name = str(getattr(settings, "SMS_BACKEND", "outbox"))
    return name if name in _BACKENDS else "console"


def send_sms(phone: str, text: str) -> None:
    """Send one message through the configured backend."""
    _BACKENDS[backend_name()].send(phone, text)


def is_configured() -> bool:
    """True when messages reach a gateway (or the outbox), not only the log."""
    return backend_name() != "console"
