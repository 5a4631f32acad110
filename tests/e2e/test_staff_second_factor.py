"""Staff must set up a TOTP second factor before the inbox (when required): a staff member logs
in, is sent to the set-up page, enters a code from the shown secret, and reaches the inbox; the
next login asks for a code."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db(transaction=True)
def test_staff_sets_up_totp_then_logs_in_with_it(
    live_server: Any, browser: Any, shot: Any, astana: dict[str, Any], settings: Any
) -> None:
    from allauth.mfa.models import Authenticator

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    user = astana["staff_user"]
    user.set_password("staff-password-1")
    user.save()
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/inbox/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", "staff-password-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/reauthenticate/" in page.url:  # allauth confirms the password before security changes
        page.fill("input[name=password]", "staff-password-1")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    shot(page, "totp-activate-phone")
    page.fill("input[name=code]", _code(secret))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    page.goto(f"{live_server.url}/en/inbox/")
    assert page.url.endswith("/en/inbox/")
    page.context.clear_cookies()
    # the next login asks for the code
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", "staff-password-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", _code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/inbox/")
    assert page.url.endswith("/en/inbox/")
    page.close()
