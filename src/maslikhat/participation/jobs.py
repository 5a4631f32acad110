"""The participation app's background jobs (`JOBS`, registered by ParticipationConfig.ready).

`participation.close_day` runs daily (CELERY_BEAT_SCHEDULE; hourly is harmless): it closes
support periods whose end passed, moves budget processes' phases by their dates and marks late
answers overdue. Idempotent: a second run on the same day changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .services import DayClosed, participation_close_day


def close_day() -> DayClosed:
    return participation_close_day(actor=None)


JOBS: dict[str, Callable[..., Any]] = {
    "participation.close_day": close_day,
}
