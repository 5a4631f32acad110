"""One-click unsubscribe tokens: the follow's id and its random nonce, signed with SECRET_KEY."""

from __future__ import annotations

import hmac

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
