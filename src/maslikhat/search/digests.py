"""Saved searches in the citizen's digest: the new matches of their saved queries.

A saved search is no follow of an area, a body, a tag or a deputy, so it is a part of the
citizen's own (`maslikhat.core.digests.CitizenDigestSource`): the notifications app puts it in
the one digest the citizen gets per period, their most frequent (daily for a citizen who follows
nothing). For each saved search: the public documents (the index holds nothing else) dated after
the day its last digest covered (`sent_until`; the day before it was saved at first), up to the
day before the digest's period ends, at most `MAX_CATCH_UP_DAYS` back. A document matched by
several of the citizen's searches is listed once, under the first.

Taking a search's matches moves its `sent_until` by compare-and-set, inside the transaction that
records the digest: a digest rolled back takes nothing, and a re-run, or a second worker, finds
the searches already taken and sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.digests import DIGEST_LIMIT, CitizenDigestSource

from .models import SavedSearch
from .query import QueryError

MAX_CATCH_UP_DAYS = 31
NAME = "search.saved"


@dataclass
class SavedMatches:
    """One saved search's new matches in a digest (those another search listed first left out)."""

    saved: SavedSearch
    hits: list[Any] = field(default_factory=list)
    total: int = 0


def new_matches(saved: SavedSearch, until: date) -> Any:
    """The saved search's matches dated after `sent_until` (its creation's eve at first), up to
    `until`, at most MAX_CATCH_UP_DAYS back; a SearchPage."""
    from .selectors import search

    since = saved.sent_until or timezone.localtime(saved.created_at).date() - timedelta(days=1)
    since = max(since, until - timedelta(days=MAX_CATCH_UP_DAYS))
    return search(
        saved.query,
        language=saved.language,
        kinds=saved.kind_list or None,
        area_code=saved.area_code or None,
        date_from=since + timedelta(days=1),
        date_to=until,
        limit=DIGEST_LIMIT,
    )


def citizens() -> Any:
    """The ids of the active citizens with saved searches."""
    return SavedSearch.objects.filter(user__is_active=True).values_list("user_id", flat=True).distinct()


def take(user: Any, end: datetime) -> tuple[int, list[SavedMatches]]:
    """The citizen's new matches up to the local day before `end`, each search marked taken:
    (the distinct matches, per search with something new)."""
    until = timezone.localtime(end).date() - timedelta(days=1)
    seen: set[tuple[str, int]] = set()
    groups: list[SavedMatches] = []
    count = 0
    for saved in SavedSearch.objects.filter(user=user).order_by("created_at", "id"):
        if saved.sent_until is not None and saved.sent_until >= until:
            continue
        # compare-and-set: another run that took this search already leaves nothing to take
        taken = SavedSearch.objects.filter(pk=saved.pk, sent_until=saved.sent_until).update(sent_until=until)
        if not taken:
            continue
        try:
            page = new_matches(saved, until)
        except QueryError:  # an area removed since, say: the search is taken with nothing new
            continue
        hits = [h for h in page.results if (h.kind, h.object_id) not in seen]
        seen.update((h.kind, h.object_id) for h in hits)
        # those beyond the list cannot be told apart from the other searches' matches
        fresh = len(hits) + max(0, page.total - len(page.results))
        if fresh:
            groups.append(SavedMatches(saved, hits, fresh))
            count += fresh
    return count, groups


def stop(user: Any) -> None:
    """The one-click unsubscribe: the citizen's saved searches go."""
    from .services import saved_search_delete

    for saved in SavedSearch.objects.filter(user=user):
        saved_search_delete(user=user, saved=saved)


SOURCES: list[CitizenDigestSource] = [
    CitizenDigestSource(
        name=NAME,
        label=_("Your saved searches"),
        users=citizens,
        take=take,
        stop=stop,
        template="search/digest/saved.txt",
    )
]
