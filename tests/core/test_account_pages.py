"""The account pages (allauth) in the site's layout and words: our templates, our labels, our
errors and messages; every page renders in kk, ru and en, and none shows allauth's own texts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

# Texts of allauth's own templates, forms and messages that our pages replace (in English and
# as allauth's Russian catalogue says them): none may be left on any account page.
from tests.core.allauth_texts import ALLAUTH_TEXTS

PAGES_ANONYMOUS = [
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/password/reset/",
    "/{lang}/tracking-links/",
    # pages without a form: a notice
    "/{lang}/accounts/password/reset/done/",
    "/{lang}/accounts/password/reset/key/1-bad-key/",
    "/{lang}/accounts/confirm-email/bad-key/",
]
WITHOUT_FORM = ("done/", "bad-key/")
PAGES_SIGNED_IN = [
    "/{lang}/accounts/logout/",
    "/{lang}/accounts/password/change/",
    "/{lang}/accounts/email/",
    "/{lang}/accounts/2fa/",
    "/{lang}/accounts/2fa/totp/activate/",
    "/{lang}/accounts/reauthenticate/",
    "/{lang}/my-appeals/",
]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _main(html: str) -> str:
    """The page's own part (the header has a search box of its own)."""
    return html[html.index("<main") : html.index("</main>")]


def _leftovers(html: str) -> list[str]:
    html = _main(html)
    text = _visible_text(html)
    placeholders = re.findall(r'placeholder="([^"]*)"', html)
    return [t for t in ALLAUTH_TEXTS if t in text] + [f"placeholder={p}" for p in placeholders]


@pytest.fixture
def member(db: Any) -> Any:
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory(username="aigul")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_account_page_is_ours_in_every_language(client: Client, member: Any, lang: str) -> None:
    # given: anonymous pages, then the same visitor signed in (recently: no reauthentication)
    for template in PAGES_ANONYMOUS:
        url = template.format(lang=lang)
        response = client.get(url)
        # then: the page renders in the site's layout and language, with none of allauth's texts
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, url
        assert (
            'class="site-header"' in html
            and 'class="stack-form account-form"' in html
            or url.endswith(WITHOUT_FORM)
        ), url
        assert _leftovers(html) == [], url
    client.post(f"/{lang}/accounts/login/", {"login": "aigul", "password": "test-password"})
    for template in PAGES_SIGNED_IN:
        url = template.format(lang=lang)
        response = client.get(url, follow=True)  # set-up pages may ask for the password again
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="site-header"' in html, url
        assert _leftovers(html) == [], url


@pytest.mark.django_db
def test_login_form_has_our_labels_and_no_placeholder(client: Client) -> None:
    html = client.get("/en/accounts/login/").content.decode()
    assert '<label for="id_login">Your username or email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert "Remember me on this device" in html
    assert 'class="stack-form account-form"' in html
    assert "placeholder=" not in _main(html)
    assert 'autocomplete="username"' in html


@pytest.mark.django_db
def test_wrong_password_shows_our_translated_error_and_logs_nobody_in(client: Client, member: Any) -> None:
    response = client.post("/ru/accounts/login/", {"login": "aigul", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "_auth_user_id" not in client.session
    # our msgid (translated by our catalogue), not allauth's "The username and/or password..."
    from maslikhat.core.accounts import ACCOUNT_ERRORS

    with_translation = str(ACCOUNT_ERRORS["username_password_mismatch"])
    assert "and/or" not in html
    assert 'role="alert"' in html
    from django.utils import translation

    with translation.override("ru"):
        assert str(ACCOUNT_ERRORS["username_password_mismatch"]) in html
    assert with_translation  # the English text exists too


@pytest.mark.django_db
def test_login_then_logout_messages_are_ours(client: Client, member: Any) -> None:
    # the site's pages show no messages; the account pages do, the first one seen after the event
    client.post("/en/accounts/login/", {"login": "aigul", "password": "test-password"})
    assert "You are logged in as aigul." in client.get("/en/accounts/email/").content.decode()
    client.post("/en/accounts/logout/")
    assert "You are logged out." in client.get("/en/accounts/login/").content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_creates_the_account_with_our_form(client: Client, mailoutbox: list[Any]) -> None:
    from django.contrib.auth import get_user_model

    data = {
        "email": "new@example.org",
        "username": "newcomer",
        "password1": "a-long-pass-phrase-77",
        "password2": "a-long-pass-phrase-77",
    }
    response = client.post("/en/accounts/signup/", data)
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="newcomer").exists()
    # the confirmation email is in our words
    assert mailoutbox and "Confirm your email address" in mailoutbox[0].subject
    assert "Confirm that it is yours" in mailoutbox[0].body


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_is_refused(client: Client) -> None:
    from django.contrib.auth import get_user_model

    data = {
        "email": "x@example.org",
        "username": "x1",
        "password1": "a-long-pass-phrase-77",
        "password2": "other",
    }
    response = client.post("/en/accounts/signup/", data)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="x1").exists()
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_our_email(client: Client, member: Any, mailoutbox: list[Any]) -> None:
    response = client.post("/kk/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "You're receiving this email" not in mailoutbox[0].body


@pytest.mark.django_db
def test_hostile_login_text_is_a_form_error_not_a_500(client: Client) -> None:
    for value in ["\x00", "\u200b\u200b", "a" * 5000, "\u202eadmin"]:
        response = client.post("/en/accounts/login/", {"login": value, "password": "p"})
        # a form error (or the request limits' plain refusal of a body that is not text)
        assert response.status_code in (200, 400), repr(value)
        if response.status_code == 200:
            assert 'role="alert"' in response.content.decode(), repr(value)
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_second_factor_error_is_ours(client: Client, member: Any) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(member, "JBSWY3DPEHPK3PXP")
    assert Authenticator.objects.filter(user=member).exists()
    client.post("/en/accounts/login/", {"login": "aigul", "password": "test-password"})
    response = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The code is not right." in html
    assert "Incorrect code." not in html
    assert _leftovers(html) == []


@pytest.mark.django_db
def test_account_pages_take_few_queries(
    client: Client, member: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get("/en/accounts/email/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/en/accounts/2fa/").status_code == 200


def test_removing_an_address_asks_first_and_says_what_follows(client: Client, member: Any) -> None:
    """The remove button sits behind a disclosure that says what removing changes (no script:
    the page's CSP allows none inline); the confirmed removal then removes the chosen address."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="second@example.org", verified=True, primary=False)
    client.force_login(member)
    html = _main(client.get("/en/accounts/email/").content.decode())
    disclosure = html[html.index('<details class="confirm-remove">') : html.index("</details>")]
    assert 'name="action_remove"' in disclosure
    assert "My appeals" in disclosure
    assert html.count('name="action_remove"') == 1  # no remove button outside it
    response = client.post("/en/accounts/email/", {"email": "second@example.org", "action_remove": ""})
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="second@example.org").exists()
