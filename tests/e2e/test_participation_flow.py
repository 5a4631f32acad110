"""On a phone, in Kazakh, in the demo: a citizen verifies residency of Astana by a code read from
the SMS outbox, supports an initiative and votes for three projects of the city's participatory
budget; the city maslikhat's staff, signed in with their second factor, enter a paper ballot and,
once the vote has closed, count the votes and publish the results."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

PHONE = "+7 701 555 12 34"
PHONE_E164 = "+77015551234"
VIEWPORT = {"width": 360, "height": 740}


def _totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def demo(reference: Any) -> dict[str, Any]:
    from maslikhat.demo.participation_demo import generate_demo_participation
    from maslikhat.participation.models import BudgetProcess, Initiative

    assert generate_demo_participation(seed=1) > 0
    city = BudgetProcess.objects.get(area__code="KZ-71")
    initiative = Initiative.objects.filter(area__code="KZ-71", status="collecting").order_by("pk").first()
    assert initiative is not None
    return {"city": city, "initiative": initiative}


def _sign_in(page: Any, url: str, username: str, password: str, then: str = "") -> None:
    page.goto(f"{url}/kk/accounts/login/" + (f"?next={then}" if then else ""))
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_resident_verifies_supports_votes_and_staff_publish_results(
    live_server: Any, browser: Any, shot: Any, demo: dict[str, Any], settings: Any
) -> None:
    from allauth.mfa.models import Authenticator

    from maslikhat.demo.accounts import DEMO_PASSWORD
    from maslikhat.participation.models import Ballot, BudgetProcess, SmsMessage, Support, Verification

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    url, city, initiative = live_server.url, demo["city"], demo["initiative"]

    # the demo citizen verifies residency of Astana by a code to the phone
    context = browser.new_context(viewport=VIEWPORT, locale="kk-KZ")
    page = context.new_page()
    _sign_in(page, url, "citizen", DEMO_PASSWORD)
    page.goto(f"{url}/kk/participation/verify/?area=KZ-71")
    assert page.locator("html").get_attribute("lang") == "kk"
    shot(page, "participation-verify-phone-kk")
    page.fill("#phone", PHONE)
    page.locator("form:has(#phone) button").click()
    page.wait_for_load_state()
    assert page.locator("#code").is_visible()
    message = SmsMessage.objects.filter(phone=PHONE_E164).order_by("-id").first()
    assert message is not None
    code = re.search(r"\b(\d{6})\b", message.text)
    assert code is not None, message.text
    shot(page, "participation-verify-code-phone-kk")
    page.fill("#code", code.group(1))
    page.locator("form:has(#code) button").click()
    page.wait_for_load_state()
    assert "done=1" in page.url
    assert Verification.objects.filter(
        user__username="citizen", area__code="KZ-71", method="sms_code"
    ).exists()
    shot(page, "participation-verified-phone-kk")

    # supports an initiative of the city
    page.goto(f"{url}/kk/participation/initiatives/{initiative.pk}/")
    before = initiative.online_supports
    page.locator("form[action$='/support/'] button").click()
    page.wait_for_load_state()
    assert Support.objects.filter(initiative=initiative, user__username="citizen").exists()
    initiative.refresh_from_db()
    assert initiative.online_supports == before + 1
    assert page.locator("form[action$='/withdraw/']").is_visible()
    shot(page, "participation-supported-phone-kk")

    # votes for three projects of the city's budget
    page.goto(f"{url}/kk/participation/budgets/{city.pk}/")
    boxes = page.locator("form[action$='/vote/'] input[type=checkbox]")
    assert boxes.count() >= 3
    for i in range(3):
        boxes.nth(i).check()
    shot(page, "participation-vote-phone-kk")
    page.locator("form[action$='/vote/'] button").click()
    page.wait_for_load_state()
    assert "saved=1" in page.url
    ballot = Ballot.objects.get(process=city, user__username="citizen")
    assert ballot.projects.count() == 3
    shot(page, "participation-voted-phone-kk")
    context.close()

    # the city maslikhat's staff sign in with a second factor (set up on first sign-in)
    staff = browser.new_context(viewport=VIEWPORT, locale="kk-KZ")
    page = staff.new_page()
    # (an initiative's page is a staff page: the second factor is set up before it is shown)
    _sign_in(page, url, "staff-kz-71", DEMO_PASSWORD, then=f"/kk/participation/initiatives/{initiative.pk}/")
    if "/accounts/reauthenticate/" in page.url:
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", _totp(secret))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user__username="staff-kz-71").exists()
    shot(page, "participation-staff-initiative-phone-kk")

    # enter a paper ballot for two projects
    papers = Ballot.objects.filter(process=city, paper=True).count()
    page.goto(f"{url}/kk/participation/budgets/{city.pk}/")
    paper = page.locator("form[action$='/paper/'] input[type=checkbox]")
    paper.nth(0).check()
    paper.nth(1).check()
    page.locator("form[action$='/paper/'] button").click()
    page.wait_for_load_state()
    assert Ballot.objects.filter(process=city, paper=True).count() == papers + 1
    assert Ballot.objects.filter(process=city, paper=True).order_by("-id").first().entered_by.username == (
        "staff-kz-71"
    )
    shot(page, "participation-paper-ballot-phone-kk")

    # the voting phase closes; the staff count the votes and publish the results
    today = timezone.localdate()
    BudgetProcess.objects.filter(pk=city.pk).update(
        voting_until=today - timedelta(days=1), tally_until=today + timedelta(days=6)
    )
    page.goto(f"{url}/kk/participation/budgets/{city.pk}/")
    page.locator("form[action$='/tally/'] button").click()
    page.wait_for_load_state()
    city.refresh_from_db()
    assert city.tallied_at is not None
    assert city.voters == Ballot.objects.filter(process=city).count()
    assert page.locator("#results").is_visible()
    assert page.locator("a[href$='results.csv']").is_visible()
    shot(page, "participation-results-phone-kk")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], width  # the results fit the phone
    staff.close()

    # anyone sees the results
    public = browser.new_page(viewport=VIEWPORT)
    public.goto(f"{url}/kk/participation/budgets/{city.pk}/")
    assert public.locator("table tbody tr").count() == city.projects.filter(status="feasible").count()
    public.close()
