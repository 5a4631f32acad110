"""Scorecard pages (table, map, drill-down, trends) and exports (CSV, XLSX, PDF)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from maslikhat.scorecard.selectors import FIGURES, period_parse, scorecard_build
from tests.scorecard.world import DOMAIN_QUERIES, PG_EXTRA, World

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")


def test_index_shows_every_regional_maslikhat_with_definitions(scorecard_world: World, client: Any) -> None:
    r = client.get("/en/scorecard/?period=2025")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('<th scope="row" class="sc-name">') == 20
    for f in FIGURES:
        assert f'<dt id="def-{f.key}">' in html
        assert str(f.definition).replace("'", "&#x27;") in html
    assert 'href="/static/scorecard/scorecard.css"' in html or "scorecard/scorecard.css" in html
    assert 'class="scorecard-scroll"' in html


def test_index_sorts_by_a_figure_best_first(scorecard_world: World, client: Any) -> None:
    # when sorted by the median days to answer, ascending (lower is better)
    r = client.get("/en/scorecard/?period=2025&sort=appeals_median_answer_days")
    html = r.content.decode()
    table = scorecard_build(period=period_parse("2025"))
    expected = [x.body.name for x in table.sorted_rows("appeals_median_answer_days")]
    row_name = r'<th scope="row" class="sc-name"><a href="/en/scorecard/body/\d+/\?period=2025">([^<]+)</a>'
    names = re.findall(row_name, html)
    assert names == expected
    assert 'aria-sort="ascending"' in html


def test_bad_period_shows_a_message_and_the_current_year(reference: dict[str, int], client: Any) -> None:
    r = client.get("/en/scorecard/?period=2025-13")
    assert r.status_code == 200
    assert 'class="notice error" role="alert"' in r.content.decode()


def test_map_has_one_linked_region_path_per_region(scorecard_world: World, client: Any) -> None:
    r = client.get("/en/scorecard/?period=2025&figure=appeals_received")
    html = r.content.decode()
    svg = html[
        html.index('<svg class="map scorecard-map"') : html.index("</svg>", html.index("scorecard-map"))
    ]
    assert svg.count("<path ") == 20
    assert svg.count('<a href="/en/scorecard/region/KZ-') == 20
    assert svg.count("<title>") == 21  # the map's and one per region
    assert 'class="scorecard-legend"' in html


def test_index_query_count(scorecard_world: World, client: Any, django_assert_num_queries: Any) -> None:
    client.get("/en/scorecard/?period=2025")  # warm the outline and histogram caches
    # bodies, appeal sums, the kept overdue counts and the appeals that crossed their due date
    # since, the follow-up answers, proposals, reports, the later domains' sources, boundaries
    # version (the map outlines and the synthetic-data answer are cached)
    with django_assert_num_queries(8 + DOMAIN_QUERIES + PG_EXTRA):
        r = client.get("/en/scorecard/?period=2025")
    assert r.status_code == 200


def test_region_page_lists_its_district_maslikhats(scorecard_world: World, client: Any) -> None:
    r = client.get("/en/scorecard/region/KZ-11/?period=2025")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('<th scope="row" class="sc-name">') == 2
    assert client.get("/en/scorecard/region/KZ-00/").status_code == 404


def test_body_page_has_trend_charts(scorecard_world: World, client: Any) -> None:
    r = client.get(f"/en/scorecard/body/{scorecard_world.bodies[0].pk}/?period=2025")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('<svg class="trend"') == 5
    assert client.get("/en/scorecard/body/999999/").status_code == 404


def test_csv_export(scorecard_world: World, client: Any) -> None:
    r = client.get("/en/scorecard/scorecard.csv?period=2025-Q3")
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")
    header = r.content.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(["area_code", "name", "period", *(f.key for f in FIGURES)])


def test_xlsx_export_cells(scorecard_world: World, client: Any) -> None:
    from openpyxl import load_workbook

    r = client.get("/en/scorecard/scorecard.xlsx?period=2025")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["scorecard"]
    keys = [c.value for c in ws[2]]
    assert keys[:3] == ["area_code", "name", "appeals_received"]
    assert ws.max_row == 22
    table = scorecard_build(period=period_parse("2025"))
    row = next(x for x in table.rows if x.body.area_code == "KZ-71")
    line = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "KZ-71")
    for i, key in enumerate(keys[2 : 2 + len(FIGURES)], start=2):
        assert line[i] == row.values[key], key
    assert [c.value for c in wb["definitions"]["A"]][1:] == [f.key for f in FIGURES]


def test_pdf_briefing(scorecard_world: World, client: Any) -> None:
    r = client.get("/en/scorecard/briefing.pdf?period=2025")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert len(r.content) > 20_000
    assert b"/FontFile2" in r.content  # the embedded DejaVu font


def test_pdf_draws_kazakh_text(scorecard_world: World, client: Any) -> None:
    from maslikhat.scorecard.exports import pdf_bytes

    table = scorecard_build(period=period_parse("2025"))
    data = pdf_bytes(table)
    assert data.startswith(b"%PDF")
    assert b"DejaVu" in data
