"""The public pages: every page in kk, ru and en, the language switch, find my deputies with its
errors, 404s, demo badges and constant query counts."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.test import Client
from django.utils import translation

from maslikhat.directory.choices import ElectionMethod, PostRole
from maslikhat.directory.lookup import reset_index
from maslikhat.directory.models import Area, Organization
from maslikhat.directory.services import boundaries_changed
from tests.factories import AreaFactory, MembershipFactory, OrganizationFactory, PersonFactory, PostFactory

LANGUAGES = ("kk", "ru", "en")
SWITCH_LABELS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
ASTANA_POINT = "lat=51.128&lon=71.43"


def _html(response: Any) -> str:
    return response.content.decode()


def _switch_links(html: str) -> dict[str, str]:
    """hreflang → href of the language switch."""
    nav = html[html.index('<nav class="lang-switch"') :]
    nav = nav[: nav.index("</nav>")]
    return {
        lang: unescape(href)
        for href, lang in re.findall(r'<a href="([^"]*)" lang="\w+" hreflang="(\w+)"', nav)
    }


def _pages(astana: dict[str, Any]) -> dict[str, str]:
    return {
        "home": "/{lang}/",
        "find": "/{lang}/find/",
        "find-result": f"/{{lang}}/find/?{ASTANA_POINT}",
        "bodies": "/{lang}/bodies/",
        "region": "/{lang}/areas/KZ-71/",
        "constituency": "/{lang}/areas/KZ-71-T01/",
        "body": f"/{{lang}}/bodies/{astana['maslikhat'].pk}/",
        "person": f"/{{lang}}/people/{astana['deputy'].pk}/",
    }


@pytest.mark.parametrize(
    "page", ["home", "find", "find-result", "bodies", "region", "constituency", "body", "person"]
)
def test_every_page_renders_in_each_language_with_the_switch(astana, client, page):
    for lang in LANGUAGES:
        # given a page address in one language
        url = _pages(astana)[page].format(lang=lang)
        # when it is opened
        response = client.get(url)
        # then it is the page in that language, with links to the same page in the other two
        assert response.status_code == 200
        html = _html(response)
        assert f'<html lang="{lang}">' in html
        links = _switch_links(html)
        assert links == {other: url.replace(f"/{lang}/", f"/{other}/", 1) for other in LANGUAGES}
        for label in SWITCH_LABELS.values():
            assert f">{label}</a>" in html
        assert 'aria-current="true">' + SWITCH_LABELS[lang] in html
        assert '<a class="skip" href="#main">' in html


def test_home_shows_the_map_and_the_regional_maslikhats(astana, client):
    maslikhat = astana["maslikhat"]
    for lang in LANGUAGES:
        html = _html(client.get(f"/{lang}/"))
        assert f'<a class="button primary big" href="/{lang}/find/">' in html
        assert html.count('class="region"') == 20
        assert f'<a href="/{lang}/areas/KZ-71/" class="region" data-key="KZ-71"><title>' in html
        assert f'<a href="/{lang}/bodies/{maslikhat.pk}/">{getattr(maslikhat, f"name_{lang}")}</a>' in html
        assert len(re.findall(rf'<a href="/{lang}/bodies/\d+/">', html)) == 20
        assert "Boundaries: OCHA / HDX COD-AB." in html if lang == "en" else "OCHA / HDX COD-AB" in html


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
    assert '<a href="/ru/areas/KZ-71/">город Астана</a>' in html
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
    assert "Constituency boundaries in the demo are synthetic" not in _html(client.get("/en/"))


def test_staff_see_the_back_office_link(astana, client):
    assert 'href="/en/admin/"' not in _html(client.get("/en/"))
    assert 'href="/en/accounts/login/"' in _html(client.get("/en/"))
    client.force_login(astana["staff_user"])
    html = _html(client.get("/en/"))
    assert 'href="/en/admin/"' in html
    assert 'href="/en/accounts/logout/"' in html


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
    ("home", 3),  # boundaries version, regional maslikhats, news for the visitor's area
    ("find", 1),
    # + the look-up: index check and build, areas, bodies, representatives; the session keeps
    # the visitor's area (one write)
    ("find-result", 8),
    ("bodies", 2),
    ("region", 5),  # + the area's news
    ("constituency", 6),  # + the area's news
    ("body", 8),  # body, memberships, sub-bodies, appeal figures (2), public appeals, map version, news
    ("person", 2),
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
