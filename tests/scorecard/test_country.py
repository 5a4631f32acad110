"""The scorecard at the full country (load-reference: 20 regional and 208 district and city
maslikhats, the real boundaries): every maslikhat in the tables, the country drawn by district
and a region's districts, each a link to its maslikhat's page; the map stays light and the
queries do not grow with the number of bodies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.services import appeal_stats_rebuild
from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Area, Organization
from maslikhat.scorecard.map import district_outlines
from maslikhat.scorecard.selectors import district_map_areas, period_parse, scorecard_build
from tests.country import country  # noqa: F401  (the module-scoped fixture)
from tests.scorecard.world import DOMAIN_QUERIES, PG_EXTRA, make_appeal

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("country", "uncached")

DISTRICT_KINDS = (OrganizationKind.DISTRICT_MASLIKHAT, OrganizationKind.CITY_MASLIKHAT)
# A cheap phone on a slow line: the country map by district stays under this (bytes, unzipped).
COUNTRY_MAP_BUDGET = 260_000


@pytest.fixture
def appeals(db: None, settings: Any) -> Iterator[dict[str, Organization]]:
    """Answered appeals in 2025 at two district maslikhats of Almaty region (KZ-19), one fast and
    one slow, so the map has two classes. The tables are computed every time (the query-count
    pins measure the sources' own work; the kept values: test_kept.py)."""
    settings.SCORECARD_KEEP_VALUES = False
    cache.clear()
    bodies = list(
        Organization.objects.current()
        .filter(kind__in=DISTRICT_KINDS, area__parent__iso_code="KZ-19", area__boundary_web__isnull=False)
        .order_by("area__code")[:2]
    )
    assert len(bodies) == 2
    for body, days in zip(bodies, (3, 30), strict=True):
        for month in (2, 5, 8):
            make_appeal(
                body,
                registered_on=date(2025, month, 3),
                status=AppealStatus.ANSWERED,
                days=days,
                on_time=days <= 15,
            )
    appeal_stats_rebuild(actor=None)
    yield {"fast": bodies[0], "slow": bodies[1]}
    cache.clear()


def _svg(html: str) -> str:
    start = html.index('<svg class="map scorecard-map')
    return html[start : html.index("</svg>", start) + len("</svg>")]


def _district_bodies() -> int:
    return Organization.objects.current().filter(kind__in=DISTRICT_KINDS).count()


def test_tables_cover_all_228_maslikhats(db: None) -> None:
    # given the country; then the regional table has the 20 and the district table the 208
    period = period_parse("2025")
    regional = scorecard_build(period=period, level="regional")
    district = scorecard_build(period=period, level="district")
    assert len(regional.rows) == 20
    assert len(district.rows) == 208 == _district_bodies()
    ids = {r.body.id for r in regional.rows} | {r.body.id for r in district.rows}
    assert len(ids) == 228
    # and every district-level row knows its region
    assert all(re.fullmatch(r"KZ-\d+", r.body.region_code) for r in district.rows)


def test_district_map_areas_cover_the_country_once(db: None) -> None:
    # given the country; then every district-level maslikhat with a boundary is one piece, and
    # the three cities of republican significance (no district maslikhat) are drawn whole
    areas = district_map_areas()
    with_boundary = (
        Organization.objects.current()
        .filter(kind__in=DISTRICT_KINDS, area__boundary_web__isnull=False)
        .count()
    )
    districts = [a for a in areas if a.code != a.region_code]
    whole = sorted(a.code for a in areas if a.code == a.region_code)
    assert len(districts) == with_boundary >= 200
    assert whole == ["KZ-71", "KZ-75", "KZ-79"]  # Almaty, Astana, Shymkent
    assert len({a.body_id for a in areas}) == len(areas)


def test_country_map_by_district_links_every_maslikhat(appeals: dict[str, Organization], client: Any) -> None:
    # when the district level is shown for the whole country
    r = client.get("/en/scorecard/?period=2025&level=district&figure=appeals_answered_on_time_pct")
    assert r.status_code == 200
    html = r.content.decode()
    svg = _svg(html)
    # then every district-level maslikhat is a row, and each piece of the map a link to a page
    assert html.count('<th scope="row" class="sc-name">') == 208
    links = re.findall(r'<a href="/en/scorecard/body/(\d+)/\?period=2025" class="(q\d|qn)"', svg)
    assert len(links) == len(district_map_areas())
    linked = {int(pk) for pk, _css in links}
    bodies = set(
        Organization.objects.current()
        .filter(kind__in=DISTRICT_KINDS, area__boundary_web__isnull=False)
        .values_list("pk", flat=True)
    )
    assert bodies <= linked
    # and the fast and the slow district are in different classes, the others grey
    classes = {int(pk): css for pk, css in links}
    assert classes[appeals["fast"].pk] != classes[appeals["slow"].pk]
    assert classes[appeals["fast"].pk] != "qn"
    assert sum(1 for css in classes.values() if css != "qn") == 2
    # and the map is light: simplified geometry, under the budget
    assert len(svg.encode()) < COUNTRY_MAP_BUDGET


def test_region_page_draws_its_districts(appeals: dict[str, Organization], client: Any) -> None:
    # when Almaty region's page is shown
    r = client.get("/en/scorecard/region/KZ-19/?period=2025")
    assert r.status_code == 200
    html = r.content.decode()
    svg = _svg(html)
    region = Area.objects.get(code="KZ-19")
    expected = set(
        Organization.objects.current()
        .filter(kind__in=DISTRICT_KINDS, area__parent=region, area__boundary_web__isnull=False)
        .values_list("pk", flat=True)
    )
    # then each of its districts is one linked piece, and no other region's
    linked = {int(pk) for pk in re.findall(r'<a href="/en/scorecard/body/(\d+)/', svg)}
    assert linked == expected
    assert len(expected) >= 8
    assert html.count('<th scope="row" class="sc-name">') == _district_in(region)


def _district_in(region: Area) -> int:
    return Organization.objects.current().filter(kind__in=DISTRICT_KINDS, area__parent=region).count()


def test_region_map_is_more_detailed_than_the_country_map(db: None) -> None:
    # the country map is simplified further than a region's (both cached per boundaries version)
    cache.clear()
    region = Area.objects.get(code="KZ-19")
    country_map = {b.body_id: b.d for b in district_outlines().bodies}
    region_map = district_outlines(region=region)
    assert region_map is not None
    for piece in region_map.bodies:
        assert len(piece.d) > len(country_map[piece.body_id])


def test_scorecard_page_query_count_at_the_full_country(
    appeals: dict[str, Organization], client: Any, django_assert_num_queries: Any
) -> None:
    for url in (
        "/en/scorecard/?period=2025",
        "/en/scorecard/?period=2025&level=district",
        "/en/scorecard/region/KZ-19/?period=2025",
    ):
        client.get(url)  # warm the outlines and the histogram caches
    # regional: bodies, appeal sums, the kept overdue counts and the appeals that crossed their
    # due date since, the follow-up answers, proposals, reports, boundaries version (outlines
    # cached); every table below reads the appeals' three the same way
    with django_assert_num_queries(8 + DOMAIN_QUERIES + PG_EXTRA):
        assert client.get("/en/scorecard/?period=2025").status_code == 200
    # district, all 208: the same, and the list of regions for the form
    with django_assert_num_queries(9 + DOMAIN_QUERIES + PG_EXTRA):
        assert client.get("/en/scorecard/?period=2025&level=district").status_code == 200
    # a region: its area, its districts' table, the regional table, version, regions
    with django_assert_num_queries(17 + 2 * (DOMAIN_QUERIES + PG_EXTRA)):
        assert client.get("/en/scorecard/region/KZ-19/?period=2025").status_code == 200


def test_scorecard_api_query_count_at_the_full_country(
    appeals: dict[str, Organization], client: Any, django_assert_num_queries: Any
) -> None:
    client.get("/api/v1/scorecard?period=2025&level=district")  # warm the histogram caches
    # bodies, appeal sums, proposals, reports, the later domains' sources: the same at 208
    # bodies as at 2
    with django_assert_num_queries(7 + DOMAIN_QUERIES + PG_EXTRA):
        r = client.get("/api/v1/scorecard?period=2025&level=district")
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert len(rows) == 208
    by_id = {row["body_id"]: row for row in rows}
    assert by_id[appeals["fast"].pk]["figures"]["appeals_answered_on_time_pct"] == 100
    assert by_id[appeals["slow"].pk]["figures"]["appeals_answered_on_time_pct"] == 0
    with django_assert_num_queries(7 + DOMAIN_QUERIES + PG_EXTRA):
        assert len(client.get("/api/v1/scorecard?period=2025").json()["rows"]) == 20
