"""The second factor (TOTP) demanded of staff: who must have one, which pages demand it, and
checking a code.

Who must have one is decided by ONE function that knows the roles, named by the setting
`STAFF_SECOND_FACTOR_POLICY` (the directory's `permissions.needs_second_factor`): `core` names no
app above it. Which pages are staff pages is the setting `STAFF_PAGES` (URL names, `fnmatch`
patterns such as "admin:*"); the authorization matrix checks every URL pattern against it.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from django.conf import settings
from django.urls import ResolverMatch
from django.utils.module_loading import import_string


def needs_second_factor(user: Any) -> bool:
    """True when the account must use a second factor (the setting is on and it holds a role)."""
    if not settings.STAFF_SECOND_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    policy = import_string(settings.STAFF_SECOND_FACTOR_POLICY)
    return bool(policy(user))


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_missing(user: Any) -> bool:
    """The account must use a second factor and has none set up."""
    return needs_second_factor(user) and not has_totp(user)


def verify_totp(user: Any, code: str) -> bool:
    """Whether `code` is a valid, not yet used TOTP code of the account (allauth's check: the
    tolerance window, and each code accepted once)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    code = (code or "").strip()
    if not code or len(code) > 16:
        return False
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code)


def is_staff_page(match: ResolverMatch | None) -> bool:
    """Whether the resolved page is a staff page (settings.STAFF_PAGES)."""
    if match is None:
        return False
    name = match.view_name
    return any(fnmatchcase(name, pattern) for pattern in settings.STAFF_PAGES)
