"""Kazakhstan's working-day calendar: PyPI `holidays` (KZ) plus the operator's overrides.

A day is a working day when it is Monday to Friday and not a public holiday (including the
moved days off that `holidays` knows), or when it is a Saturday or Sunday that the Government
made a working day (the day off moved from it to another date: `holidays` lists these as the
year's `weekend_workdays`), unless an override says otherwise: a `day_off` override removes a
working day, a `working_day` override adds one (a working Saturday the library does not know).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

from .models import CalendarOverride

# A statutory deadline is never more than a few months away; this bounds every loop.
MAX_WORKING_DAYS = 3660


@lru_cache(maxsize=64)
def _kz_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The year's public holidays (moved days off included) and its working weekend days."""
    kz = holidays.country_holidays("KZ", years=year)
    return frozenset(kz.keys()), frozenset(d for d in kz.weekend_workdays if d.year == year)


class _OverridesOnce:
    """The whole override table, read on first use and kept for the rest of one batch."""

    table: dict[date, str] | None = None

    def get(self) -> dict[date, str]:
        if self.table is None:
            # the operator's table is small (a few rows a year): reading it whole is one query
            self.table = dict(CalendarOverride.objects.values_list("date", "kind"))
        return self.table


_batch: ContextVar[_OverridesOnce | None] = ContextVar("calendar_overrides_batch", default=None)


@contextmanager
def overrides_once() -> Iterator[None]:
    """Within this block the override table is read at most once (a page of 50 appeals asks for
    50 deadlines: one query, not 50). Nested blocks share the outer one. Outside any block every
    call reads the table afresh; a request is one block (`OverridesPerRequestMiddleware`)."""
    if _batch.get() is not None:
        yield
        return
    reset = _batch.set(_OverridesOnce())
    try:
        yield
    finally:
        _batch.reset(reset)


class OverridesPerRequestMiddleware:
    """Each request reads the calendar overrides at most once, however many deadlines it shows."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with overrides_once():
            return self.get_response(request)


def _overrides(start: date, end: date) -> dict[date, str]:
    batch = _batch.get()
    if batch is not None:
        return {d: k for d, k in batch.get().items() if start <= d <= end}
    rows = CalendarOverride.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return dict(rows)


def _is_working(day: date, overrides: dict[date, str]) -> bool:
    kind = overrides.get(day)
    if kind == CalendarOverride.Kind.WORKING_DAY:
        return True
    if kind == CalendarOverride.Kind.DAY_OFF:
        return False
    days_off, weekend_workdays = _kz_calendar(day.year)
    if day.weekday() >= 5:
        # a Saturday or Sunday is a day off unless the Government moved the day off from it
        return day in weekend_workdays
    return day not in days_off


def is_working_day(day: date) -> bool:
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (counting starts the day after `start`).

    `n == 0` returns `start` itself. Raises ValueError for a negative or absurd `n`.
    """
    if n < 0 or n > MAX_WORKING_DAYS:
        raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS}")
    if n == 0:
        return start
    # Calendar span is at most ~1.6x the working days plus long holiday runs.
    horizon = start + timedelta(days=n * 2 + 30)
    overrides = _overrides(start, horizon)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day > horizon:
            horizon = day + timedelta(days=n * 2 + 30)
            overrides.update(_overrides(day, horizon))
        if _is_working(day, overrides):
            counted += 1
    return day


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    if is_working_day(day):
        return day
    return add_working_days(day, 1)


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    overrides = _overrides(lo, hi)
    count = 0
    day = lo
    while day < hi:
        day += timedelta(days=1)
        if _is_working(day, overrides):
            count += 1
    return sign * count
