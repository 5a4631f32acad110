"""The directory's public pages (find my deputies, areas, the maslikhats, a body, a person) in kk,
ru and en: find with its errors, 404s, demo badges, constant query counts, and the sections the
other apps add to them through maslikhat.core.sections. The layout's language switch and the
home page are tested in tests/web/test_pages.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from maslikhat.directory.choices import ElectionMethod, PostRole
from maslikhat.directory.lookup import reset_index
from maslikhat.directory.models import Area, Organization
from maslikhat.directory.services import boundaries_changed
from tests.factories import AreaFactory, MembershipFactory, OrganizationFactory, PersonFactory, PostFactory

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")

LANGUAGES = ("kk", "ru", "en")
ASTANA_POINT = "lat=51.128&lon=71.43"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Maps and the demo flag are cached across requests: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def _html(response: Any) -> str:
    return response.content.decode()


def _pages(astana: dict[str, Any]) -> dict[str, str]:
    return {
        "find": "/{lang}/find/",
        "find-result": f"/{{lang}}/find/?{ASTANA_POINT}",
        "bodies": "/{lang}/bodies/",
        "region": "/{lang}/areas/KZ-71/",
        "constituency": "/{lang}/areas/KZ-71-T01/",
        "body": f"/{{lang}}/bodies/{astana['maslikhat'].pk}/",
        "person": f"/{{lang}}/people/{astana['deputy'].pk}/",
    }


def test_region_page_shows_facts_maslikhat_and_constituency_map(astana, client):
    region, maslikhat = astana["region"], astana["maslikhat"]
    for lang in LANGUAGES:
        html = _html(client.get(f"/{lang}/areas/KZ-71/"))
        assert f"<h1>{getattr(region, f'name_{lang}')}" in html
        assert f"<dd>{getattr(region, f'centre_{lang}')}</dd>" in html
        with translation.override(lang):
            assert f"<dd>{intcomma(region.population)}</dd>" in html
        assert f'<a href="/{lang}/bodies/{maslikhat.pk}/">{getattr(maslikhat, f"name_{lang}")}</a>' in html
        assert f'<a href="/{lang}/areas/KZ-71-T01/" class="constituency c1" data-key="KZ-71-T01">' in html
        assert 'class="outline"' in html
        assert "OCHA / HDX COD-AB" in html


def test_constituency_page_shows_its_deputy(astana, client):
    deputy = astana["deputy"]
    html = _html(client.get("/ru/areas/KZ-71-T01/"))
    assert "<h1>Избирательный округ №1" in html
    assert f'<a class="person-name" href="/ru/people/{deputy.pk}/">Айгерим Тестова</a>' in html
    # highlighted on the maslikhat's map (site.css), without an inline style
    assert 'data-key="KZ-71-T01" aria-current="location">' in html
    assert "<style" not in html


def test_region_without_constituencies_shows_its_outline_and_districts(reference, client):
    # given a district with a boundary inside the Almaty region and no constituency anywhere
    region = Area.objects.get(code="KZ-19")
    AreaFactory(
        code="KZ-19-TEST",
        parent=region,
        name_en="Test District",
        boundary_web={"type": "Polygon", "coordinates": [[[77, 43], [78, 43], [78, 44], [77, 43]]]},
    )
    # when the region page is opened
    html = _html(client.get("/en/areas/KZ-19/"))
    # then the map is the region's outline with the district on it, and the district is listed
    assert 'class="outline"' in html
    assert (
        '<a href="/en/areas/KZ-19-TEST/" class="child" data-key="KZ-19-TEST"><title>Test District</title>'
        in html
    )
    assert '<a href="/en/areas/KZ-19-TEST/">Test District</a>' in html


def test_body_page_lists_chair_and_deputies_by_constituency(astana, client):
    maslikhat, deputy, chair = astana["maslikhat"], astana["deputy"], astana["chair"]
    for lang in LANGUAGES:
        html = _html(client.get(f"/{lang}/bodies/{maslikhat.pk}/"))
        assert f"<h1>{getattr(maslikhat, f'name_{lang}')}" in html
        name_of = {p.pk: getattr(p, f"name_{lang}") for p in (deputy, chair)}
        assert f'<a class="person-name" href="/{lang}/people/{chair.pk}/">{name_of[chair.pk]}</a>' in html
        assert f'<td class="num">1</td><td><a href="/{lang}/areas/KZ-71-T01/">' in html
        assert f'<a href="/{lang}/people/{deputy.pk}/">{name_of[deputy.pk]}</a>' in html
        assert f'<a href="/{lang}/bodies/{astana["apparatus"].pk}/">' in html  # the apparatus
        assert 'class="constituency c1"' in html


def test_body_page_groups_party_list_deputies_by_party(astana, client):
    maslikhat = astana["maslikhat"]
    party = OrganizationFactory(kind="party", name_en="Test Party")
    for name in ("Listed One", "Listed Two"):
        post = PostFactory(organization=maslikhat, role=PostRole.PARTY_LIST_DEPUTY, label_en="List seat")
        MembershipFactory(
            person=PersonFactory(name_en=name),
            organization=maslikhat,
            post=post,
            role=PostRole.PARTY_LIST_DEPUTY,
            on_behalf_of=party,
            election_method=ElectionMethod.PARTY_LIST,
        )
    html = _html(client.get(f"/en/bodies/{maslikhat.pk}/"))
    assert '<h3>Test Party <span class="muted">(2)</span></h3>' in html
    section = html[html.index("<h3>Test Party") :]
    assert section.index("Listed One") < section.index("Listed Two")


def test_person_page_shows_names_and_memberships(astana, client):
    deputy, maslikhat = astana["deputy"], astana["maslikhat"]
    for lang in LANGUAGES:
        html = _html(client.get(f"/{lang}/people/{deputy.pk}/"))
        assert f"<h1>{getattr(deputy, f'name_{lang}')}" in html
        for other in LANGUAGES:
            if other != lang:
                assert f'<span lang="{other}">{getattr(deputy, f"name_{other}")}</span>' in html
        assert f'<a href="/{lang}/bodies/{maslikhat.pk}/">{getattr(maslikhat, f"name_{lang}")}</a>' in html
        assert 'class="badge current"' in html


def test_person_page_marks_past_memberships(astana, client):
    deputy = astana["deputy"]
    from datetime import date

    MembershipFactory(person=deputy, start_date=date(2016, 3, 20), end_date=date(2021, 1, 10))
    html = _html(client.get(f"/en/people/{deputy.pk}/"))
    assert html.count('<tr class="past">') == 1
    assert html.count('class="badge past"') == 1
    assert html.count('class="badge current"') == 1


def test_bodies_page_lists_regional_then_district_maslikhats_by_region(astana, client):
    regional = astana["maslikhat"]
    district = OrganizationFactory.create(
        name_en="Test District Maslikhat", parent=regional, area=astana["region"], is_demo=True
    )
    html = _html(client.get("/en/bodies/"))
    assert html.index("Astana City Maslikhat") < html.index("Test District Maslikhat")
    assert '<h3><a href="/en/areas/KZ-71/">Astana</a></h3>' in html
    assert f'<a href="/en/bodies/{district.pk}/">Test District Maslikhat</a> <span class="badge demo"' in html


def test_find_in_astana_links_deputy_then_chair_and_the_bodies(astana, client):
    # given the Astana fixture, when a point in Astana is looked up in Russian
    response = client.get(f"/ru/find/?{ASTANA_POINT}")
    # then the deputy comes first, linked to her page, then the chair; the bodies are linked
    assert response.status_code == 200
    html = _html(response)
    deputy, chair, maslikhat = astana["deputy"], astana["chair"], astana["maslikhat"]
    assert f'<a class="person-name" href="/ru/people/{deputy.pk}/">Айгерим Тестова</a>' in html
    assert f'<a class="person-name" href="/ru/people/{chair.pk}/">Серик Чаиров</a>' in html
    assert html.index("Айгерим Тестова") < html.index("Серик Чаиров")
    assert f'<a href="/ru/bodies/{maslikhat.pk}/">Маслихат города Астаны</a>' in html
    assert '<a href="/ru/areas/KZ-71-T01/">Избирательный округ №1</a>' in html
    assert 'class="marker"' in html
    assert 'name="lat" id="lat" inputmode="decimal" value="51.128"' in html


BAD_COORDINATES = "Введите широту от -90 до 90 и долготу от -180 до 180."
OUTSIDE = "Эта точка находится за пределами территории, охваченной справочником."


def test_find_errors_are_translated_messages_not_500(astana, client):
    cases = [
        ("lat=abc&lon=71.43", 400, BAD_COORDINATES),
        ("lat=95&lon=71.43", 400, BAD_COORDINATES),
        ("lat=51.1&lon=-181", 400, BAD_COORDINATES),
        ("lat=nan&lon=inf", 400, BAD_COORDINATES),
        ("lat=51.128", 400, BAD_COORDINATES),
        ("lat=48.8566&lon=2.3522", 200, OUTSIDE),  # Paris
    ]
    for query, status, message in cases:
        response = client.get(f"/ru/find/?{query}")
        assert (query, response.status_code) == (query, status)
        html = _html(response)
        assert f'<div class="notice error" role="alert">{message}</div>' in html
        assert "Айгерим Тестова" not in html
        assert 'class="result"' not in html


def test_find_error_in_english(astana, client):
    html = _html(client.get("/en/find/?lat=48.8566&lon=2.3522"))
    assert "This point is outside the territory the directory covers." in html


def test_find_by_settlement_lists_matching_areas(astana, client):
    html = _html(client.get("/ru/find/?q=Астан"))
    # the city leads to its maslikhat's page
    body = Organization.objects.get(slug="kz-71-maslikhat")
    assert (
        f'<a class="choice" href="/ru/bodies/{body.pk}/"><span class="choice-name">город Астана</span>'
        in html
    )
    empty = _html(client.get("/en/find/?q=Zzyzx"))
    assert "Nothing found. Try another spelling, in Kazakh, Russian or English." in empty
    assert 'class="plain choices"' not in empty


def test_unknown_ids_and_codes_are_404(reference, client):
    assert client.get("/en/bodies/999999/").status_code == 404
    assert client.get("/en/people/999999/").status_code == 404
    assert client.get("/en/areas/XX-00/").status_code == 404
    assert client.get("/ru/bodies/abc/").status_code == 404


def test_demo_records_carry_the_badge_and_the_footer_note(astana, client):
    # given a synthetic person, body and area
    person = PersonFactory.create(name_en="Demo Person", is_demo=True)
    body = OrganizationFactory.create(name_en="Demo Maslikhat", is_demo=True)
    area = AreaFactory(code="KZ-71-DEMO", name_en="Demo Area", parent=astana["region"], is_demo=True)
    badge = '<span class="badge demo" title="Synthetic demo data, not a real record">demo data</span>'
    # then each page shows the badge next to the title and the footer says what it means
    for url in (f"/en/people/{person.pk}/", f"/en/bodies/{body.pk}/", f"/en/areas/{area.code}/"):
        html = _html(client.get(url))
        assert f"{badge}</h1>" in html
        assert "Records marked “demo data” are synthetic" in html
    # and lists mark it too
    region = _html(client.get("/en/areas/KZ-71/"))
    assert (
        f'<a href="/en/areas/KZ-71-DEMO/">Demo Area</a> <span class="muted">district</span> {badge}' in region
    )


def test_real_records_have_no_badge_and_no_demo_note(astana, client):
    html = _html(client.get(f"/en/people/{astana['deputy'].pk}/"))
    assert 'class="badge demo"' not in html
    assert "Records marked “demo data”" not in html


def _add_deputies(body: Organization, n: int) -> None:
    for i in range(n):
        constituency = AreaFactory(
            kind="constituency",
            body=body,
            number=100 + i,
            boundary_web={"type": "Polygon", "coordinates": [[[71, 51], [71.1, 51], [71.1, 51.1], [71, 51]]]},
        )
        post = PostFactory(organization=body, area=constituency, label_en=f"Seat {i}")
        MembershipFactory(organization=body, post=post, on_behalf_of=OrganizationFactory(kind="party"))
        list_post = PostFactory(organization=body, role=PostRole.PARTY_LIST_DEPUTY, label_en=f"List {i}")
        MembershipFactory(
            organization=body,
            post=list_post,
            role=PostRole.PARTY_LIST_DEPUTY,
            election_method=ElectionMethod.PARTY_LIST,
        )
    boundaries_changed()
    reset_index()


# Queries per page once its maps are cached (an anonymous visitor: no session).
QUERY_LIMITS = [
    ("find", 2),  # the map version, the regions (to narrow "choose your settlement")
    # + the look-up: index check and build, areas, bodies, representatives; the session keeps
    # the visitor's area (one write); the units inside the areas whose boundary is pending
    ("find-result", 9),
    ("bodies", 2),
    # + the area's news, initiatives and budgets (participation: 2), meetings with the population
    # (deputies' reports and akims' meetings: 2)
    ("region", 9),
    ("constituency", 8),  # + the area's news, meetings with the population (2)
    # body, memberships, sub-bodies, appeal figures (2), public appeals, map version, news, drafts
    # open for comment (proceedings' banner), initiatives and budgets (participation: 2)
    ("body", 11),
    # person, memberships, + proceedings' attendance and votes, + the deputy's record (deputies:
    # memberships, receptions coming and held, reports, inquiries: 7)
    ("person", 11),
]


@pytest.mark.parametrize(("page", "limit"), QUERY_LIMITS)
def test_query_count_does_not_grow_with_the_number_of_deputies(
    astana, django_assert_max_num_queries, page, limit
):
    # given a page, opened once so that its maps are cached
    url = _pages(astana)[page].format(lang="en")
    client = Client()
    assert client.get(url).status_code == 200
    reset_index()  # the look-up answers from scratch
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    # when the maslikhat gets 20 more constituency deputies and 20 party-list deputies
    # (new boundaries: the map cache is rebuilt once)
    _add_deputies(astana["maslikhat"], 20)
    for _ in range(3):
        MembershipFactory(person=astana["deputy"], organization=OrganizationFactory())
    assert client.get(url).status_code == 200
    reset_index()
    # then the page still needs no more queries
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_body_page_shows_the_sections_of_appeals_news_and_follows(astana, client):
    # given a maslikhat, when its page is opened
    html = _html(client.get(f"/en/bodies/{astana['maslikhat'].pk}/"))
    # then the appeals app's button and figures, the follow button and the news block are on it,
    # in the page's order, and the news feed is announced in the head
    body_pk = astana["maslikhat"].pk
    actions = html[html.index('<p class="page-actions">') :]
    actions = actions[: actions.index("</p>")]
    assert (
        f'<a class="button primary" href="/en/appeals/new/?body={body_pk}">Write to this maslikhat</a>'
        in actions
    )
    assert f'href="/en/accounts/login/?next=/en/bodies/{body_pk}/">Follow by email</a>' in actions
    assert actions.index("Write to this maslikhat") < actions.index("Follow by email")
    assert html.index("<h2>Appeals in figures</h2>") < html.index("<h2>News of this body</h2>")
    head = html[: html.index("</head>")]
    name = astana["maslikhat"].name_en
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="News of this body: {name}" '
        f'href="/en/news/bodies/{body_pk}/feed/">'
    ) in head
    assert "/static/news/news.css" in head


def test_deputy_cards_carry_the_write_button_and_the_apparatus_page_does_not(astana, client):
    deputy = astana["deputy"]
    area = _html(client.get("/en/areas/KZ-71-T01/"))
    assert (
        f'<a class="button small" href="/en/appeals/new/?deputy={deputy.pk}">Write to this deputy</a>' in area
    )
    person = _html(client.get(f"/en/people/{deputy.pk}/"))
    assert (
        f'<a class="button primary" href="/en/appeals/new/?deputy={deputy.pk}">Write to this deputy</a>'
        in person
    )
    # an apparatus is no maslikhat: no "write to" button, no appeal figures; still the follow button
    apparatus = _html(client.get(f"/en/bodies/{astana['apparatus'].pk}/"))
    assert "Write to this maslikhat" not in apparatus
    assert "Appeals in figures" not in apparatus
    assert "Follow by email" in apparatus


def test_the_directory_pages_show_only_what_is_registered(astana, client, monkeypatch):
    from maslikhat.core import sections

    # given no app has registered a section
    monkeypatch.setattr(sections, "SECTIONS", [])
    # when the directory's pages are opened
    pages = [
        f"/en/bodies/{astana['maslikhat'].pk}/",
        "/en/areas/KZ-71-T01/",
        f"/en/people/{astana['deputy'].pk}/",
        f"/en/find/?{ASTANA_POINT}",
    ]
    for url in pages:
        response = client.get(url)
        html = _html(response)
        # then they render, with their own content and none of the other apps' blocks
        assert response.status_code == 200
        assert astana["deputy"].name_en in html
        for foreign in ("Appeals in figures", "Write to this", "Follow by email", "news.css", "News of this"):
            assert foreign not in html, (url, foreign)
        assert 'class="page-actions"' not in html
