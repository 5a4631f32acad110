"""A citizen finds their deputies in Astana, opens the deputy's page and switches to Kazakh; on a
phone and on a desktop. Screenshots go to test-artifacts/screenshots/."""

import re

import pytest

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _fits_the_width(page, width):
    """Nothing sticks out sideways (no horizontal scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_find_deputy_in_astana_then_switch_to_kazakh(live_server, browser, shot, astana, device):
    deputy = astana["deputy"]
    viewport = VIEWPORTS[device]
    context = browser.new_context(
        viewport=viewport,
        geolocation={"latitude": 51.128, "longitude": 71.430},
        permissions=["geolocation"],
        locale="ru-RU",
    )
    page = context.new_page()
    # given the Russian home page
    page.goto(f"{live_server.url}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert _fits_the_width(page, viewport["width"])
    shot(page, f"home-ru-{device}")
    # when the citizen goes to "find my deputies" and uses the browser's location
    page.get_by_role("link", name="Найти моих депутатов").first.click()
    page.wait_for_url(f"{live_server.url}/ru/find/")
    page.get_by_role("button", name="Определить моё местоположение").click()
    page.wait_for_url(re.compile(r"/ru/find/\?lat=51\.12800&lon=71\.43000$"))
    # then the constituency deputy comes first, before the chair
    cards = page.locator(".result .person-card .person-name")
    assert cards.all_inner_texts()[:2] == ["Айгерим Тестова", "Серик Чаиров"]
    assert _fits_the_width(page, viewport["width"])
    shot(page, f"find-result-ru-{device}")
    # when the deputy's link is followed, her page opens
    page.get_by_role("link", name="Айгерим Тестова").first.click()
    page.wait_for_url(f"{live_server.url}/ru/people/{deputy.pk}/")
    assert page.locator("h1").inner_text().startswith("Айгерим Тестова")
    assert _fits_the_width(page, viewport["width"])
    shot(page, f"deputy-ru-{device}")
    # and the language switch shows the same page in Kazakh
    page.locator(".lang-switch a[hreflang=kk]").click()  # "Қаз" on a phone, "Қазақша" wider
    page.wait_for_url(f"{live_server.url}/kk/people/{deputy.pk}/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text().startswith("Айгерім Тестова")
    assert page.locator(".lang-switch a[aria-current]").get_attribute("title") == "Қазақша"
    shot(page, f"deputy-kk-{device}")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_click_on_the_map_finds_the_deputies_there(live_server, browser, shot, astana):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(f"{live_server.url}/en/find/")
    # when the citizen clicks the middle of Astana's shape on the country map
    box = page.locator('#find-map a[data-key="KZ-71"] path').bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # then the click is turned back into coordinates inside Astana and looked up
    page.wait_for_url(re.compile(r"/en/find/\?lat=5[01]\.\d{5}&lon=7[01]\.\d{5}$"))
    page.get_by_text("Aigerim Testova").first.wait_for()
    assert page.locator(".result svg.map circle.marker").count() == 1
    shot(page, "find-map-click-en-desktop")
    # and a region link activated from the keyboard opens the region's page instead
    page.goto(f"{live_server.url}/en/find/")
    page.locator('#find-map a[data-key="KZ-71"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/en/areas/KZ-71/")
    assert page.locator("h1").inner_text() == "Astana"
    shot(page, "region-en-desktop")
    page.close()


@pytest.mark.django_db(transaction=True)
def test_body_page_on_a_phone_fits_the_screen(live_server, browser, shot, astana):
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(f"{live_server.url}/ru/bodies/{astana['maslikhat'].pk}/")
    assert page.locator("h1").inner_text() == "Маслихат города Астаны"
    assert _fits_the_width(page, VIEWPORTS["phone"]["width"])
    shot(page, "body-ru-phone")
    page.close()
