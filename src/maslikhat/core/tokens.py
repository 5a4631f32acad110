"""API bearer tokens: issued for credentials (and a TOTP code where one is required), stored
hashed, valid for a limited time, revoked on password change, deactivation and logout.

A token is valid at use only when it is not expired (`TOKEN_LIFETIME` from issue, never
extended), not revoked, its account is active, the account's password is the one it was issued
under (its session auth hash, as Django checks sessions: a password changed by any path
invalidates it) and, for an account that must use a second factor, it was issued with one.

Logout: a token issued from a request that carried the same account's logged-in session is
bound to that session (`session_key`) and revoked when that session logs out; a token issued to
a script (no session) is revoked by `POST /api/v1/auth/token/revoke`, a password change,
deactivation or its expiry, not by a web logout elsewhere.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from .audit import log_action
from .errors import DomainError
from .models import ApiToken
from .second_factor import has_totp, needs_second_factor, verify_totp

TOKEN_LIFETIME = timedelta(days=30)
EVENT_ISSUED = "core.api_token_issued"
EVENT_REVOKED = "core.api_token_revoked"
LOGIN_FAILED = {"app": "allauth.account", "action": "login_failed"}


class RevokeReason(models.TextChoices):
    REVOKED = "revoked", _("revoked by its holder")
    LOGOUT = "logout", _("logged out")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    DEACTIVATED = "deactivated", _("account deactivated")


class TokenRefused(DomainError):
    """The credentials do not earn a token; `status` is the HTTP answer."""

    def __init__(self, status: int, code: str, message: Any, **data: Any) -> None:
        super().__init__(code, message, **data)
        self.status = status


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# ------------------------------------------------------------------ issue


@transaction.atomic
def api_token_create(*, user: Any, session_key: str = "", with_second_factor: bool = False) -> str:
    """A new token for an authenticated account; the key is returned once and stored hashed."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(key),
        expires_at=timezone.now() + TOKEN_LIFETIME,
        session_key=session_key or "",
        auth_hash=user.get_session_auth_hash(),
        with_second_factor=with_second_factor,
    )
    log_action(
        actor=user,
        event=EVENT_ISSUED,
        target=user,
        data={
            "token_id": token.pk,
            "expires_at": token.expires_at.isoformat(),
            "second_factor": with_second_factor,
            "session_bound": bool(session_key),
        },
    )
    return key


def _login_key(request: HttpRequest, username: str) -> str:
    """allauth's per-account key of the login-failure limit (the same one its login form uses)."""
    from allauth.account.adapter import get_adapter

    return str(get_adapter(request)._get_login_attempts_cache_key(request, username=username))


def _retry_after(request: HttpRequest, username: str) -> int:
    """Seconds until allauth's login-failure limits let this account and client try again."""
    from allauth.core.internal import ratelimit

    key = _login_key(request, username)
    now, wait = time.time(), 1.0
    for rate in ratelimit.get_rates(**LOGIN_FAILED):
        cache_key = ratelimit.get_cache_key(request, rate=rate, key=key, **LOGIN_FAILED)
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def _rate_limited(request: HttpRequest, username: str) -> TokenRefused:
    retry_after = _retry_after(request, username)
    return TokenRefused(
        429, "rate_limited", _("Too many attempts. Try again later."), retry_after=retry_after
    )


def _authenticate(request: HttpRequest | None, username: str, password: str) -> Any:
    if request is None:
        return authenticate(username=username, password=password)
    from allauth.account.adapter import get_adapter

    try:
        # allauth's own check, so the web login and the API share one failure counter
        # (ACCOUNT_RATE_LIMITS "login_failed": per client address and per account); a refused
        # account is refused with the right password too until the window has passed.
        return get_adapter(request).authenticate(request, username=username, password=password)
    except ValidationError as exc:
        raise _rate_limited(request, username) from exc


def _count_failure(request: HttpRequest | None, username: str) -> None:
    """A wrong second-factor code counts as a failed login of the account."""
    if request is None:
        return
    from allauth.core.internal import ratelimit

    ratelimit.consume(request, key=_login_key(request, username), **LOGIN_FAILED)


def api_token_issue(
    *, username: str, password: str, code: str = "", request: HttpRequest | None = None
) -> str:
    """The API's login: a new token for valid credentials of an active account, plus a valid
    TOTP code when the account must use a second factor. Raises TokenRefused otherwise.

    With `request` (the API endpoint), the password check counts against allauth's login limits;
    without one (management commands, tests) it is a plain check."""
    user = _authenticate(request, username, password)
    if user is None or not user.is_active:
        raise TokenRefused(401, "invalid_credentials", _("Wrong username or password."))
    with_second_factor = False
    if needs_second_factor(user):
        if not has_totp(user):
            raise TokenRefused(
                403,
                "second_factor_required",
                _("Set up a second factor (TOTP) in your account before requesting an API token."),
            )
        if not verify_totp(user, code):
            _count_failure(request, username)
            raise TokenRefused(
                401, "second_factor_invalid", _("A valid code from the authenticator app is required.")
            )
        with_second_factor = True
    session_key = ""
    if request is not None and getattr(request, "session", None) is not None:
        session_user = getattr(request, "user", None)
        if getattr(session_user, "pk", None) == user.pk and request.session.session_key:
            session_key = request.session.session_key
    return api_token_create(user=user, session_key=session_key, with_second_factor=with_second_factor)


# ------------------------------------------------------------------ use


def _valid_token(key: str) -> ApiToken | None:
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), expires_at__gt=timezone.now(), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not constant_time_compare(token.auth_hash, token.user.get_session_auth_hash()):
        return None  # the password changed since the token was issued
    if needs_second_factor(token.user) and not token.with_second_factor:
        return None  # issued before the account needed a second factor
    return token


def api_token_user(key: str) -> Any | None:
    """The account of a valid token, or None."""
    token = _valid_token(key)
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


# ------------------------------------------------------------------ revoke


def _revoke(*, actor: Any, user: Any, tokens: Any, reason: str) -> int:
    ids = list(tokens.filter(revoked_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now(), revoked_reason=reason)
    log_action(actor=actor, event=EVENT_REVOKED, target=user, data={"token_ids": ids, "reason": reason})
    return len(ids)


@transaction.atomic
def api_token_revoke(*, key: str) -> bool:
    """Revoke the presented token (its holder logs the API out). False when it is not valid."""
    token = _valid_token(key)
    if token is None:
        return False
    return bool(
        _revoke(
            actor=token.user,
            user=token.user,
            tokens=ApiToken.objects.filter(pk=token.pk),
            reason=RevokeReason.REVOKED,
        )
    )


@transaction.atomic
def api_tokens_revoke_for_user(*, actor: Any, user: Any, reason: str) -> int:
    """Revoke every token of an account (password changed, account deactivated)."""
    return _revoke(actor=actor, user=user, tokens=ApiToken.objects.filter(user=user), reason=reason)


@transaction.atomic
def api_tokens_revoke_for_session(*, user: Any, session_key: str | None) -> int:
    """Revoke the tokens issued from one logged-in session (it logs out)."""
    if not session_key or not getattr(user, "is_authenticated", False):
        return 0
    return _revoke(
        actor=user,
        user=user,
        tokens=ApiToken.objects.filter(user=user, session_key=session_key),
        reason=RevokeReason.LOGOUT,
    )
