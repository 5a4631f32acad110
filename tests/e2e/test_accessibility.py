"""Accessibility: axe-core (from npm) on the main pages in Kazakh, Russian and English finds no
serious or critical violation; "find my deputies" and appeal submission work with the keyboard
only; pages fit a 360 px wide phone."""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

import pytest
from django.apps import apps as django_apps

from tests.e2e.axe import serious_violations as _axe

pytestmark = pytest.mark.e2e

PAGES = [
    "/{lang}/",
    "/{lang}/find/",
    "/{lang}/find/?lat=51.128&lon=71.43",
    "/{lang}/bodies/",
    "/{lang}/bodies/{body}/",
    "/{lang}/appeals/new/?body={body}",
    "/{lang}/council/",
    "/{lang}/council/meetings/{meeting}/",
    "/{lang}/council/proposals/",
    "/{lang}/scorecard/",
    "/{lang}/news/",
    "/{lang}/accounts/login/",
]


# The visible elements sticking out of a 360 px page (outside scrolling containers).
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > 361
          && !el.closest('.scorecard-scroll'))
  .slice(0, 5)
  .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


@pytest.fixture
def site(astana: dict[str, Any]) -> dict[str, Any]:
    from maslikhat.council.history import load_council_history
    from maslikhat.council.models import Meeting

    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    load_council_history()
    return {"body": astana["maslikhat"].pk, "meeting": Meeting.objects.get().pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_serious_or_critical_violations(
    live_server: Any, browser: Any, site: dict[str, Any], lang: str
) -> None:
    # axe-core is injected as an inline script: this audit page alone bypasses the site's CSP
    # (the policy itself is checked by test_csp_console.py)
    page = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    problems: dict[str, Any] = {}
    for template in PAGES:
        url = template.format(lang=lang, **site)
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        found = _axe(page)
        if found:
            problems[url] = [
                {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
                for v in found
            ]
    page.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.django_db(transaction=True)
def test_pages_fit_a_360px_phone(live_server: Any, browser: Any, shot: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    wide: dict[str, Any] = {}
    for template in PAGES:
        url = template.format(lang="kk", **site)
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[url] = page.evaluate(WIDE_ELEMENTS)
    shot(page, "login-kk-360")
    page.close()
    assert wide == {}


@pytest.mark.django_db(transaction=True)
def test_find_and_write_with_the_keyboard_only(
    live_server: Any, browser: Any, shot: Any, site: dict[str, Any]
) -> None:
    from maslikhat.appeals.models import Appeal
    from tests.factories import valid_iin

    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{live_server.url}/en/")
    # the skip link comes first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    # to "find my deputies" by keyboard: focus the link, press Enter
    page.locator("a.button.primary.big").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/find/")
    page.locator("input[name=lat]").focus()
    page.keyboard.type("51.128")
    page.keyboard.press("Tab")
    page.keyboard.type("71.43")
    page.keyboard.press("Enter")
    page.wait_for_url("**/find/?lat=51.128&lon=71.43")
    assert "Aigerim Testova" in page.content()
    # write to the deputy: follow the link by keyboard, fill the form with Tab, submit with Enter
    page.locator('a[href*="/appeals/new/"]').first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/new/**")
    page.locator("textarea[name=text]").focus()
    page.keyboard.type("The street lights on our street do not work.")
    for name, value in (
        ("full_name", "Aigul Bekova"),
        ("iin", valid_iin()),
        ("address", "Astana, 8 Mangilik El"),
        ("phone", "+7 701 234 56 78"),
        ("email", "aigul@example.org"),
    ):
        page.locator(f"input[name={name}]").focus()
        page.keyboard.type(value)
    # the topic is not chosen in advance: choose it with the arrow keys
    page.locator("select[name=topic]").focus()
    page.keyboard.press("ArrowDown")
    page.locator("form.appeal-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    # the preview: confirm by keyboard
    page.locator("button[name=step][value=confirm]").wait_for()
    page.locator("button[name=step][value=confirm]").focus()
    page.keyboard.press("Enter")
    # the appeal's own page: "**/appeals/*/**" also matches the form's /appeals/new/, and
    # returned before the confirmation was stored
    page.wait_for_url(re.compile(r"/appeals/(?!new/)[^/]+/"))
    shot(page, "keyboard-appeal-submitted-phone")
    assert Appeal.objects.count() == 1
    page.close()
