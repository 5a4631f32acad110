"""API tokens: the per-account limit shared with the web login, the second factor, expiry and
revocation (endpoint, password change, deactivation, logout)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from maslikhat.core.models import ActionLog, ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _post_token(
    username: str, password: str, code: str = "", addr: str = "127.0.0.1", client: Any = None
) -> Any:
    body = {"username": username, "password": password, "code": code}
    return (client or Client()).post(TOKEN, body, content_type="application/json", REMOTE_ADDR=addr)


def _inbox(token: str) -> int:
    return Client().get("/api/v1/inbox", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def _totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def _activate_totp(user: Any) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# ------------------------------------------------------------------ the per-account limit


def test_failures_on_one_account_from_many_addresses_refuse_even_the_right_password() -> None:
    # given five wrong passwords for one account, each from another address
    UserFactory(username="clerk")
    for i in range(5):
        assert _post_token("clerk", "wrong", addr=f"10.0.0.{i + 1}").status_code == 401
    # when the right password comes from a sixth address
    response = _post_token("clerk", "test-password", addr="10.0.0.99")
    # then it is refused for a while, with when to retry, and no token exists
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 300
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert ApiToken.objects.count() == 0


def test_the_right_password_works_again_after_the_window(monkeypatch: Any) -> None:
    UserFactory(username="clerk")
    for i in range(5):
        _post_token("clerk", "wrong", addr=f"10.0.0.{i + 1}")
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    assert _post_token("clerk", "test-password", addr="10.0.1.1").status_code == 200


def test_another_account_is_not_limited_by_its_neighbours_failures() -> None:
    UserFactory(username="clerk")
    UserFactory(username="other")
    for i in range(5):
        _post_token("clerk", "wrong", addr=f"10.0.0.{i + 1}")
    assert _post_token("other", "test-password", addr="10.0.0.50").status_code == 200


def test_the_web_login_and_the_api_share_one_failure_counter() -> None:
    # given five failed web logins of one account
    UserFactory(username="clerk")
    for i in range(5):
        Client().post(
            "/en/accounts/login/", {"login": "clerk", "password": "wrong"}, REMOTE_ADDR=f"10.1.0.{i + 1}"
        )
    # then the API refuses a token with the right password
    assert _post_token("clerk", "test-password", addr="10.1.0.99").status_code == 429
    # and the other way round: API failures lock the web login of another account
    UserFactory(username="scribe")
    for i in range(5):
        _post_token("scribe", "wrong", addr=f"10.2.0.{i + 1}")
    web = Client().post(
        "/en/accounts/login/", {"login": "scribe", "password": "test-password"}, REMOTE_ADDR="10.2.0.9"
    )
    assert web.status_code == 200  # the form again, not a redirect into the site
    assert "_auth_user_id" not in web.client.session


def test_a_successful_login_does_not_count_as_a_failure() -> None:
    UserFactory(username="clerk")
    for _ in range(8):
        assert _post_token("clerk", "test-password").status_code == 200


# ------------------------------------------------------------------ the second factor


def test_a_role_holder_gets_a_token_only_with_a_valid_totp_code(
    astana: dict[str, Any], settings: Any
) -> None:
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    user = astana["staff_user"]
    # without a second factor set up: 403 second_factor_required
    refused = _post_token(user.username, "test-password")
    assert (refused.status_code, refused.json()["code"]) == (403, "second_factor_required")
    secret = _activate_totp(user)
    # with one: no code or a wrong code is refused
    for code in ("", "000000x", "123456" if _totp_code(secret) != "123456" else "654321"):
        response = _post_token(user.username, "test-password", code=code)
        assert (response.status_code, response.json()["code"]) == (401, "second_factor_invalid")
    assert ApiToken.objects.count() == 0
    # a valid code earns a token, once
    code = _totp_code(secret)
    ok = _post_token(user.username, "test-password", code=code)
    assert ok.status_code == 200
    assert _inbox(ok.json()["token"]) == 200
    again = _post_token(user.username, "test-password", code=code)
    assert (again.status_code, again.json()["code"]) == (401, "second_factor_invalid")
    token = ApiToken.objects.get()
    assert token.with_second_factor is True


def test_wrong_codes_count_against_the_account_limit(astana: dict[str, Any], settings: Any) -> None:
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    user = astana["staff_user"]
    _activate_totp(user)
    for i in range(5):
        assert (
            _post_token(user.username, "test-password", code="999999x", addr=f"10.3.0.{i}").status_code == 401
        )
    assert _post_token(user.username, "test-password", code="111111", addr="10.3.0.99").status_code == 429


def test_is_staff_alone_needs_no_code_and_a_role_without_is_staff_does(
    astana: dict[str, Any], settings: Any
) -> None:
    from tests.factories import MembershipFactory, PersonFactory

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    UserFactory(username="flagged", is_staff=True)  # no membership: no role
    assert _post_token("flagged", "test-password").status_code == 200
    deputy_user = UserFactory(username="deputy-no-flag", is_staff=False)
    MembershipFactory(person=PersonFactory(user=deputy_user), organization=astana["maslikhat"])
    assert _post_token("deputy-no-flag", "test-password").json()["code"] == "second_factor_required"


def test_a_token_issued_without_a_code_stops_working_once_the_account_needs_one(
    astana: dict[str, Any], settings: Any
) -> None:
    key = _post_token(astana["staff_user"].username, "test-password").json()["token"]
    assert _inbox(key) == 200
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    assert _inbox(key) == 401


def test_an_api_session_of_a_role_holder_without_totp_counts_as_anonymous(
    astana: dict[str, Any], settings: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from maslikhat.core.middleware import StaffSecondFactorMiddleware

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    seen: list[Any] = []

    def view(request: Any) -> HttpResponse:
        seen.append(request.user)
        return HttpResponse()

    middleware = StaffSecondFactorMiddleware(view)
    for path in ("/api/v1/council/meetings", "/en/council/"):
        request = RequestFactory().get(path)
        request.user = astana["staff_user"]
        middleware(request)
    assert isinstance(seen[0], AnonymousUser)
    assert seen[1] == astana["staff_user"]


def test_the_admin_login_form_is_the_site_login_with_its_second_factor(astana: dict[str, Any]) -> None:
    client = Client()
    page = client.get("/en/admin/login/?next=/en/admin/appeals/appeal/")
    assert page.status_code == 302
    assert page["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2Fappeals%2Fappeal%2F"
    # a password posted to the admin's own form logs nobody in
    client.post("/en/admin/login/", {"username": astana["staff_user"].username, "password": "test-password"})
    assert "_auth_user_id" not in client.session
    assert client.get("/en/admin/login/?next=https://evil.example/")["Location"] == (
        "/en/accounts/login/?next=%2Fen%2Fadmin%2F"
    )


# ------------------------------------------------------------------ lifetime and revocation


def test_a_token_never_outlives_its_lifetime(astana: dict[str, Any]) -> None:
    key = _post_token(astana["staff_user"].username, "test-password").json()["token"]
    token = ApiToken.objects.get()
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _inbox(key) == 401


def test_issue_and_revoke_write_action_log_rows_and_revoke_ends_the_token(astana: dict[str, Any]) -> None:
    user = astana["staff_user"]
    key = _post_token(user.username, "test-password").json()["token"]
    other = _post_token(user.username, "test-password").json()["token"]
    assert ActionLog.objects.filter(event="core.api_token_issued", actor=user).count() == 2
    # when the holder revokes the token it presents
    response = Client().post("/api/v1/auth/token/revoke", HTTP_AUTHORIZATION=f"Bearer {key}")
    # then that token is gone, the other one still works, and the revocation is logged
    assert (response.status_code, response.json()) == (200, {"revoked": True})
    assert _inbox(key) == 401
    assert _inbox(other) == 200
    row = ActionLog.objects.get(event="core.api_token_revoked")
    assert row.data["reason"] == "revoked" and len(row.data["token_ids"]) == 1
    again = Client().post("/api/v1/auth/token/revoke", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert again.status_code == 401
    assert Client().post("/api/v1/auth/token/revoke").status_code == 401


def test_a_password_change_on_the_site_revokes_every_token(astana: dict[str, Any]) -> None:
    user = astana["staff_user"]
    key = _post_token(user.username, "test-password").json()["token"]
    client = Client()
    client.force_login(user)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "test-password",
            "password1": "a-new-Passphrase-42",
            "password2": "a-new-Passphrase-42",
        },
    )
    assert response.status_code == 302
    assert _inbox(key) == 401
    assert ApiToken.objects.get().revoked_reason == "password_changed"
    assert ActionLog.objects.filter(event="core.api_token_revoked").count() == 1


def test_a_password_changed_any_other_way_voids_the_tokens_at_use(astana: dict[str, Any]) -> None:
    user = astana["staff_user"]
    key = _post_token(user.username, "test-password").json()["token"]
    user.set_password("changed-in-a-shell-42")
    user.save()
    assert _inbox(key) == 401


def test_the_back_office_password_change_and_deactivation_revoke_tokens(astana: dict[str, Any]) -> None:
    user = astana["staff_user"]
    admin: Any = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    # the admin's password form
    key = _post_token(user.username, "test-password").json()["token"]
    response = client.post(
        f"/en/admin/core/user/{user.pk}/password/",
        {
            "password1": "another-Passphrase-42",
            "password2": "another-Passphrase-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_reason == "password_changed"
    # deactivation in the user's change form
    key = _post_token(user.username, "another-Passphrase-42").json()["token"]
    page = client.get(f"/en/admin/core/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "is_active": "",
            "groups": [],
            "user_permissions": [],
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    data = {k: v for k, v in data.items() if k not in ("date_joined", "last_login", "is_active")}
    response = client.post(f"/en/admin/core/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_active is False
    assert _inbox(key) == 401
    assert ApiToken.objects.filter(revoked_reason="deactivated").count() == 1


def test_logout_revokes_the_tokens_of_that_session_only(astana: dict[str, Any]) -> None:
    user = astana["staff_user"]
    script_key = _post_token(user.username, "test-password").json()["token"]
    browser = Client()
    browser.force_login(user)
    session_key = _post_token(user.username, "test-password", client=browser).json()["token"]
    assert ApiToken.objects.exclude(session_key="").count() == 1
    # when that session logs out
    assert browser.post("/en/accounts/logout/").status_code == 302
    # then its token is revoked; the script's token (no session) still works
    assert _inbox(session_key) == 401
    assert _inbox(script_key) == 200
    assert ApiToken.objects.get(revoked_at__isnull=False).revoked_reason == "logout"


def test_logging_out_of_the_back_office_revokes_that_sessions_tokens(astana: dict[str, Any]) -> None:
    user = astana["staff_user"]
    browser = Client()
    browser.force_login(user)
    key = _post_token(user.username, "test-password", client=browser).json()["token"]
    browser.post("/en/admin/logout/")
    assert _inbox(key) == 401
