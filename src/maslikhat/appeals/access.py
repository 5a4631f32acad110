"""Which private link opens which appeal: one rule, used by the tracking page, the API and the
follow-up question (`tracking_q`), and the only code that issues or revokes links.

An appeal opens with the token of its registration email (`Appeal.token_hash`) or with any of
its further links (`AppealAccessToken`, issued by `links.tracking_links_resend`). Only SHA-256
digests are stored; a lookup compares digests in the database (the digest of a guess tells
nothing about the stored ones)."""

from __future__ import annotations

import secrets

from django.db.models import Q

from .models import Appeal, AppealAccessToken
from .services import hash_token

MAX_EXTRA_TOKENS = 10
MAX_TOKEN_LENGTH = 100


def tracking_q(token: str, prefix: str = "") -> Q | None:
    """The condition an appeal (or a row whose `prefix` leads to one) meets when `token` opens
    it; None when the token cannot open anything (empty or too long)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        digest = hash_token(token)
    except UnicodeEncodeError:  # a lone surrogate: no link has one
        return None
    return Q(**{f"{prefix}token_hash": digest}) | Q(**{f"{prefix}access_tokens__token_hash": digest})


def issue_extra_token(appeal_id: int) -> str:
    """A further link of the appeal (the earlier ones keep working); keeps the newest
    MAX_EXTRA_TOKENS. Call inside the caller's transaction."""
    token = secrets.token_urlsafe(24)
    AppealAccessToken.objects.create(appeal_id=appeal_id, token_hash=hash_token(token))
    stale = AppealAccessToken.objects.filter(appeal_id=appeal_id).order_by("-created_at", "-id")[
        MAX_EXTRA_TOKENS:
    ]
    AppealAccessToken.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return token


def replace_all_tokens(appeal_id: int) -> str:
    """A new main link; every earlier link of the appeal stops working. Call inside the
    caller's transaction."""
    token = secrets.token_urlsafe(24)
    Appeal.objects.filter(pk=appeal_id).update(token_hash=hash_token(token))
    AppealAccessToken.objects.filter(appeal_id=appeal_id).delete()
    return token
