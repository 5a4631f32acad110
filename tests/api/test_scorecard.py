"""Scorecard API: the table as JSON and CSV, the definitions, and the errors."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from maslikhat.scorecard.selectors import FIGURES, period_parse, scorecard_build
from tests.scorecard.world import DOMAIN_QUERIES, PG_EXTRA, World, direct

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")

KEYS = [f.key for f in FIGURES]


def test_scorecard_rows_carry_code_name_and_figures_under_stable_keys(
    scorecard_world: World, client: Any
) -> None:
    # given varied data; when the regional scorecard of 2025 is asked for
    r = client.get("/api/v1/scorecard?period=2025")
    # then one row per regional maslikhat, each figure equal to the direct computation
    assert r.status_code == 200
    data = r.json()
    assert data["period"] == {"code": "2025", "kind": "year", "start": "2025-01-01", "end": "2026-01-01"}
    assert data["previous_period"]["code"] == "2024"
    assert data["level"] == "regional"
    assert data["region"] is None
    assert data["figures"] == KEYS
    assert len(data["rows"]) == 20
    row = next(x for x in data["rows"] if x["code"] == "KZ-71")
    body = scorecard_world.bodies[0]
    assert row["body_id"] == body.pk
    assert row["name"] == body.name_kk  # the default language is Kazakh
    assert row["kind"] == "regional_maslikhat"
    period = period_parse("2025")
    from datetime import date

    expected = direct(body, period.start, period.end, today=date.today())  # noqa: DTZ011
    assert row["figures"] == expected
    assert set(row["ranks"]) == set(KEYS)
    assert set(row["change"]) == set(KEYS)
    assert row["change"]["appeals_overdue_now"] is None


def test_district_level_and_region(scorecard_world: World, client: Any) -> None:
    r = client.get("/api/v1/scorecard?period=2025-Q2&level=district&region=KZ-11")
    assert r.status_code == 200
    data = r.json()
    assert data["level"] == "district"
    assert data["region"] == "KZ-11"
    assert [x["code"] for x in data["rows"]] == ["KZ-11-D1", "KZ-11-D2"]
    assert data["rows"][1]["figures"]["appeals_per_10k"] is None


def test_month_period(scorecard_world: World, client: Any) -> None:
    r = client.get("/api/v1/scorecard?period=2025-03")
    assert r.status_code == 200
    assert r.json()["previous_period"]["code"] == "2025-02"


@pytest.mark.parametrize(
    ("query", "field_code"),
    [
        ("period=2025-13", "invalid_period"),
        ("period=hello", "invalid_period"),
        ("period=1900", "period_out_of_range"),
    ],
)
def test_bad_period_is_a_translated_422_with_a_stable_code(
    reference: dict[str, int], client: Any, en: dict[str, str], query: str, field_code: str
) -> None:
    r = client.get(f"/api/v1/scorecard?{query}", **en)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "period"
    assert body["errors"][0]["code"] == field_code
    assert body["errors"][0]["message"].startswith("The ")


def test_bad_level_is_a_422(reference: dict[str, int], client: Any) -> None:
    r = client.get("/api/v1/scorecard?level=national")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "level"


def test_unknown_region_is_a_404(reference: dict[str, int], client: Any) -> None:
    r = client.get("/api/v1/scorecard?level=district&region=KZ-00")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_csv_has_a_bom_stable_keys_and_the_same_values(scorecard_world: World, client: Any) -> None:
    # when the CSV of the same table is asked for
    r = client.get("/api/v1/scorecard.csv?period=2025")
    # then it is UTF-8 with a BOM, a header of stable keys and the JSON's values
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["area_code", "name", "period", *KEYS]
    assert len(rows) == 21
    table = scorecard_build(period=period_parse("2025"))
    kz71 = next(x for x in rows if x[0] == "KZ-71")
    expected = next(x for x in table.rows if x.body.area_code == "KZ-71")
    assert kz71[2] == "2025"
    assert kz71[3:] == ["" if expected.values[k] is None else str(expected.values[k]) for k in KEYS]


def test_csv_refuses_a_bad_period_like_the_json(reference: dict[str, int], client: Any) -> None:
    r = client.get("/api/v1/scorecard.csv?period=2025-Q9")
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "invalid_period"


def test_definitions_list_every_figure_with_its_written_definition(client: Any, en: dict[str, str]) -> None:
    r = client.get("/api/v1/scorecard/definitions", **en)
    assert r.status_code == 200
    data = r.json()
    assert [d["key"] for d in data] == KEYS
    on_time = next(d for d in data if d["key"] == "appeals_answered_on_time_pct")
    assert on_time["label"] == "Answered on time"
    assert on_time["unit"] == "pct"
    assert on_time["higher_is_better"] is True
    assert on_time["periodic"] is True
    assert all(d["definition"] for d in data)


def test_scorecard_endpoint_query_count(
    scorecard_world: World, client: Any, django_assert_num_queries: Any
) -> None:
    # the table in a fixed number of queries: bodies, appeal sums, the answer-days histograms,
    # the kept overdue counts and the appeals that crossed their due date since, the follow-up
    # answers, proposals, reports, whether the data is synthetic, and the later domains' sources
    with django_assert_num_queries(9 + DOMAIN_QUERIES + PG_EXTRA):
        r = client.get("/api/v1/scorecard?period=2025")
    assert r.status_code == 200
    # warm (the histograms cached, the synthetic-data answer too)
    with django_assert_num_queries(7 + DOMAIN_QUERIES + PG_EXTRA):
        assert client.get("/api/v1/scorecard?period=2025").json() == r.json()


def test_routes_are_in_the_openapi_schema(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/scorecard", "/api/v1/scorecard.csv", "/api/v1/scorecard/definitions"} <= set(paths)
