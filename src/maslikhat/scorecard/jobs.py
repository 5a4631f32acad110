"""The scorecard's background job (the periodic "scorecard.refresh_overdue"), registered by
ScorecardConfig.ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from maslikhat.core.figures import SOURCES


def refresh_overdue() -> int:
    """Idempotent: every figure source that keeps a cache of today's values refreshes it
    (the appeals' "overdue now" counts); returns the number of bodies counted."""
    today = timezone.localdate()
    return sum(int(source.refresh(today) or 0) for source in SOURCES if source.refresh is not None)


JOBS: dict[str, Callable[..., Any]] = {"scorecard.refresh_overdue": refresh_overdue}
