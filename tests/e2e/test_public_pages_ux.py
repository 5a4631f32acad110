"""The pages everyone reads, in a browser (issue 15): the phone header stays under 12 % of the
screen and its menu opens by pointer and keyboard; the home page of a visitor whose area is
known leads with their deputies; a title shown in a fallback language carries its mark; axe-core
finds no serious violation on the home, body and council meeting pages."""

from __future__ import annotations

import importlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps

from tests.e2e.axe import serious_violations as _axe

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# Screenshots go to test-artifacts/screenshots (the `shot` fixture); also copied to
# $SCREENSHOTS_COPY_TO when set (a reviewer's folder).
COPY_TO = os.environ.get("SCREENSHOTS_COPY_TO", "")


@pytest.fixture
def site(astana: dict[str, Any]) -> dict[str, Any]:
    from maslikhat.council.history import load_council_history
    from maslikhat.council.models import Meeting
    from tests.news.factories import make_publication

    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    load_council_history()
    make_publication(
        body=astana["maslikhat"],
        title_kk="",
        title_en="",
        title_ru="Сессия маслихата",
        areas=[astana["region"]],
    )
    return {"body": astana["maslikhat"].pk, "meeting": Meeting.objects.get().pk}


def _shot(shot: Any, page: Any, name: str) -> None:
    path = shot(page, name)
    if COPY_TO:
        Path(COPY_TO).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(COPY_TO) / path.name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_desktop_header_keeps_its_links_on_one_line(
    live_server: Any, browser: Any, shot: Any, site: dict[str, Any], lang: str
) -> None:
    """At 1280 px the header is two rows by design (brand, search box, languages; then the
    links), and the links never wrap to a third, in the longest language too."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/{lang}/")
    tops = page.eval_on_selector_all(
        "nav.main-nav a", "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tops) >= 5 and len(set(tops)) == 1, tops
    search = page.locator("header .search-box").bounding_box()
    assert search is not None and search["y"] < min(tops), (search, tops)
    height = page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")
    assert height < 110, height
    _shot(shot, page, f"ux-header-{lang}-1280")
    page.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_phone_header_is_compact_and_its_menu_opens(
    live_server: Any, browser: Any, shot: Any, site: dict[str, Any], lang: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/{lang}/")
    # the header takes less than 12 % of a 360 × 740 screen
    height = page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")
    assert height < 0.12 * PHONE["height"], height
    # the menu is closed: its links are hidden, the button is named and announced as collapsed
    nav = page.locator("nav.main-nav")
    assert not nav.is_visible()
    summary = page.locator("details.site-menu > summary")
    _shot(shot, page, f"ux-home-{lang}-360")
    # by keyboard: focus the menu button, press Enter, the links show and take the focus order
    summary.focus()
    page.keyboard.press("Enter")
    assert nav.is_visible()
    assert page.locator("details.site-menu").get_attribute("open") is not None
    page.keyboard.press("Tab")  # the search box comes first in the menu, then the links
    assert page.evaluate("document.activeElement.closest('details.site-menu .menu-body') !== null")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav.main-nav') !== null")
    _shot(shot, page, f"ux-menu-open-{lang}-360")
    # by pointer: a tap closes it again
    summary.click()
    assert not nav.is_visible()
    # and the page fits the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
    # on a desktop the menu is a row of links, open without a click
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/{lang}/")
    assert page.locator("nav.main-nav").is_visible()
    assert not page.locator("details.site-menu > summary").is_visible()
    _shot(shot, page, f"ux-home-{lang}-desktop")
    page.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("viewport", "device"), [(PHONE, "360"), (DESKTOP, "desktop")])
def test_home_with_a_remembered_area_shows_the_deputies_first(
    live_server: Any, browser: Any, shot: Any, site: dict[str, Any], viewport: dict[str, int], device: str
) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    # given a visitor who found their deputies in Astana
    page.goto(f"{live_server.url}/en/find/?lat=51.128&lon=71.43")
    # when they come back to the home page
    page.goto(f"{live_server.url}/en/")
    # then the first thing in the page is their maslikhat with its chair and deputies
    first = page.locator("main section").first
    assert first.locator("h1").inner_text() == "Your maslikhat and your deputies"
    assert "Astana" in first.locator("h2").first.inner_text()
    assert first.get_by_role("link", name="Serik Chairov").is_visible()
    assert first.get_by_role("link", name="Aigerim Testova").is_visible()
    # the deputies come before the news
    top = page.evaluate(
        "[...document.querySelectorAll('a')].find(a => a.textContent === 'Aigerim Testova')"
        ".getBoundingClientRect().top"
    )
    news_top = page.evaluate("document.querySelector('.news-block').getBoundingClientRect().top")
    assert top < news_top
    _shot(shot, page, f"ux-home-remembered-en-{device}")
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "en"])
def test_a_russian_only_title_carries_its_mark(
    live_server: Any, browser: Any, shot: Any, site: dict[str, Any], lang: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/{lang}/news/")
    title = page.locator(".news-title .in-fallback").first
    assert title.inner_text() == "Сессия маслихата"
    assert title.get_attribute("lang") == "ru"
    mark = page.locator(".news-title .fallback-mark").first
    assert mark.is_visible()
    assert mark.inner_text().startswith("(") and mark.inner_text().endswith(")")
    _shot(shot, page, f"ux-news-fallback-{lang}-360")
    # the Russian list shows the same title without a mark
    page.goto(f"{live_server.url}/ru/news/")
    assert page.locator(".news-title .fallback-mark").count() == 0
    page.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("viewport", "device"), [(PHONE, "360"), (DESKTOP, "desktop")])
def test_no_serious_violations_on_home_body_and_meeting_pages(
    live_server: Any, browser: Any, shot: Any, site: dict[str, Any], viewport: dict[str, int], device: str
) -> None:
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/kk/find/?lat=51.128&lon=71.43")  # the home page then knows the area
    problems: dict[str, Any] = {}
    for lang in ("kk", "ru", "en"):
        pages = {
            "home": f"/{lang}/",
            "body": f"/{lang}/bodies/{site['body']}/",
            "meeting": f"/{lang}/council/meetings/{site['meeting']}/",
        }
        for name, url in pages.items():
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, url
            found = _axe(page)
            if found:
                problems[url] = [
                    {"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in found
                ]
            _shot(shot, page, f"ux-{name}-{lang}-{device}")
    context.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
