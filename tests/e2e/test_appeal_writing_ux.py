"""A citizen on a 360 px phone, in Kazakh, writes an appeal: several mistakes at once, the error
summary lists them all and links to each field, they fix them, see the preview, edit, confirm;
once answered they rate it with a confirmation. The form, the preview and the rating pages have
no serious accessibility violation (axe-core) and fit the phone; screenshots in kk, ru and en at
360 px and on a desktop (into test-artifacts/screenshots/, and copied to $E2E_SHOTS_DIR when set)."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps

from tests.e2e.axe import serious_violations as _axe
from tests.factories import valid_iin

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
EXTRA_SHOTS = Path(os.environ["E2E_SHOTS_DIR"]) if os.environ.get("E2E_SHOTS_DIR") else None


@pytest.fixture
def body(astana: dict[str, Any]) -> Any:
    # transactional tests flush the data migration's topics: put them back
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    return astana["maslikhat"]


@pytest.fixture
def snap(shot: Any) -> Any:
    def _snap(page: Any, name: str) -> None:
        path = shot(page, name)
        if EXTRA_SHOTS is not None and EXTRA_SHOTS.is_dir():
            shutil.copy(path, EXTRA_SHOTS / path.name)

    return _snap


def _violations(page: Any) -> list[tuple[str, list[Any]]]:
    """axe-core's serious and critical violations, with the elements they are about."""
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in _axe(page)]


def _fits(page: Any, width: int = 360) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


@pytest.mark.django_db(transaction=True)
def test_phone_kk_errors_all_at_once_preview_edit_confirm_and_rate(
    live_server: Any, browser: Any, snap: Any, body: Any, astana: dict[str, Any]
) -> None:
    from maslikhat.appeals.models import Appeal
    from maslikhat.appeals.services import appeal_answer

    # axe-core is injected as an inline script: the page's CSP is bypassed for it (test_csp_console.py
    # checks the policy on this page)
    context = browser.new_context(viewport=PHONE, locale="kk-KZ", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/kk/appeals/new/?body={body.pk}")
    # the limit is written under the text, and the counter runs
    assert page.locator("#id_text_helptext").is_visible()
    page.fill("textarea[name=text]", "")
    assert page.locator("#id_text_counter").is_visible()
    # given several mistakes: no text, no topic, a short IIN, a bad phone, no email
    page.fill("input[name=full_name]", "Айгүл Бекова")
    page.fill("input[name=iin]", "85031")
    page.fill("input[name=address]", "Астана, Мәңгілік Ел даңғылы, 8")
    page.fill("input[name=phone]", "12")
    page.locator("form.appeal-form button[type=submit]").click()
    # then the summary lists every one of them, is focused, and links to each field
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == ["#id_topic", "#id_text", "#id_iin", "#id_phone", "#id_email"]
    assert "ЖСН дәл 12 цифрдан тұруы керек." in summary.inner_text()
    assert _fits(page)
    assert _violations(page) == []
    snap(page, "appeal-errors-kk-360")
    summary.locator('a[href="#id_iin"]').click()
    assert page.evaluate("document.activeElement.id") == "id_iin"
    # when they fix them
    page.select_option("select[name=topic]", "roads")
    page.fill("textarea[name=text]", "Абай көшесіндегі жолды жөндеуді сұраймыз.")
    page.fill("input[name=iin]", valid_iin())
    page.fill("input[name=phone]", "+7 701 234 56 78")
    page.fill("input[name=email]", "aigul@example.org")
    page.check("input[name=is_public]")
    page.locator("form.appeal-form button[type=submit]").click()
    # then the preview shows what is sent and what is public, and nothing is stored yet
    page.locator("button[name=step][value=confirm]").wait_for()
    assert "Абай көшесіндегі жолды жөндеуді сұраймыз." in page.locator(".preview").inner_text()
    assert "aigul@example.org" in page.locator(".preview").inner_text()
    assert page.locator("#public-title").is_visible()
    assert Appeal.objects.count() == 0
    assert _fits(page)
    assert _violations(page) == []
    snap(page, "appeal-preview-kk-360")
    # "edit" keeps what was typed
    page.locator("button[name=step][value=edit]").click()
    page.locator("textarea[name=text]").wait_for()
    assert page.input_value("textarea[name=text]") == "Абай көшесіндегі жолды жөндеуді сұраймыз."
    assert page.is_checked("input[name=is_public]")
    page.locator("form.appeal-form button[type=submit]").click()
    page.locator("button[name=step][value=confirm]").click()
    page.wait_for_url("**/kk/appeals/*/?token=*")
    appeal = Appeal.objects.get()
    assert (appeal.topic.code, appeal.publication_requested) == ("roads", True)
    tracking = page.url.replace("&new=1", "")
    # once answered, the rating: nothing chosen, a confirmation, then recorded
    appeal_answer(actor=astana["staff_user"], appeal=appeal, text="Жол мамырда жөнделеді.")
    page.goto(tracking)
    page.get_by_text("Жол мамырда жөнделеді.").wait_for()
    assert page.locator("input[name=rating]:checked").count() == 0
    page.check("input[name=rating][value='4']")
    page.locator("#rating button[type=submit]").click()
    page.locator("input[name=confirm]").first.wait_for(state="attached")
    appeal.refresh_from_db()
    assert appeal.rating is None
    assert _fits(page)
    assert _violations(page) == []
    snap(page, "appeal-rate-confirm-kk-360")
    page.locator("form:has(input[name=confirm]) button[type=submit]").click()
    page.wait_for_url("**/?token=*")
    appeal.refresh_from_db()
    assert appeal.rating == 4
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_form_with_errors_on_a_phone_and_a_desktop(
    live_server: Any, browser: Any, snap: Any, body: Any, lang: str
) -> None:
    for size, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        page = browser.new_page(viewport=viewport, bypass_csp=True)
        page.goto(f"{live_server.url}/{lang}/appeals/new/?body={body.pk}")
        snap(page, f"appeal-form-{lang}-{size}")
        page.fill("input[name=iin]", "12")
        page.locator("form.appeal-form button[type=submit]").click()
        page.locator("#error-summary").wait_for()
        # the IIN's error is in the page's language (never Django's English "Ensure this value")
        assert "Ensure this value" not in page.content()
        if size == "360":
            assert _fits(page)
        assert _violations(page) == []
        snap(page, f"appeal-errors-{lang}-{size}")
        page.close()
