"""Saved searches in the digests: the new matches of a citizen's saved queries.

The follows' digests (`maslikhat.core.digests`) are per follow of an area, a body, a tag or a
deputy; a saved search is none of these, so this app sends its own part as one email per
citizen with new matches (the job `search.saved_digests`, daily): for each saved search, the
public documents dated after the day the last digest covered, up to yesterday.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from maslikhat.core.digests import DIGEST_LIMIT, DigestSource
from maslikhat.core.emails import render_subject, render_text

from .models import SavedSearch
from .query import QueryError

logger = logging.getLogger(__name__)

SOURCES: list[DigestSource] = []


def new_matches(saved: SavedSearch, until: date) -> Any:
    """The saved search's matches dated after `sent_until` (its creation day at first), up to
    `until`; a SearchPage."""
    from .selectors import search

    since = saved.sent_until or timezone.localtime(saved.created_at).date() - timedelta(days=1)
    return search(
        saved.query,
        language=saved.language,
        kinds=saved.kind_list or None,
        area_code=saved.area_code or None,
        date_from=since + timedelta(days=1),
        date_to=until,
        limit=DIGEST_LIMIT,
    )


def send_saved_search_digests(now: Any = None) -> int:
    """One email per citizen with new matches of their saved searches; the emails sent."""
    today = timezone.localtime(now or timezone.now()).date()
    until = today - timedelta(days=1)
    by_user: dict[int, list[tuple[SavedSearch, Any]]] = {}
    users: dict[int, Any] = {}
    for saved in SavedSearch.objects.select_related("user").filter(user__is_active=True):
        if saved.sent_until is not None and saved.sent_until >= until:
            continue
        try:
            page = new_matches(saved, until)
        except QueryError:
            page = None
        if page is not None and page.total:
            by_user.setdefault(saved.user_id, []).append((saved, page))
            users[saved.user_id] = saved.user
        SavedSearch.objects.filter(pk=saved.pk).update(sent_until=until)
    sent = 0
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    for user_id, parts in by_user.items():
        user = users[user_id]
        language = parts[0][0].language
        with translation.override(language):
            subject = render_subject("search/email/saved_subject.txt", {"parts": parts})
            body = render_text("search/email/saved.txt", {"parts": parts, "site_url": site, "user": user})
        if not user.email:
            continue
        try:
            EmailMessage(subject, body, None, [user.email]).send()
            sent += 1
        except Exception:
            logger.exception("saved-search digest for user id=%s not sent", user_id)
    return sent
