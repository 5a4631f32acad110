"""A villager on a cheap phone types her village in Russian lowercase, picks the right one of the
Birliks by its okrug and district, lands on Zhanakorgan district's maslikhat and writes to it.
Screenshots go to test-artifacts/screenshots/."""

import importlib
import re

import pytest
from django.apps import apps as django_apps

from maslikhat.core.iin import check_digit

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def whole_country(reference):
    from maslikhat.directory.lookup import reset_index
    from maslikhat.directory.reference_country import load_country

    # transactional tests flush the data migration's topics: put them back
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    load_country()
    reset_index()


def _fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_villager_finds_her_district_maslikhat_and_writes_to_it(live_server, browser, shot, whole_country):
    from maslikhat.directory.models import Organization

    body = Organization.objects.get(slug="434000000-maslikhat")
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    page = context.new_page()
    # given the find page in Russian on a phone
    page.goto(f"{live_server.url}/ru/find/")
    assert _fits_the_width(page)
    # when she types her village's name in lowercase, the list appears as she types
    page.fill("#q", "бирлик")
    page.locator("#choices .choice").first.wait_for()
    assert page.locator("#choices .choice").count() > 4
    shot(page, "villager-birliks-ru-phone")
    # and she narrows it to her region: several Birliks remain, told apart by okrug and district
    page.select_option("#region", "KZ-43")
    page.wait_for_url(re.compile(r"region=KZ-43"))
    page.locator("#choices .choice-where", has_text="Казалинский район").first.wait_for()
    villages = page.locator(
        "#choices .choice", has=page.locator(".choice-name", has_text=re.compile("^с.Бирлик$"))
    )
    assert villages.count() >= 3
    assert _fits_the_width(page)
    shot(page, "villager-birliks-kyzylorda-ru-phone")
    # when she picks the one in Akkuik rural okrug, Zhanakorgan district
    villages.filter(has_text="Аккуикский с.о., Жанакорганский район").click()
    # then she is on the district maslikhat's page, with its territory and her village in it
    page.wait_for_url(f"{live_server.url}/ru/bodies/{body.pk}/")
    assert page.locator("h1").inner_text().startswith("Маслихат Жанакорганского района")
    assert page.locator(".territory-map svg path.outline").count() == 1
    assert "geokz" in page.locator(".credit").inner_text()
    page.locator("summary", has_text="Аккуикский с.о.").click()
    assert page.get_by_role("link", name="с.Бирлик").is_visible()
    assert _fits_the_width(page)
    shot(page, "villager-maslikhat-ru-phone")
    # when she writes to the maslikhat
    page.get_by_role("link", name="Написать в этот маслихат").click()
    page.wait_for_url(re.compile(rf"/ru/appeals/new/\?body={body.pk}$"))
    page.select_option("select[name=kind]", "application")
    page.select_option("select[name=topic]", "roads")
    page.fill("textarea[name=text]", "Просим отремонтировать дорогу от села Бирлик до трассы.")
    page.fill("input[name=full_name]", "Гульнар Сейткали")
    page.fill("input[name=iin]", "90041240012" + str(check_digit("90041240012")))
    page.fill("input[name=address]", "Жанакорганский район, с. Бирлик")
    page.fill("input[name=phone]", "+7 705 123 45 67")
    page.fill("input[name=email]", "gulnar@example.org")
    assert _fits_the_width(page)
    shot(page, "villager-appeal-form-ru-phone")
    page.locator("form.appeal-form button[type=submit]").click()
    # she checks the preview (what is sent, what is public) and sends it
    page.get_by_text("Просим отремонтировать дорогу от села Бирлик до трассы.").wait_for()
    assert _fits_the_width(page)
    shot(page, "villager-appeal-preview-ru-phone")
    page.locator("button[name=step][value=confirm]").click()
    # then the appeal is registered with the district's number
    page.wait_for_url(re.compile(r"/ru/appeals/434000000-\d{4}-000001/\?token="))
    assert page.locator(".regno").first.inner_text().startswith("434000000-")
    assert _fits_the_width(page)
    shot(page, "villager-appeal-registered-ru-phone")
    context.close()
