from datetime import date

import pytest

from maslikhat.core.calendar import add_working_days, is_working_day, next_working_day, working_days_between
from maslikhat.core.models import CalendarOverride


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # counting starts the day after start: Mon + 1 = Tue
        (date(2026, 11, 2), 1, date(2026, 11, 3)),
        # Friday + 1 skips the weekend
        (date(2026, 11, 6), 1, date(2026, 11, 9)),
        # Nauryz 2026: 21-23 March plus moved days off 24-25 March (21/22 fell on a weekend)
        (date(2026, 3, 20), 1, date(2026, 3, 26)),
        # 15 working days from 2 Mar 2026 across 8-9 March and Nauryz
        (date(2026, 3, 2), 15, date(2026, 3, 27)),
        # Independence Day 16 Dec 2026 (Wednesday)
        (date(2026, 12, 15), 1, date(2026, 12, 17)),
        # New Year 1-2 Jan and Orthodox Christmas 7 Jan 2027
        (date(2026, 12, 31), 3, date(2027, 1, 8)),
        (date(2026, 11, 2), 0, date(2026, 11, 2)),
    ],
)
def test_add_working_days_follows_kazakh_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.django_db
def test_override_adds_a_working_saturday_and_removes_a_day():
    # given an extra working Saturday and a corrected day off
    CalendarOverride.objects.create(date=date(2026, 11, 7), kind=CalendarOverride.Kind.WORKING_DAY)
    CalendarOverride.objects.create(date=date(2026, 11, 9), kind=CalendarOverride.Kind.DAY_OFF)
    # then Friday + 1 is that Saturday, and Saturday + 1 skips the Monday off
    assert add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 7)
    assert add_working_days(date(2026, 11, 7), 1) == date(2026, 11, 10)
    assert is_working_day(date(2026, 11, 7)) is True
    assert is_working_day(date(2026, 11, 9)) is False


@pytest.mark.django_db
def test_next_working_day_and_span():
    assert next_working_day(date(2026, 11, 28)) == date(2026, 11, 30)  # Saturday -> Monday
    assert next_working_day(date(2026, 11, 30)) == date(2026, 11, 30)
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 4)) == 5
    assert working_days_between(date(2026, 12, 4), date(2026, 11, 27)) == -5


@pytest.mark.django_db
@pytest.mark.parametrize("n", [-1, 100000])
def test_add_working_days_rejects_bad_counts(n):
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), n)
