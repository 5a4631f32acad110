"""Tracking links emailed again: anyone types an address, every appeal made with it gets a fresh
private link, all in one email to that address.

How the links are issued (`access`): a resend adds a further link to each appeal and the links
sent before keep working, so someone who knows a citizen's address can send the citizen links
but cannot make theirs stop working. The owner's page (signed in) replaces every link of the
appeal with one new one: that is how a leaked link is revoked.

What the page answers never depends on the address (no one learns whether it has appeals), and
what it sends goes only to the address itself. Limits: `APPEAL_LINKS_LIMIT_PER_HOUR` requests
per client (the page answers 429), and at most `EMAILS_PER_ADDRESS_PER_HOUR` emails to one
address (further requests are answered the same and send nothing), so the form cannot be used
to flood a mailbox or to keep someone's links changing.
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from maslikhat.core.background import after_commit
from maslikhat.core.ratelimit import hit
from maslikhat.core.text import clean_input

from . import selectors
from .access import issue_extra_token, replace_all_tokens
from .models import Appeal

EMAILS_PER_ADDRESS_PER_HOUR = 3
MAX_EMAIL_LENGTH = 254


def normalized_email(value: object) -> str:
    """The address as compared: the text rule, stripped, lower-cased ("" when unusable)."""
    email = clean_input(value).lower()
    return email if 0 < len(email) <= MAX_EMAIL_LENGTH else ""


def _address_key(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]  # no address in the cache keys


def tracking_links_resend(*, email: str, language: str) -> int:
    """Issue fresh tracking tokens for every appeal made with `email` and email the links to it
    (after the commit, in `language`). Returns how many appeals got a new link: for tests and
    logs only, never for the page."""
    email = normalized_email(email)
    if not email:
        return 0
    appeals = selectors.appeals_with_applicant_email(email=email)
    if not appeals:
        return 0
    if not hit(
        "appeal_links_address", _address_key(email), limit=EMAILS_PER_ADDRESS_PER_HOUR, window=3600
    ).allowed:
        return 0
    issued: list[tuple[int, str]] = []
    with transaction.atomic():
        for appeal in appeals:
            issued.append((appeal.pk, issue_extra_token(appeal.pk)))
        after_commit("appeals.links", email, language, issued)
    return len(issued)


def tracking_link_for_owner(*, appeal: Appeal, language: str) -> None:
    """The owner's page: a fresh link for this one appeal, emailed to its applicant's address;
    every earlier link of it stops working."""
    with transaction.atomic():
        token = replace_all_tokens(appeal.pk)
        after_commit("appeals.links", appeal.applicant_email, language, [(appeal.pk, token)])
