"""The scorecard and its choropleth map render and drill down; a visitor reads the news in
Kazakh (with a visible note where a text exists only in another language)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(reference: Any) -> dict[str, Any]:
    from maslikhat.appeals.services import appeal_answer, appeal_submit
    from maslikhat.directory.models import Organization
    from maslikhat.news import services as news
    from tests.factories import valid_iin

    # transactional tests flush the data migration's topics: put them back
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    astana = Organization.objects.get(slug="kz-71-maslikhat")
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    for body, n in ((astana, 3), (almaty, 2)):
        for i in range(n):
            appeal, _token = appeal_submit(
                actor=None,
                body=body,
                kind="application",
                topic_code="roads",
                text=f"Road repair request {i}",
                language="ru",
                applicant={
                    "full_name": "Айгүл Бекова",
                    "iin": valid_iin(),
                    "address": "Астана",
                    "phone": "+7 701 234 56 78",
                    "email": "a@example.org",
                },
                notify=False,
            )
            if i == 0:
                appeal_answer(actor=None, appeal=appeal, text="Repaired.")
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
