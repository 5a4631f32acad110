"""The deputies app's background jobs (`JOBS`, registered by DeputiesConfig.ready): the emails
to people who booked a reception (see `emails.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import emails

JOBS: dict[str, Callable[..., Any]] = {
    "deputies.booked": emails.send_booked,
    "deputies.promoted": emails.send_promoted,
    "deputies.slot_cancelled": emails.send_slot_cancelled,
    "deputies.remind": emails.send_reminders,
}
