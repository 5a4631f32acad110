"""The scorecard's background job (the periodic "scorecard.refresh_overdue"), registered by
ScorecardConfig.ready."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from maslikhat.core.figures import SOURCES


def refresh_overdue() -> int:
    """Idempotent: every figure source that keeps a cache of today's values refreshes it
    (the appeals' "overdue now" counts); then the current year's national tables are built, so
    their values are kept (core.figures.source_values) before a visitor asks. Returns the
    number of bodies counted."""
    today = timezone.localdate()
    counted = sum(int(source.refresh(today) or 0) for source in SOURCES if source.refresh is not None)
    warm_tables(today)
    return counted


def warm_tables(today: date) -> None:
    """The current year's tables of both levels, computed where what they show changed."""
    from .selectors import LEVELS, period_parse, scorecard_build

    period = period_parse("", today=today)
    for level in LEVELS:
        scorecard_build(period=period, level=level, today=today)


JOBS: dict[str, Callable[..., Any]] = {"scorecard.refresh_overdue": refresh_overdue}
