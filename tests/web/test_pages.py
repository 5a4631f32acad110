"""The site's layout and home page: every public page in kk, ru and en with the language switch,
the home page's map and maslikhats, the back-office link, and the home page's query count. The
directory's pages themselves are tested in tests/directory/test_pages.py."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

LANGUAGES = ("kk", "ru", "en")
SWITCH_LABELS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


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
        "find-result": "/{lang}/find/?lat=51.128&lon=71.43",
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
            assert f'title="{label}"' in html
        assert f'title="{SWITCH_LABELS[lang]}" aria-current="true">' in html
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


def test_home_without_demo_data_has_no_demo_note(astana, client):
    html = _html(client.get("/en/"))
    assert "Constituency boundaries in the demo are synthetic" not in html
    assert "Records marked “demo data”" not in html


def test_home_shows_the_news_of_the_area_find_remembered(astana, client):
    # given a visitor who has not looked anything up: the national news
    assert "<h2>National news</h2>" in _html(client.get("/en/"))
    # when a point in Astana is looked up, then the home page shows the news for Astana
    client.get("/en/find/?lat=51.128&lon=71.43")
    html = _html(client.get("/en/"))
    assert "<h2>News for " in html
    assert "<h2>National news</h2>" not in html


def test_staff_see_the_back_office_link(astana, client):
    assert 'href="/en/admin/"' not in _html(client.get("/en/"))
    assert 'href="/en/accounts/login/"' in _html(client.get("/en/"))
    client.force_login(astana["staff_user"])
    html = _html(client.get("/en/"))
    assert 'href="/en/admin/"' in html
    assert 'href="/en/accounts/logout/"' in html


def test_home_query_count(astana, django_assert_max_num_queries):
    # given the home page, opened once so that its map is cached
    client = Client()
    assert client.get("/en/").status_code == 200
    # then it needs the boundaries version, the regional maslikhats and the news
    with django_assert_max_num_queries(3):
        assert client.get("/en/").status_code == 200
