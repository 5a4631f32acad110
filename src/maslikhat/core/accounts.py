"""The project's allauth account adapter.

allauth's login rate limits ("login_failed" per address) key on `get_client_ip`; here it is the
project's one answer to "who is the client" (`maslikhat.core.client.client_address`, honouring
`TRUSTED_PROXY_COUNT`), so a forged `X-Forwarded-For` cannot reset the login limit either.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .client import client_address

# The errors allauth's forms raise, in our words (our catalogue translates them; allauth's own
# has no Kazakh). The keys are allauth's; a key allauth adds later falls back to its text.
ACCOUNT_ERRORS = {
    "account_inactive": _("This account is inactive."),
    "cannot_remove_primary_email": _("You cannot remove your primary email address."),
    "duplicate_email": _("This email address is already on your account."),
    "email_password_mismatch": _("The email address or the password is not right."),
    "email_taken": _("An account with this email address already exists."),
    "enter_current_password": _("Type your current password."),
    "incorrect_code": _("The code is not right."),
    "incorrect_password": _("The password is not right."),
    "invalid_or_expired_key": _("The link is not valid or has expired."),
    "invalid_login": _("The sign-in details are not right."),
    "invalid_password_reset": _("The password reset link is not valid."),
    "max_email_addresses": _("You cannot add more than %d email addresses."),
    "too_many_login_attempts": _("Too many failed login attempts. Try again later."),
    "unknown_email": _("No account has this email address."),
    "unverified_primary_email": _("Your primary email address must be confirmed first."),
    "username_blacklisted": _("This username cannot be used: choose another one."),
    "username_password_mismatch": _("The username or the password is not right."),
    "username_taken": _("This username is taken: choose another one."),
    "select_only_one": _("Choose only one."),
    "same_as_current": _("The new value must differ from the current one."),
    "rate_limited": _("Too many requests: wait a little and try again."),
}

MFA_ERRORS = {
    "add_email_blocked": _(
        "An account protected by a second factor cannot add an email address: "
        "turn the second factor off first."
    ),
    "cannot_delete_authenticator": _("The second factor cannot be turned off for this account."),
    "cannot_generate_recovery_codes": _("Recovery codes need the authenticator app to be set up first."),
    "incorrect_code": _("The code is not right."),
    "unverified_email": _("Confirm your email address before you set up a second factor."),
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **ACCOUNT_ERRORS}

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)

    # API tokens (core.tokens) follow the account's credentials and sessions. allauth calls these
    # two hooks from every password change/set/reset form and its logout view: explicit calls,
    # no signals. (A password changed by any other path still voids the tokens at use: each token
    # keeps the session auth hash it was issued under.)

    def set_password(self, user: Any, password: str) -> None:
        from .tokens import RevokeReason, api_tokens_revoke_for_user

        with transaction.atomic():
            super().set_password(user, password)
            api_tokens_revoke_for_user(actor=user, user=user, reason=RevokeReason.PASSWORD_CHANGED)

    def logout(self, request: HttpRequest) -> None:
        from .tokens import api_tokens_revoke_for_session

        api_tokens_revoke_for_session(user=request.user, session_key=request.session.session_key)
        super().logout(request)


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa's adapter with our error texts."""

    error_messages = {**DefaultMFAAdapter.error_messages, **MFA_ERRORS}
