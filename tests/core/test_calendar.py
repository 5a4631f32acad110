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


# Saturdays and Sundays that the Government of Kazakhstan made working days, with the day off
# each was moved to (its decrees on moving days off, 2019-2025; none for 2026 in `holidays`).
# Listed by hand, not computed by the calendar under test.
WORKING_WEEKEND_DAYS = [
    (date(2019, 5, 4), date(2019, 5, 10)),  # Sat -> Fri after Victory Day (Thu 9 May)
    (date(2020, 1, 5), date(2020, 1, 3)),  # Sun -> Fri after New Year
    (date(2020, 12, 20), date(2020, 12, 18)),  # Sun -> Fri after Independence Day
    (date(2021, 7, 3), date(2021, 7, 5)),  # Sat -> Mon before Capital Day (Tue 6 Jul)
    (date(2022, 3, 5), date(2022, 3, 7)),  # Sat -> Mon before 8 March (Tue)
    (date(2022, 8, 27), date(2022, 8, 29)),  # Sat -> Mon before Constitution Day (Tue 30 Aug)
    (date(2022, 10, 22), date(2022, 10, 24)),  # Sat -> Mon before Republic Day (Tue 25 Oct)
    (date(2023, 7, 1), date(2023, 7, 7)),  # Sat -> Fri after Capital Day (Thu 6 Jul)
    (date(2024, 5, 4), date(2024, 5, 8)),  # Sat -> Wed between 7 and 9 May
    (date(2025, 1, 5), date(2025, 1, 3)),  # Sun -> Fri after New Year
]


@pytest.mark.django_db
@pytest.mark.parametrize(("working", "moved_to"), WORKING_WEEKEND_DAYS)
def test_a_weekend_day_made_working_is_a_working_day(working, moved_to):
    # given a Saturday or Sunday whose day off the Government moved to a weekday
    assert working.weekday() >= 5 and moved_to.weekday() < 5
    # then the weekend day is worked and the weekday it was moved to is not
    assert is_working_day(working) is True
    assert next_working_day(working) == working
    assert is_working_day(moved_to) is False


@pytest.mark.django_db
@pytest.mark.parametrize("year", range(2019, 2027))
def test_the_only_working_weekend_days_of_a_year_are_the_moved_ones(year):
    # given every Saturday and Sunday of the year
    day, weekend = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() >= 5:
            weekend.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    # then exactly the listed ones are working days
    expected = [w for w, _ in WORKING_WEEKEND_DAYS if w.year == year]
    assert [d for d in weekend if is_working_day(d)] == expected


@pytest.mark.django_db
def test_deadlines_count_a_working_saturday():
    # Fri 3 May 2019 + 1 is the working Saturday 4 May; Victory Day (Thu 9 May) and the day off
    # moved to Fri 10 May are skipped: 15 working days from 2 May 2019 end on 27 May
    assert add_working_days(date(2019, 5, 3), 1) == date(2019, 5, 4)
    assert add_working_days(date(2019, 5, 2), 15) == date(2019, 5, 27)
    # (Sun 28 Apr, Sun 5 May 2019]: Mon, Tue, Thu, Fri and the Saturday (Wed 1 May is a holiday)
    assert working_days_between(date(2019, 4, 28), date(2019, 5, 5)) == 5
    # a Sunday made working: Fri 3 Jan 2025 is off, Sun 5 Jan is worked, Mon 6 Jan too
    assert add_working_days(date(2025, 1, 2), 1) == date(2025, 1, 5)
    assert add_working_days(date(2025, 1, 2), 2) == date(2025, 1, 6)


@pytest.mark.django_db
def test_a_day_off_override_still_wins_over_a_working_saturday():
    # given the operator marks the working Saturday of 2024 as a day off after all
    CalendarOverride.objects.create(date=date(2024, 5, 4), kind=CalendarOverride.Kind.DAY_OFF)
    # then it is not counted
    assert is_working_day(date(2024, 5, 4)) is False
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 6)
