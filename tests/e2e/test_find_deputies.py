"""A citizen on a phone finds their deputies in Astana, opens the deputy's page, switches to Kazakh."""

import re

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_find_deputy_in_astana_then_switch_to_kazakh(live_server, browser, shot, astana):
    deputy = astana["deputy"]
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": 51.128, "longitude": 71.430},
        permissions=["geolocation"],
        locale="ru-RU",
    )
    page = context.new_page()
    # the Russian home page, then "find my deputies"
    page.goto(f"{live_server.url}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    shot(page, "home-ru-phone")
    page.locator(".hero a.button.primary").click()
    page.wait_for_url(re.compile(r"/ru/find/$"))
    # "use my location" fills the coordinates from the browser and shows the result
    page.locator("#use-location").click()
    page.wait_for_url(re.compile(r"lat=51\.12800"))
    page.get_by_text("Айгерим Тестова").first.wait_for()
    shot(page, "find-result-ru-phone")
    # the deputy's page
    page.get_by_role("link", name="Айгерим Тестова").first.click()
    page.wait_for_url(f"{live_server.url}/ru/people/{deputy.pk}/")
    assert page.locator("h1").inner_text().startswith("Айгерим Тестова")
    shot(page, "deputy-ru-phone")
    # the language switch keeps the page and shows it in Kazakh
    page.locator(".lang-switch a[hreflang=kk]").click()
    page.wait_for_url(f"{live_server.url}/kk/people/{deputy.pk}/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text().startswith("Айгерім Тестова")
    shot(page, "deputy-kk-phone")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_click_on_the_map_finds_the_region(live_server, browser, shot, astana):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/en/find/")
    # click the centre of Astana's shape on the country map
    box = page.locator('#find-map a[data-key="KZ-71"] path').bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"lat="))
    page.get_by_text("Aigerim Testova").first.wait_for()
    shot(page, "find-map-click-en-desktop")
    page.close()
