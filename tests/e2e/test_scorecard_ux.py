"""The scorecard as a journalist and a phone user see it: the synthetic-data banner, the period
picker, ranks without sorting, the map's labels and the three cities, the sticky name column on
a phone; axe-core finds no serious violation on the scorecard pages in kk, ru and en."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.appeals_data import restore_topics, roads_appeals
from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(reference: Any) -> dict[str, Any]:
    from maslikhat.directory.models import Area, Organization

    restore_topics()
    astana = Organization.objects.get(slug="kz-71-maslikhat")
    roads_appeals(astana, 3)
    # the database holds a synthetic record: every scorecard page must say so
    Area.objects.filter(code="KZ-62").update(is_demo=True)
    return {"astana": astana}


def _serious(page: Any) -> list[Any]:
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in serious_violations(page)]


@pytest.mark.django_db(transaction=True)
def test_a_phone_reader_picks_a_period_and_reads_the_table(
    live_server: Any, browser: Any, shot: Any, data: dict[str, Any]
) -> None:
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    phone.goto(f"{live_server.url}/kk/scorecard/")
    assert phone.locator(".synthetic-banner").is_visible()
    # the period is picked from a list, not typed
    from django.utils import timezone

    today = timezone.localdate()  # the appeals were received today: pick today's quarter
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert phone.locator("select[name=period]").input_value() == str(today.year)
    phone.locator("select[name=period]").select_option(quarter)
    phone.locator(".scorecard-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert f"period={quarter}" in phone.url
    assert phone.locator("select[name=period]").input_value() == quarter
    # every row has a rank before any sorting; the page does not scroll sideways
    ranks = phone.locator("td.sc-rank").all_inner_texts()
    assert len(ranks) == 20 and any(r.strip().isdigit() for r in ranks)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # the map names its regions and shows the three cities as markers
    assert phone.locator("svg.scorecard-map text.map-label").count() == 20
    assert phone.locator("svg.scorecard-map circle.city-marker").count() == 3
    marker = phone.locator('svg.scorecard-map a[data-key="KZ-79"] circle.city-marker').bounding_box()
    assert marker is not None and marker["width"] >= 8  # big enough to tap on a phone
    # scrolling the table sideways keeps the maslikhat's name in view
    scroller = phone.locator(".scorecard-scroll")
    scroller.evaluate("el => el.scrollLeft = 600")
    name = phone.locator("tbody th.sc-name").first.bounding_box()
    box = scroller.bounding_box()
    assert name is not None and box is not None and name["x"] >= box["x"] - 1 and name["x"] < 120
    shot(phone, "scorecard-ux-kk-phone")
    phone.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_scorecard_pages_have_no_serious_violations(
    live_server: Any, browser: Any, shot: Any, data: dict[str, Any], lang: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    problems = {}
    for path in (
        f"/{lang}/scorecard/",
        f"/{lang}/scorecard/?level=district&region=KZ-61",
        f"/{lang}/scorecard/region/KZ-61/",
        f"/{lang}/scorecard/body/{data['astana'].pk}/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert page.locator(".synthetic-banner").count() == 1, path
        found = _serious(page)
        if found:
            problems[path] = found
    shot(page, f"scorecard-ux-{lang}-desktop")
    page.close()
    assert problems == {}
