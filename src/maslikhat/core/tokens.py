"""Issue and check API bearer tokens (stored hashed, valid for a limited time)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from .audit import log_action
from .models import ApiToken

TOKEN_LIFETIME = timedelta(days=30)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, username: str, password: str) -> str | None:
    """A new token for valid credentials of an active account; None otherwise."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        return None
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key), expires_at=timezone.now() + TOKEN_LIFETIME)
    log_action(actor=user, event="core.api_token_issued", target=user)
    return key


def api_token_user(key: str) -> Any | None:
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
