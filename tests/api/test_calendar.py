"""GET /api/v1/calendar/working-days."""

from __future__ import annotations

import pytest

from maslikhat.core.models import CalendarOverride

URL = "/api/v1/calendar/working-days"


def test_one_working_day_after_nauryz_eve(db, client):
    # given Friday 20 March 2026, then the weekend and Nauryz (21-23 March, 24-25 moved off)
    r = client.get(f"{URL}?start=2026-03-20&days=1")
    # then the next working day is Thursday 26 March
    assert r.status_code == 200
    assert r.json() == {"date": "2026-03-26", "start": "2026-03-20", "days": 1}


def test_zero_days_is_the_start_itself(db, client):
    assert client.get(f"{URL}?start=2026-03-21&days=0").json() == {
        "date": "2026-03-21",
        "start": "2026-03-21",
        "days": 0,
    }


def test_an_operators_override_counts(db, client):
    # given Monday 2 November 2026 declared a day off by the operator
    CalendarOverride.objects.create(date="2026-11-02", kind=CalendarOverride.Kind.DAY_OFF)
    # when one working day is added to Friday 30 October
    data = client.get(f"{URL}?start=2026-10-30&days=1").json()
    # then it is Tuesday 3 November
    assert data["date"] == "2026-11-03"


def test_the_largest_allowed_number_of_days(db, client):
    r = client.get(f"{URL}?start=2026-01-01&days=3660")
    assert r.status_code == 200
    assert r.json()["date"] > "2040-01-01"


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("start=2026-02-30&days=1", [("start", "date_from_datetime_parsing")]),
        ("start=2026-01-01&days=-1", [("days", "greater_than_equal")]),
        ("start=2026-01-01&days=3661", [("days", "less_than_equal")]),
        ("start=2026-01-01&days=999999999999999999999", [("days", "less_than_equal")]),
        ("start=2026-01-01&days=1.5", [("days", "int_parsing")]),
        ("start=2026-01-01&days=ten", [("days", "int_parsing")]),
        ("start=9999-12-31&days=1", [("start", "less_than_equal")]),
        ("start=0001-01-01&days=1", [("start", "greater_than_equal")]),
        ("days=1", [("start", "missing")]),
        ("start=2026-01-01", [("days", "missing")]),
    ],
)
def test_bad_input_is_422_naming_the_field(db, client, query, errors):
    r = client.get(f"{URL}?{query}")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error"
    assert [(e["field"], e["code"]) for e in body["errors"]] == errors


def test_absurd_days_message_names_the_limit(db, client, en):
    body = client.get(f"{URL}?start=2026-01-01&days=100000", **en).json()
    assert body["errors"] == [
        {
            "field": "days",
            "code": "less_than_equal",
            "message": "Ensure this value is less than or equal to 3660.",
        }
    ]


def test_working_days_runs_one_query(db, client, django_assert_num_queries):
    # the operator's overrides over the whole span, read once
    with django_assert_num_queries(1):
        assert client.get(f"{URL}?start=2026-01-01&days=250").status_code == 200
