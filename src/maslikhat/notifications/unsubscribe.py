"""One-click unsubscribe tokens: the follow's id and its random nonce, signed with SECRET_KEY;
for a digest of several parts, the citizen, each follow with its nonce and the citizen's own
parts it carried."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing

from .models import Follow

SALT = "maslikhat.notifications.unsubscribe"


def unsubscribe_token(follow: Follow) -> str:
    return signing.dumps([follow.pk, follow.token_nonce], salt=SALT, compress=False)


def follow_for_token(token: str) -> Follow | None:
    """The follow the token was made for, or None when the token is forged or malformed."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return None
    follow = Follow.objects.select_related("user").filter(pk=pk).first()
    if follow is None or not hmac.compare_digest(follow.token_nonce, nonce):
        return None
    return follow


DIGEST_SALT = "maslikhat.notifications.unsubscribe.digest"


def digest_unsubscribe_token(user: Any, follows: Sequence[Follow], own: Sequence[str]) -> str:
    """The one-click unsubscribe of a digest of several parts: the citizen, each follow with its
    nonce, and the names of the citizen's own parts (saved searches) it carried."""
    return signing.dumps(
        [user.pk, [[f.pk, f.token_nonce] for f in follows], list(own)], salt=DIGEST_SALT, compress=True
    )


@dataclass
class DigestUnsubscribe:
    user: Any
    follows: list[Follow]  # those the token still names (nonce unchanged), active or not
    own: list[str]


def digest_for_token(token: str) -> DigestUnsubscribe | None:
    """What a digest's token unsubscribes from, or None when it is forged or malformed."""
    try:
        user_id, pairs, own = signing.loads(token, salt=DIGEST_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    try:
        nonces = {int(pk): str(nonce) for pk, nonce in pairs}
    except (TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(own, list):
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    follows = [
        f
        for f in Follow.objects.filter(user_id=user_id, pk__in=list(nonces)).order_by("id")
        if hmac.compare_digest(f.token_nonce, nonces[f.pk])
    ]
    return DigestUnsubscribe(user, follows, [str(name) for name in own])
