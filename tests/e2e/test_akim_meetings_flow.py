"""On a phone, in Kazakh: the maslikhat's apparatus (signed in with their second factor) goes from
the maslikhat's page to the akims' meetings form and puts the akim's reporting meeting on the
calendar; a resident sees it on their area's page beside the deputy's report to voters, opens
the area's calendar, and the calendar file parses with the meeting's time in UTC."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
STAFF_PASSWORD = "astana-staff-password-2"


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db(transaction=True)
def test_the_apparatus_announces_an_akims_meeting_and_a_resident_finds_it(
    live_server: Any, browser: Any, shot: Any, astana: dict[str, Any], settings: Any
) -> None:
    import urllib.request

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from icalendar import Calendar

    from maslikhat.deputies import services
    from maslikhat.deputies.models import AkimMeeting

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    staff_user = astana["staff_user"]
    staff_user.set_password(STAFF_PASSWORD)
    staff_user.save()
    secret = generate_totp_secret()
    TOTP.activate(staff_user, secret)
    body = astana["maslikhat"]
    area = body.area
    services.report_announce(
        actor=staff_user,
        deputy=astana["deputy"],
        meeting_at=timezone.now() + timedelta(days=2),
        place="Мәдениет үйі",
    )
    url = live_server.url
    day = (timezone.localdate() + timedelta(days=6)).isoformat()

    staff_context = browser.new_context(viewport=PHONE, locale="kk-KZ", is_mobile=True, has_touch=True)
    staff = staff_context.new_page()
    staff.goto(f"{url}/kk/accounts/login/")
    staff.fill("input[name=login]", staff_user.username)
    staff.fill("input[name=password]", STAFF_PASSWORD)
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_load_state()
    assert "/accounts/2fa/authenticate/" in staff.url, staff.url
    staff.fill("input[name=code]", _code(secret))
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_load_state()
    staff.goto(f"{url}/kk/bodies/{body.pk}/")
    staff.locator(f"a[href='/kk/deputies/bodies/{body.pk}/akim-meetings/']").click()
    staff.wait_for_load_state()
    assert staff.url.endswith(f"/deputies/bodies/{body.pk}/akim-meetings/"), staff.url
    staff.select_option("#area", str(area.pk))
    staff.fill("#akim_name", "Асқар Әкімов")
    staff.fill("#topic", "Қаланың 2027 жылғы бюджеті")
    staff.fill("#meeting_date", day)
    staff.fill("#meeting_time", "18:30")
    staff.fill("#place", "Тәуелсіздік сарайы")
    shot(staff, "akim-meeting-form-phone-kk")
    staff.locator("form button.primary").click()
    staff.wait_for_load_state()
    meeting = AkimMeeting.objects.get()
    assert staff.url.endswith(f"/deputies/akim-meetings/{meeting.pk}/"), staff.url
    assert "Қаланың 2027 жылғы бюджеті" in staff.content()
    staff_context.close()

    context = browser.new_context(viewport=PHONE, locale="kk-KZ", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{url}/kk/areas/{area.code}/")
    section = page.locator("#area-meetings-h").locator("xpath=..")
    text = section.inner_text()
    assert "Асқар Әкімов" in text and "Мәдениет үйі" in text
    assert text.index("Мәдениет үйі") < text.index("Асқар Әкімов")  # the sooner first
    shot(page, "area-meetings-section-phone-kk")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # nothing wider than the phone
    section.locator(f"a[href='/kk/deputies/areas/{area.code}/calendar/']").click()
    page.wait_for_load_state()
    assert "Тәуелсіздік сарайы" in page.content()
    shot(page, "area-calendar-phone-kk")
    with urllib.request.urlopen(f"{url}/kk/deputies/areas/{area.code}/calendar.ics") as r:  # noqa: S310
        ics = r.read()
    events = {str(e["uid"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    event = events[f"akim-meeting-{meeting.pk}@maslikhat"]
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and start.astimezone(UTC) == meeting.meeting_at.astimezone(UTC)
    context.close()
