"""Synthetic demo data is said on every scorecard page and in every export; the period picker,
the rank without sorting, no change against a period without data, the labelled map."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.core.cache import cache

from maslikhat.core.exports import SYNTHETIC_HEADER, synthetic_notice
from maslikhat.core.synthetic import synthetic_data_present, synthetic_rows_present
from maslikhat.directory.models import Area
from maslikhat.scorecard.selectors import period_choices, period_parse, previous_has_data, scorecard_build
from tests.scorecard.world import World

PAGES = (
    "/en/scorecard/?period=2025",
    "/en/scorecard/region/{region}/?period=2025",
    "/en/scorecard/body/{body}/",
)
BANNER = 'class="notice synthetic-banner"'


def _mark_synthetic() -> None:
    Area.objects.filter(code="KZ-71").update(is_demo=True)
    cache.clear()


def _paths(world: World) -> list[str]:
    body = world.bodies[0]
    assert body.area is not None
    return [p.format(region=body.area.code, body=body.pk) for p in PAGES]


def test_real_data_carries_no_banner_and_plain_exports(scorecard_world: World, client: Any) -> None:
    assert synthetic_rows_present() is False
    for path in _paths(scorecard_world):
        assert BANNER not in client.get(path).content.decode()
    r = client.get("/en/scorecard/scorecard.csv?period=2025")
    assert SYNTHETIC_HEADER not in r
    first = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert first[:3] == ["area_code", "name", "period"]
    assert 'filename="scorecard-2025' in r["Content-Disposition"]


def test_synthetic_data_is_said_on_every_page_and_export(scorecard_world: World, client: Any) -> None:
    _mark_synthetic()
    assert synthetic_data_present() is True
    for path in _paths(scorecard_world):
        assert BANNER in client.get(path).content.decode(), path
    # CSV (page and API): the banner is the first row, the file name and a header say so
    for path in ("/en/scorecard/scorecard.csv?period=2025", "/api/v1/scorecard.csv?period=2025"):
        r = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][0].startswith("SYNTHETIC DEMO DATA"), path
        assert rows[1][:3] == ["area_code", "name", "period"]
        assert r[SYNTHETIC_HEADER] == "demo"
        assert 'filename="synthetic-demo-scorecard-2025' in r["Content-Disposition"]
    # XLSX: a banner row on every sheet and the notice in the workbook's properties
    from openpyxl import load_workbook

    r = client.get("/en/scorecard/scorecard.xlsx?period=2025")
    wb = load_workbook(io.BytesIO(r.content))
    for ws in wb.worksheets:
        assert str(ws["A1"].value).startswith("SYNTHETIC DEMO DATA"), ws.title
    assert wb.properties.keywords == "synthetic demo data"
    assert wb["scorecard"]["A2"].value == "Area code" and wb["scorecard"]["A3"].value == "area_code"
    assert r[SYNTHETIC_HEADER] == "demo"
    # PDF: the metadata says so, and so does the file name
    r = client.get("/en/scorecard/briefing.pdf?period=2025")
    assert r[SYNTHETIC_HEADER] == "demo"
    assert "synthetic-demo-" in r["Content-Disposition"]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(r.content))
    assert reader.metadata is not None and reader.metadata.get("/Keywords") == "synthetic demo data"
    assert all("SYNTHETIC DEMO DATA" in page.extract_text() for page in reader.pages)
    # the API's JSON
    data = client.get("/api/v1/scorecard?period=2025", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["synthetic"] is True and data["notice"] == synthetic_notice()


def test_the_notice_is_translated(reference: dict[str, int]) -> None:
    from django.utils import translation

    texts = set()
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            texts.add(synthetic_notice())
    assert len(texts) == 3


def test_the_picker_offers_years_quarters_and_months_up_to_today() -> None:
    from datetime import date

    groups = period_choices(today=date(2026, 5, 10))
    assert [g[0].code for g in groups] == ["2026", "2025", "2024", "2023", "2022"]
    assert [c.code for c in groups[0]] == [
        "2026",
        "2026-Q1",
        "2026-Q2",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    assert len(groups[1]) == 1 + 4 + 12
    older = period_choices(selected=period_parse("2015-Q3"), today=date(2026, 5, 10))
    assert older[-1][0].code == "2015"


def test_the_page_picks_the_period_from_a_list(scorecard_world: World, client: Any) -> None:
    html = client.get("/en/scorecard/?period=2025-Q2").content.decode()
    assert '<select name="period">' in html
    assert '<option value="2025-Q2" selected>' in html
    assert '<input type="text" name="period"' not in html  # no free-text box


def test_the_rank_is_shown_without_sorting(scorecard_world: World, client: Any) -> None:
    html = client.get("/en/scorecard/?period=2025").content.decode()
    ranks = re.findall(r'<td class="num sc-rank"[^>]*>(\d+|—)</td>', html)
    assert len(ranks) == 20 and any(r != "—" for r in ranks)
    assert "ranked by" in html


def test_no_change_against_a_period_without_data(scorecard_world: World, client: Any) -> None:
    # the world's data is of 2024-2025: 2020 has nothing to compare 2021 with, 2024 has for 2025
    assert previous_has_data(scorecard_build(period=period_parse("2025"))) is True
    assert previous_has_data(scorecard_build(period=period_parse("2021"))) is False
    html = client.get("/en/scorecard/?period=2021").content.decode()
    assert 'class="sc-change"' not in html
    assert "has no data to compare with" in html
    assert 'class="sc-change"' in client.get("/en/scorecard/?period=2025").content.decode()
    data = client.get("/api/v1/scorecard?period=2021").json()
    assert all(v is None for row in data["rows"] for v in row["change"].values())


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_map_labels_its_regions_and_marks_the_three_cities(
    scorecard_world: World, client: Any, language: str
) -> None:
    html = client.get(f"/{language}/scorecard/?period=2025").content.decode()
    svg = html[html.index('<svg class="map scorecard-map"') :]
    svg = svg[: svg.index("</svg>")]
    labels = re.findall(r'<text class="map-label[^"]*"', svg)
    markers = [
        m.group(1)
        for chunk in svg.split("</a>")
        if 'class="city-marker"' in chunk and (m := re.search(r'data-key="(KZ-\d+)"', chunk))
    ]
    assert len(labels) == 20
    assert sorted(set(markers)) == ["KZ-71", "KZ-75", "KZ-79"]
    astana = Area.objects.get(code="KZ-71")
    assert getattr(astana, f"name_{language}").removeprefix("город ") in svg
