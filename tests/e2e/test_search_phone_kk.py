"""A resident on a 360 px phone in Kazakh types a word form ("мәслихаттың") into the header's
search box, gets ranked results with the matched words highlighted, narrows them to news and
opens one. The results page in Kazakh, Russian and English, on the phone and on a desktop, has
no serious or critical axe-core violation and fits the phone. Screenshots go to /tmp/shots/e2/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/shots/e2")  # noqa: S108 - the helper's screenshot folder, looked at by hand
QUERIES = {"kk": "мәслихаттың", "ru": "маслихата", "en": "maslikhat"}


@pytest.fixture
def world(reference: dict[str, int]) -> dict[str, Any]:
    """The real regions and their maslikhats, and one published news item of Astana's maslikhat
    that speaks of the maslikhat in several forms; the index rebuilt."""
    from maslikhat.directory.models import Organization
    from maslikhat.news import services as news
    from maslikhat.search.services import index_rebuild

    astana = Organization.objects.get(slug="kz-71-maslikhat")
    item = news.publication_create(
        actor=None,
        body=astana,
        title_kk="Астана қалалық мәслихатының кезекті сессиясы",
        text_kk="Мәслихаттың депутаттары қалалық бюджетті нақтылады. "
        "Сессияда азаматтардың өтініштері қаралды.",
        title_ru="Очередная сессия маслихата города Астаны",
        text_ru="Депутаты маслихата уточнили городской бюджет. На сессии рассмотрены обращения граждан.",
        title_en="A regular session of the Astana city maslikhat",
        text_en="The maslikhat's deputies revised the city budget and considered citizens' appeals.",
    )
    news.publication_publish(actor=None, publication=item)
    index_rebuild()
    return {"news": item}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in serious_violations(page)
    ]


def _width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.django_db(transaction=True)
def test_a_phone_in_kazakh_searches_filters_and_opens_a_result(
    live_server: Any, browser: Any, world: dict[str, Any]
) -> None:
    item = world["news"]
    context = browser.new_context(viewport=PHONE, locale="kk-KZ")
    page = context.new_page()
    # given the home page in Kazakh on a phone
    page.goto(f"{live_server.url}/kk/")
    box = page.locator("header form[role=search] input[name=q]")
    # the header's box sits in the menu on a phone: closed, it is hidden
    assert not box.is_visible()
    page.locator("#site-menu summary").click()
    assert box.is_visible()
    assert box.bounding_box()["width"] >= 200  # wide enough to see what she types
    _shot(page, "search-kk-360-menu")
    # when she types a word form in the header's box and sends it
    box.fill(QUERIES["kk"])
    box.press("Enter")
    page.wait_for_url(re.compile(r"/kk/search/\?q="))
    # then ranked results come, the matched forms of the word highlighted
    hits = page.locator("ol.search-results li.search-hit")
    hits.first.wait_for()
    assert hits.count() >= 5  # the maslikhats and the news item
    assert page.locator("ol.search-results mark").count() >= hits.count()
    first_marks = hits.first.locator("mark").all_inner_texts()
    assert first_marks and all(m.lower().startswith("мәслихат") for m in first_marks)
    assert page.locator("li.search-hit[data-kind=body]").count() >= 1
    assert _width(page) <= PHONE["width"]
    _shot(page, "search-kk-360")
    # when she keeps only the news
    page.locator("nav.search-kinds a[data-kind=news]").click()
    page.wait_for_url(re.compile(r"kind=news"))
    # then only the news item is left, its snippet highlighted
    assert page.locator("li.search-hit").count() == 1
    assert page.locator("li.search-hit[data-kind=news]").count() == 1
    assert page.locator("nav.search-kinds a[data-kind=news][aria-current=true]").count() == 1
    snippet_marks = page.locator("li.search-hit .search-snippet mark").all_inner_texts()
    assert snippet_marks and all(m.lower().startswith("мәслихат") for m in snippet_marks)
    assert _width(page) <= PHONE["width"]
    _shot(page, "search-kk-360-news")
    # when she opens it
    page.locator("li.search-hit h2 a").click()
    page.wait_for_url(f"{live_server.url}/kk/news/{item.pk}/")
    assert page.locator("h1").inner_text().strip() == item.title_kk
    _shot(page, "search-kk-360-opened")
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_results_page_is_accessible_and_fits_in_every_language(
    live_server: Any, browser: Any, world: dict[str, Any], lang: str
) -> None:
    url = f"{live_server.url}/{lang}/search/?q={quote(QUERIES[lang])}"
    problems: dict[str, Any] = {}
    for name, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        # axe-core is injected as an inline script: this audit page alone bypasses the CSP
        page = browser.new_page(viewport=viewport, bypass_csp=True)
        response = page.goto(url)
        assert response is not None and response.status == 200
        assert page.locator("li.search-hit").count() >= 2
        assert page.locator("ol.search-results mark").count() >= 2
        if viewport is PHONE:
            assert _width(page) <= PHONE["width"]
        _shot(page, f"search-{lang}-{name}")
        found = _serious_axe_violations(page)
        if found:
            problems[name] = found
        page.close()
    assert problems == {}
