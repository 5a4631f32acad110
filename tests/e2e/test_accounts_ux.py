"""The account pages in the browser: in Kazakh and Russian no English (or allauth-Russian) text of
allauth is left; a citizen logs in in Kazakh on a phone and finds their appeal under "My
appeals"; axe-core finds no serious or critical violation; nothing is wider than a 360 px phone."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps

from tests.core.allauth_texts import ALLAUTH_TEXTS
from tests.e2e.axe import WIDE_ELEMENTS
from tests.e2e.axe import serious_violations as _axe

pytestmark = pytest.mark.e2e

PASSWORD = "citizen-password-1"  # noqa: S105
ANONYMOUS_PAGES = ["accounts/login/", "accounts/signup/", "accounts/password/reset/", "tracking-links/"]
SIGNED_IN_PAGES = [
    "my-appeals/",
    "accounts/email/",
    "accounts/password/change/",
    "accounts/2fa/",
    "accounts/logout/",
]


@pytest.fixture
def citizen_world(astana: dict[str, Any], applicant: dict[str, str]) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    from maslikhat.appeals.services import appeal_submit
    from tests.factories import UserFactory

    # transactional tests flush the data migration's topics: put them back
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    user = UserFactory(username="aigul", email=applicant["email"], password=PASSWORD)
    EmailAddress.objects.create(user=user, email=applicant["email"], verified=True, primary=True)
    # sent while signed out, with the address the account has confirmed
    appeal, _ = appeal_submit(
        actor=None,
        body=astana["maslikhat"],
        kind="application",
        topic_code="roads",
        text="The road on our street has not been repaired for three years.",
        language="kk",
        applicant=dict(applicant),
    )
    return {"user": user, "appeal": appeal}


def _log_in(page: Any, base: str, lang: str) -> None:
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("input[name=login]", "aigul")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state()


def _left_over(page: Any) -> list[str]:
    # the page's own part (the header's search box has a placeholder of its own)
    text = page.inner_text("main")
    placeholders = page.eval_on_selector_all("main [placeholder]", "els => els.map(e => e.placeholder)")
    return [t for t in ALLAUTH_TEXTS if t in text] + placeholders


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_account_pages_show_none_of_allauths_texts_and_fit_a_phone(
    live_server: Any, browser: Any, shot: Any, citizen_world: dict[str, Any], lang: str
) -> None:
    problems: dict[str, Any] = {}
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        for path in ANONYMOUS_PAGES:
            page.goto(f"{live_server.url}/{lang}/{path}")
            found = _left_over(page) + (page.evaluate(WIDE_ELEMENTS) if width == 360 else [])
            if found:
                problems[f"{width} {path}"] = found
            shot(page, f"accounts-{lang}-{width}-{path.strip('/').replace('/', '-')}")
        _log_in(page, live_server.url, lang)
        for path in SIGNED_IN_PAGES:
            page.goto(f"{live_server.url}/{lang}/{path}")
            found = _left_over(page) + (page.evaluate(WIDE_ELEMENTS) if width == 360 else [])
            if found:
                problems[f"{width} {path}"] = found
            shot(page, f"accounts-{lang}-{width}-{path.strip('/').replace('/', '-')}")
        page.close()
    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_citizen_logs_in_in_kazakh_on_a_phone_and_finds_the_appeal(
    live_server: Any, browser: Any, shot: Any, citizen_world: dict[str, Any]
) -> None:
    appeal = citizen_world["appeal"]
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{live_server.url}/kk/")
    page.locator("#site-menu > summary").click()
    page.locator(".main-nav a[href='/kk/accounts/login/']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    page.fill("input[name=login]", "aigul")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state()
    # the menu's one new link leads to the appeals of the account's confirmed address
    page.locator("#site-menu > summary").click()
    page.locator(".main-nav a[href='/kk/my-appeals/']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/kk/my-appeals/")
    row = page.locator(".mine-table tbody tr")
    assert row.count() == 1
    assert appeal.registration_number in row.inner_text()
    shot(page, "my-appeals-kk-phone")
    row.locator("a.regno").click()
    page.wait_for_load_state()
    assert appeal.registration_number in page.locator("h1").inner_text()
    assert "three years" in page.inner_text("main")
    page.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_account_pages_have_no_serious_accessibility_violation(
    live_server: Any, browser: Any, citizen_world: dict[str, Any], lang: str
) -> None:
    # axe-core is injected as an inline script: this audit page alone bypasses the site's CSP
    page = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    problems: dict[str, Any] = {}

    def audit(path: str) -> None:
        response = page.goto(f"{live_server.url}/{lang}/{path}")
        assert response is not None and response.status == 200, path
        found = _axe(page)
        if found:
            problems[path] = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in found]

    for path in ANONYMOUS_PAGES:
        audit(path)
    _log_in(page, live_server.url, lang)
    for path in SIGNED_IN_PAGES:
        audit(path)
    audit(f"my-appeals/{citizen_world['appeal'].registration_number}/")
    page.close()
    assert problems == {}
