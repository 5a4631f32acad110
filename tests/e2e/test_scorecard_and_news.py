"""The scorecard and its choropleth map render and drill down; a visitor reads the news in
Kazakh (with a visible note where a text exists only in another language)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.appeals_data import restore_topics, roads_appeals

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(reference: Any) -> dict[str, Any]:
    from maslikhat.directory.models import Organization
    from maslikhat.news import services as news

    restore_topics()
    astana = Organization.objects.get(slug="kz-71-maslikhat")
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    roads_appeals(astana, 3)
    roads_appeals(almaty, 2)
    council = Organization.objects.get(slug="kurultai-council-on-maslikhats")
    news.tag_upsert(
        actor=None, code="reform", name_kk="Жергілікті өзін-өзі басқару реформасы", name_en="Reform"
    )
    kk = news.publication_create(
        actor=None,
        body=council,
        title_kk="Мәслихаттар реформасы: не өзгереді",
        text_kk="Мәслихаттар жергілікті өзін-өзі басқарудың негізгі буыны болады.",
        title_en="The maslikhat reform: what changes",
        text_en="Maslikhats become the key link of local self-government.",
        tag_codes=["reform"],
    )
    news.publication_publish(actor=None, publication=kk)
    ru_only = news.publication_create(
        actor=None,
        body=astana,
        title_ru="Приём граждан депутатами в декабре",
        text_ru="Депутаты проведут приём граждан в каждом округе.",
    )
    news.publication_publish(actor=None, publication=ru_only)
    return {"astana": astana}


@pytest.mark.django_db(transaction=True)
def test_scorecard_table_map_and_drill_down(
    live_server: Any, browser: Any, shot: Any, data: dict[str, Any]
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/en/scorecard/?figure=appeals_received")
    regions = page.locator("svg.scorecard-map a")
    assert regions.count() == 20
    rows = page.locator("table tbody tr")
    assert rows.count() == 20
    astana_row = page.locator("table tbody tr", has_text="Astana City Maslikhat")
    assert "3" in astana_row.inner_text()
    shot(page, "scorecard-desktop")
    page.locator('svg.scorecard-map a[data-key="KZ-71"]').click()
    page.wait_for_load_state()
    assert "Astana" in page.locator("h1").inner_text()
    shot(page, "scorecard-region-desktop")
    phone = browser.new_page(viewport={"width": 360, "height": 800})
    phone.goto(f"{live_server.url}/kk/scorecard/")
    assert phone.locator("svg.scorecard-map a").count() == 20
    # the page itself does not scroll sideways on a phone; the table scrolls in its container
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    shot(phone, "scorecard-kk-phone")
    phone.close()
    page.close()


@pytest.mark.django_db(transaction=True)
def test_visitor_reads_the_news_in_kazakh(
    live_server: Any, browser: Any, shot: Any, data: dict[str, Any]
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{live_server.url}/kk/news/")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert feed.count() >= 1
    page.get_by_role("link", name="Мәслихаттар реформасы: не өзгереді").click()
    page.wait_for_load_state()
    assert "негізгі буыны" in page.locator(".news-text").inner_text()
    shot(page, "news-kk-phone")
    page.goto(f"{live_server.url}/kk/news/")
    page.get_by_role("link", name="Приём граждан депутатами в декабре").click()
    page.wait_for_load_state()
    assert page.locator(".fallback-note").count() == 1
    assert page.locator(".news-text").get_attribute("lang") == "ru"
    shot(page, "news-fallback-kk-phone")
    page.close()
