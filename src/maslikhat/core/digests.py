"""The registry of digest sources: what each domain adds to the follows' email digests, without
the notifications app importing the domains.

Each domain app declares its `DigestSource`s in its own `digests.py` and registers them from its
`AppConfig.ready` (`register_digest_sources`); `maslikhat.notifications` computes a follow's
`DigestScope` once (the bodies an area or a deputy covers, ...), asks every source that serves
the follow's kind for what became public in the period, and renders one part of the email per
source with something new, in `order`.

A source's `read(scope, since, until)` returns the exact count and the first `DIGEST_LIMIT`
items, in a fixed number of queries whatever the scope holds (two: the count, then the list
when the count is not zero). Items are rendered in the recipient's language: by the source's
own plain-text `template` (given `items`, `site_url`), or, without one, by the generic template
from `item(obj)`, a `DigestItem` built inside the recipient's language.

A source may also tell what is open *now* in a scope (`open_now(scope)`, a draft open for
comment), shown on the follows page.

Windows: a moment (a publication time) is in the period when `since < moment <= until`; a
calendar day (a date a status change records, like the day a draft opens for comment) is in it
when its local midnight is: `since <= midnight < until` (`day_bounds`), so consecutive periods
bounded by midnights share no day and miss none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

# The items listed per part of a digest (the count is exact).
DIGEST_LIMIT = 20

AREA, BODY, TAG, DEPUTY = "area", "body", "tag", "deputy"
KINDS = frozenset({AREA, BODY, TAG, DEPUTY})


@dataclass(frozen=True)
class DigestScope:
    """What a follow covers, computed once per follow by the notifications app.

    `body_ids`: the maslikhats concerned (the body itself; those of an area and of the areas
    inside it; those a deputy sits in now), empty for a tag. `area` is the followed area (a
    `directory.Area`), `deputy_id` the followed deputy, `tag_code` the followed news tag."""

    kind: str
    body_ids: tuple[int, ...] = ()
    area: Any = None
    deputy_id: int | None = None
    tag_code: str | None = None

    @property
    def area_id(self) -> int | None:
        return getattr(self.area, "pk", None)


@dataclass(frozen=True)
class DigestItem:
    """The generic shape of an item: a title, a link (a path on the site or an absolute URL),
    the date it concerns and an optional line of detail."""

    title: str
    url: str = ""
    date: date | datetime | None = None
    detail: str = ""


# (scope, since, until) -> (count, the first DIGEST_LIMIT items)
DigestRead = Callable[[DigestScope, datetime, datetime], tuple[int, list[Any]]]


@dataclass(frozen=True)
class DigestSource:
    name: str  # "<app>.<what>", unique
    label: Promise | str  # the part's heading in the email
    kinds: frozenset[str]  # the follow kinds it serves
    read: DigestRead
    # A plain-text template rendering `items` (the objects `read` returned); or "" with `item`.
    template: str = ""
    item: Callable[[Any], DigestItem] | None = None
    # Within a digest, parts come by order, then in registration (INSTALLED_APPS) order.
    order: int = 100
    # What is open now in a scope (for the follows page), as objects `item` turns into items.
    open_now: Callable[[DigestScope], list[Any]] | None = None
    open_label: Promise | str = ""

    def serves(self, kind: str) -> bool:
        return kind in self.kinds


SOURCES: list[DigestSource] = []


def register_digest_sources(*sources: DigestSource) -> None:
    """Add an app's sources; registering the same one again changes nothing (an AppConfig.ready
    may run more than once), another source under a taken name is an error, and so is a source
    that can render nothing or serves an unknown kind."""
    known = {s.name: s for s in SOURCES}
    clash = sorted(s.name for s in sources if known.get(s.name, s) != s)
    if clash:
        raise ValueError(f"digest sources registered twice: {clash}")
    for s in sources:
        if not s.template and s.item is None:
            raise ValueError(f"digest source {s.name} has neither a template nor an item shape")
        if s.open_now is not None and s.item is None:
            raise ValueError(f"digest source {s.name} tells what is open now but has no item shape")
        if not s.kinds or not s.kinds <= KINDS:
            raise ValueError(f"digest source {s.name} serves unknown follow kinds: {sorted(s.kinds)}")
    SOURCES.extend(s for s in sources if s.name not in known)


def sources_for(kind: str) -> list[DigestSource]:
    found = [s for s in SOURCES if s.serves(kind)]
    return sorted(found, key=lambda s: s.order)  # stable: registration order among equals


def source_get(name: str) -> DigestSource | None:
    return next((s for s in SOURCES if s.name == name), None)


# ------------------------------------------------------------------ helpers for sources


def counted(qs: Any, limit: int = DIGEST_LIMIT) -> tuple[int, list[Any]]:
    """(exact count, first `limit` rows) of a queryset: one query, two when there are rows."""
    n = qs.count()
    return n, (list(qs[:limit]) if n else [])


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).replace(tzinfo=timezone.get_current_timezone())


def day_bounds(since: datetime, until: datetime) -> tuple[date, date]:
    """(first, stop): the local days whose midnight falls in [since, until), as `first <= day <
    stop` (empty when stop <= first)."""
    first = timezone.localtime(since).date()
    if _midnight(first) < since:
        first += timedelta(days=1)
    stop = timezone.localtime(until).date()
    if _midnight(stop) < until:
        stop += timedelta(days=1)
    return first, stop


def in_days(field_name: str, since: datetime, until: datetime) -> dict[str, date]:
    """Filter keywords for a date field in the period (see `day_bounds`)."""
    first, stop = day_bounds(since, until)
    return {f"{field_name}__gte": first, f"{field_name}__lt": stop}


def in_period(field_name: str, since: datetime, until: datetime) -> dict[str, datetime]:
    """Filter keywords for a moment in the period: since < moment <= until."""
    return {f"{field_name}__gt": since, f"{field_name}__lte": until}


@dataclass
class DigestPart:
    """One source's part of one digest."""

    source: DigestSource
    count: int
    items: list[Any] = field(default_factory=list)


def read_parts(scope: DigestScope, since: datetime, until: datetime) -> list[DigestPart]:
    """Every serving source's part (those with nothing new too), in order."""
    return [DigestPart(s, *s.read(scope, since, until)) for s in sources_for(scope.kind)]


def open_now(scope: DigestScope, sources: Sequence[DigestSource] | None = None) -> list[DigestPart]:
    """What is open now in the scope, per source that tells it (parts with items only)."""
    parts = []
    for s in sources if sources is not None else sources_for(scope.kind):
        if s.open_now is None:
            continue
        items = s.open_now(scope)
        if items:
            parts.append(DigestPart(s, len(items), items))
    return parts


# ------------------------------------------------------------------ the citizen's own parts


@dataclass(frozen=True)
class CitizenDigestSource:
    """A part of a citizen's digest that belongs to no follow (the new matches of their saved
    searches): the notifications app adds it to the one digest a citizen gets per period.

    It rides in the citizen's most frequent digest: daily when one of their active follows is
    daily, weekly when all are weekly, daily for a citizen who follows nothing
    (`citizen_frequency`). `users()` tells which citizens have something to read (their ids).
    `take(user, until)` returns the part's (count, items) up to the local day before `until` and
    marks them taken, inside the transaction that records the digest (so a rolled-back digest
    takes nothing and a re-run finds nothing taken twice). `stop(user)` is the one-click
    unsubscribe of the part. `template` renders `items` (given `site_url`)."""

    name: str
    label: Promise | str
    users: Callable[[], Any]
    take: Callable[[Any, datetime], tuple[int, list[Any]]]
    stop: Callable[[Any], None]
    template: str
    order: int = 1000  # after the follows


CITIZEN_SOURCES: list[CitizenDigestSource] = []


def register_citizen_sources(*sources: CitizenDigestSource) -> None:
    """Add an app's citizen parts; the same one again changes nothing, another one under a taken
    name (a follow source's too) is an error."""
    known = {s.name: s for s in CITIZEN_SOURCES}
    follow_names = {s.name for s in SOURCES}
    clash = sorted(s.name for s in sources if known.get(s.name, s) != s or s.name in follow_names)
    if clash:
        raise ValueError(f"digest sources registered twice: {clash}")
    CITIZEN_SOURCES.extend(s for s in sources if s.name not in known)
    CITIZEN_SOURCES.sort(key=lambda s: s.order)


def citizen_frequency(follow_frequencies: Sequence[str]) -> str:
    """The digest a citizen's own parts ride in, given the frequencies of their active follows."""
    return "weekly" if follow_frequencies and "daily" not in follow_frequencies else "daily"
