"""Council staff prepare and publish an extended meeting with a recommendation; Astana's
maslikhat files its implementation report; the public sees who has reported."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(reference: Any) -> dict[str, Any]:
    from maslikhat.directory.choices import ElectionMethod, PostRole
    from maslikhat.directory.models import Organization
    from maslikhat.directory.reference import SUCCESSOR_COUNCIL_SLUG
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    council_staff = UserFactory(username="council-e2e", is_staff=True, password="council-password-1")
    MembershipFactory(
        person=PersonFactory(user=council_staff),
        organization=Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG),
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
        start_date=date(2026, 7, 1),
    )
    astana_staff = UserFactory(username="astana-e2e", is_staff=True, password="astana-password-1")
    MembershipFactory(
        person=PersonFactory(user=astana_staff),
        organization=Organization.objects.get(slug="kz-71-apparatus"),
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    return {"astana": Organization.objects.get(slug="kz-71-maslikhat")}


def _login(browser: Any, url: str, username: str, password: str, width: int = 1200) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/en/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True)
def test_meeting_published_with_recommendation_and_report_filed(
    live_server: Any, browser: Any, shot: Any, people: dict[str, Any]
) -> None:
    from maslikhat.council.models import Meeting, RecommendationReport

    # council staff prepare an extended meeting
    page = _login(browser, live_server.url, "council-e2e", "council-password-1")
    page.goto(f"{live_server.url}/en/council/")
    page.get_by_role("link", name="Prepare a meeting").click()
    page.fill("#held_on", "2026-12-16")
    page.select_option("#kind", "extended")
    page.fill("#title-en", "Bringing the reforms to every citizen")
    page.fill("#title-kk", "Реформаларды әр азаматқа жеткізу")
    page.fill("#place-en", "Astana")
    page.fill("#agenda", "Reports of the regional maslikhats\nProposals on local self-government")
    page.select_option("#agenda-language", "en")
    page.locator("#create-meeting").click()
    page.wait_for_url("**/council/meetings/*/")
    assert page.locator("h1").inner_text().startswith("Bringing the reforms to every citizen")
    # adopt a recommendation addressed to the regional maslikhats, then publish
    page.locator("#recommend summary").click()
    page.fill("#rec-title-en", "Meet voters in every district every quarter")
    page.fill("#rec-text-en", "Each regional maslikhat organises quarterly meetings with voters.")
    page.fill("#rec-due", "2027-03-31")
    page.locator("input[name=scope][value=regional]").check()
    page.locator("#adopt").click()
    page.wait_for_load_state()
    assert "Meet voters in every district every quarter" in page.content()
    page.locator("#publish").click()
    page.wait_for_load_state()
    shot(page, "council-meeting-staff-desktop")
    meeting = Meeting.objects.get(title_en="Bringing the reforms to every citizen")
    assert meeting.status == "published"
    assert meeting.participants.filter(role="maslikhat_chair").count() == 20

    # Astana's apparatus files its report from its own page, on a phone
    mpage = _login(browser, live_server.url, "astana-e2e", "astana-password-1", width=390)
    mpage.goto(f"{live_server.url}/en/council/mine/")
    mpage.get_by_role("link", name="Meet voters in every district every quarter").click()
    mpage.fill(
        "textarea[name=text]", "Quarterly meetings held in all 4 districts of Astana; 620 residents came."
    )
    mpage.get_by_role("button", name="File the report").click()
    mpage.wait_for_load_state()
    shot(mpage, "council-report-filed-phone")
    report = RecommendationReport.objects.get(body=people["astana"])
    assert report.status == "filed" and report.on_time is True

    # a visitor sees who has reported, in Kazakh
    visitor = browser.new_page(viewport={"width": 390, "height": 900})
    visitor.goto(f"{live_server.url}/kk/council/recommendations/{report.recommendation_id}/")
    assert visitor.locator("#reported-count").inner_text() == "1"
    assert "620 residents came" in visitor.locator("#reports").inner_text()
    shot(visitor, "council-recommendation-kk-phone")
    visitor.close()
    mpage.context.close()
    page.context.close()
