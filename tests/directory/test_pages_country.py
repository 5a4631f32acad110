"""The directory's pages on the real country: choose your settlement on the find page (the same
search as the API), region pages with their district and city maslikhats, a district
maslikhat's page with its territory map, okrugs and settlements, pending boundaries and review
flags for operators; query counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from maslikhat.directory.models import Area, Organization
from maslikhat.directory.selectors import area_search
from tests.country import country  # noqa: F401  (the module-scoped fixture)
from tests.factories import UserFactory

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("country", "uncached")

ZHANAKORGAN = "434000000"
SHIELI = "435200000"
AKKUIK_BIRLIK = "434035100"  # с.Бирлик in Аккуикский с.о., Zhanakorgan district
SAURAN = "615500000"  # no boundary of its own yet: drawn inside the city of Turkestan


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _maslikhat(code: str) -> Organization:
    return Organization.objects.get(slug=f"{code}-maslikhat")


def _hits(html: str) -> list[tuple[str, str, str]]:
    """(link, name, where) of each hit of "choose your settlement"."""
    return re.findall(
        r'<a class="choice" href="([^"]+)"><span class="choice-name">([^<]+)</span>.*?'
        r'<span class="choice-where">([^<]*)</span>',
        html,
    )


# ------------------------------------------------------------------ choose your settlement


def test_choose_settlement_tells_the_birliks_apart_by_okrug_district_and_region(client, db):
    # given the whole country; when a villager types the village's name in Russian lowercase
    html = _html(client.get("/ru/find/?q=бирлик"))
    # then the hits are the API's search, each with its okrug, district and region
    api = area_search(q="бирлик", kind=None, limit=1000)
    assert f"{api.count} " in html  # every kind the find page offers is a kind the API has
    hits = _hits(html)
    assert len(hits) == 20  # one page
    assert len({(name, where) for _, name, where in hits}) == len(hits)  # no two look alike
    # and a region narrows the list to its four villages and an okrug called Birlik
    html = _html(client.get("/ru/find/?q=бирлик&region=KZ-43"))
    hits = _hits(html)
    assert [where.split(", ")[-1] for _, _, where in hits] == ["Кызылординская область"] * len(hits)
    birlik = Area.objects.get(code=AKKUIK_BIRLIK)
    body = _maslikhat(ZHANAKORGAN)
    # and choosing the one in Akkuik rural okrug leads to Zhanakorgan district's maslikhat
    assert (
        f"/ru/bodies/{body.pk}/",
        birlik.name_ru,
        "Аккуикский с.о., Жанакорганский район, Кызылординская область",
    ) in hits
    assert f'<span class="choice-body">→ {body.name_ru}</span>' in html
    assert '<option value="KZ-43" selected>' in html


def test_choose_settlement_in_kazakh_letters_and_one_letter_off(client, db):
    # "Бірлік" folds onto "бирлик"; "бирлк" is one letter off: both find the village in Akkuik
    body = _maslikhat(ZHANAKORGAN)
    for q in ("Бірлік", "бирлк"):
        hits = _hits(_html(client.get(f"/kk/find/?q={q}&region=KZ-43")))
        assert (f"/kk/bodies/{body.pk}/", "с.Бирлик") in [(link, name) for link, name, _ in hits], q


def test_choose_settlement_pages_through_many_hits(client, db):
    first = _html(client.get("/ru/find/?q=бирлик"))
    assert 'rel="next" href="?q=%D0%B1%D0%B8%D1%80%D0%BB%D0%B8%D0%BA&amp;offset=20"' in first
    second = _html(client.get("/ru/find/?q=бирлик&offset=20"))
    assert not set(_hits(first)) & set(_hits(second))
    assert 'rel="prev"' in second
    # a bad offset or an unknown region is ignored, not an error
    assert _hits(_html(client.get("/ru/find/?q=бирлик&offset=-5&region=XX"))) == _hits(first)


def test_choose_settlement_answers_the_list_alone_for_the_script(client, db):
    html = _html(client.get("/ru/find/?q=шиели&partial=choices"))
    assert html.startswith('<div id="choices"') and "<html" not in html
    assert _hits(html)[0][1] == "Чиилийский район"


def test_find_page_without_script_has_a_plain_get_form(client, db):
    html = _html(client.get("/en/find/"))
    form = html[html.index('<form method="get" action="/en/find/" class="panel choose"') :]
    form = form[: form.index("</form>")]
    assert '<input type="search" name="q"' in form and '<select name="region"' in form
    assert '<button type="submit" class="button">Search</button>' in form
    assert "directory/choose.js" in html


# ------------------------------------------------------------------ region and maslikhat pages


def test_region_page_lists_its_district_and_city_maslikhats(client, db):
    html = _html(client.get("/ru/areas/KZ-43/"))
    bodies = Organization.objects.filter(
        parent__slug="kz-43-maslikhat", kind__in=["district_maslikhat", "city_maslikhat"]
    )
    assert bodies.count() == 8
    for b in bodies:
        assert f'<a href="/ru/bodies/{b.pk}/">{b.name_ru}</a>' in html
    # and its map draws the districts, each a link, with the boundaries' credit
    assert f'<a href="/ru/areas/{SHIELI}/" class="child" data-key="{SHIELI}">' in html
    assert "OCHA / HDX COD-AB; районы: geokz (А. Родионов), CC BY 4.0." in html


@pytest.mark.parametrize("code", [ZHANAKORGAN, SHIELI])
def test_district_maslikhat_page_shows_its_territory_okrugs_and_settlements(client, db, code):
    # given a real district maslikhat in Kyzylorda region
    body = _maslikhat(code)
    district = body.area
    okrugs = list(Area.objects.filter(parent=district, kind__in=["rural_okrug", "town"]))
    assert len(okrugs) > 5
    # when its page is opened
    html = _html(client.get(f"/ru/bodies/{body.pk}/"))
    # then its territory is an inline SVG with a path, and the data's credit line is there
    svg = html[html.index('<div class="map-box small-map territory-map"><svg') :]
    svg = svg[: svg.index("</svg>")]
    assert f'aria-label="{district.name_ru}"' in svg
    assert re.search(r'<path class="outline" d="M[\d.]+,[\d.]+l[^"]{200,}z', svg)
    assert "OCHA / HDX COD-AB; районы: geokz (А. Родионов), CC BY 4.0." in html
    # and every rural okrug is listed with its settlements
    assert f"{len(okrugs)} " in html
    for okrug in okrugs:
        assert f'<summary><a href="/ru/areas/{okrug.code}/">{okrug.name_ru}</a>' in html
        for settlement in Area.objects.filter(parent=okrug, kind="settlement"):
            assert f'<li><a href="/ru/areas/{settlement.code}/">{settlement.name_ru}</a>' in html
    assert "Boundary pending." not in html


def test_zhanakorgan_lists_akkuik_okrug_with_its_birlik(client, db):
    html = _html(client.get(f"/en/bodies/{_maslikhat(ZHANAKORGAN).pk}/"))
    okrug = html[html.index('<a href="/en/areas/434035000/">') :]
    okrug = okrug[: okrug.index("</details>")]
    assert f'<li><a href="/en/areas/{AKKUIK_BIRLIK}/">с.Бирлик</a></li>' in okrug
    # a long territory starts collapsed: a phone scrolls past 26 okrugs, not 65 lines
    assert '<details class="okrug">' in html and '<details class="okrug" open>' not in html


def test_district_area_page_lists_okrugs_grouped_too(client, db):
    html = _html(client.get(f"/ru/areas/{SHIELI}/"))
    assert 'id="territory-title"' in html
    assert "<h2>Районы и города в составе</h2>" not in html  # not the flat list of areas within
    assert 'class="outline"' in html


def test_a_unit_without_its_own_boundary_says_it_is_pending(client, db):
    # given Sauran district, still drawn inside the city of Turkestan
    sauran = Area.objects.get(code=SAURAN)
    assert sauran.boundary_pending and sauran.boundary_web is None
    for url in (f"/en/bodies/{_maslikhat(SAURAN).pk}/", f"/en/areas/{SAURAN}/"):
        html = _html(client.get(url))
        # then the page says so, names the unit it is drawn in and draws no map of its own
        assert "<strong>Boundary pending.</strong>" in html
        assert f"its territory is still drawn inside {sauran.boundary_within.name_en}" in html
        assert f'<a href="/en/areas/{sauran.boundary_within.code}/">' in html
        assert "territory-map" not in html
        # and review flags are not shown to the public
        assert "For operators: to review" not in html


def test_operators_see_the_review_flags(client, db):
    sauran = Area.objects.get(code=SAURAN)
    assert sauran.needs_review and sauran.review_note
    client.force_login(UserFactory(username="operator-g", is_staff=True, is_superuser=True))
    html = _html(client.get(f"/en/bodies/{_maslikhat(SAURAN).pk}/"))
    assert "For operators: to review" in html
    assert f'<a href="/en/areas/{SAURAN}/">{sauran.name_en}</a>: {sauran.review_note}' in html.replace(
        "&#x27;", "'"
    )
    # a district the source vouches for has nothing to review
    shieli = _html(client.get(f"/en/bodies/{_maslikhat(SHIELI).pk}/"))
    assert "For operators: to review" not in shieli


# ------------------------------------------------------------------ query counts


COUNTRY_PAGES = [
    ("find", "/ru/find/", 2),  # the map version, the regions
    ("find-settlement", "/ru/find/?q=бирлик", 5),  # + candidates' keys, the page, their maslikhats
    ("find-settlement-region", "/ru/find/?q=бирлик&region=KZ-43", 5),
    # area, maslikhats, okrugs and settlements, map version (constituencies, outline), news,
    # + initiatives and budgets (participation), meetings with the population (deputies)
    ("region", "/ru/areas/KZ-43/", 10),
    ("district-area", f"/ru/areas/{SHIELI}/", 10),
    # the body itself: its sections (drafts open for comment, initiatives and budgets...), maps
    # and territory are kept fragments since the first request (core/pagecache.py)
    ("district-body", f"/ru/bodies/{{body}}/?{SHIELI}", 1),
    ("pending-body", f"/ru/bodies/{{body}}/?{SAURAN}", 1),
]


@pytest.mark.parametrize(("name", "url", "queries"), COUNTRY_PAGES, ids=[p[0] for p in COUNTRY_PAGES])
def test_query_counts_of_the_country_pages(db, django_assert_num_queries, name, url, queries):
    if "{body}" in url:
        url = url.format(body=_maslikhat(url.rsplit("?", 1)[1]).pk)
    client = Client()
    assert client.get(url).status_code == 200  # the maps are cached
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
