"""The registry of scorecard figures: the protocol between the domain apps and the scorecard.

Each domain app declares its figures and the *source* that computes them in its own
`figures.py` and registers them from its `AppConfig.ready` (`register_figures`); the scorecard
app (`maslikhat.scorecard`) reads `SOURCES` and `FIGURES` and never imports a domain. The
registry lives here, in `core`, because a domain app may import only the layers below it.

A source reads a list of bodies and a list of date ranges ("buckets": the period and the
previous one, or the months of a trend) in a fixed number of queries and returns, per bucket,
{body id: {figure key: value}}.

Kept values (`source_values`). A source that names the page-cache families its figures are
read from (`FigureSource.families`: the families its app's writes bump, core/pagecache.py) has
its values kept per (bodies, buckets, day, versions of those families): in this process (a
bounded `BoundedCache`) and in the shared page cache, so a table is computed once per change of
what it shows, in any process. A write bumps its family after commit, so the next reader
computes again; the day is part of the key (figures as of today); `clock_seconds` bounds a
source whose figures also move with the clock within a day (receptions that have begun).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import formats
from django.utils.functional import Promise

# ------------------------------------------------------------------ formatting


def _number(value: float | int | None, decimals: int) -> str:
    if value is None:
        return "—"
    return str(formats.number_format(value, decimals, use_l10n=True, force_grouping=True))


def fmt_count(value: Any) -> str:
    return _number(value, 0)


def fmt_one(value: Any) -> str:
    return _number(value, 1)


def fmt_pct(value: Any) -> str:
    return "—" if value is None else f"{_number(value, 1)}%"


def fmt_rating(value: Any) -> str:
    return _number(value, 2)


@dataclass(frozen=True)
class Figure:
    """One column of the scorecard. `higher_is_better` None: a volume, ranked by size only."""

    key: str
    label: Promise
    definition: Promise
    unit: str  # "count" | "per_10k" | "pct" | "days" | "rating"
    higher_is_better: bool | None
    formatter: Callable[[Any], str] = fmt_count
    group: Promise | str = ""
    # False for a figure that describes today, not the period (no change column).
    periodic: bool = True

    def format(self, value: Any) -> str:
        return self.formatter(value)

    def format_change(self, value: float | None) -> str:
        if value is None:
            return "—"
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        text = self.formatter(abs(value))
        return sign + (text.removesuffix("%") + " pp" if self.unit == "pct" else text)


# ------------------------------------------------------------------ what a source reads

Bucket = tuple[date, date]  # [start, end)
# body id -> figure key -> value, one dict per bucket
Values = list[dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class Body:
    """What a figure source needs of a maslikhat (no boundary, no text)."""

    id: int
    name: str
    kind: str
    area_code: str
    area_name: str
    population: int | None
    region_code: str


Compute = Callable[[Sequence[Body], Sequence[Bucket], date], Values]
# The bodies' figures added together, month by month: {figure key: [value per month]}
Totals = Callable[[Sequence[Body], Sequence[Bucket]], dict[str, list[Any]]]


@dataclass(frozen=True)
class FigureSource:
    """A domain's contribution: its figures (in column order), the function computing them,
    and optionally a refresh of its caches (run by the scorecard's periodic job) and the
    national monthly totals of some figures (the briefing's trends)."""

    name: str
    figures: tuple[Figure, ...]
    compute: Compute
    refresh: Callable[[date], Any] | None = None
    totals: Totals | None = None
    # The page-cache families whose writes change these figures: kept per their versions
    # (source_values); none: computed every time.
    families: tuple[str, ...] = ()
    # How long kept values stay right with no write, for figures that move with the clock
    # within a day; None: the whole day (the day is part of the key).
    clock_seconds: int | None = None


SOURCES: list[FigureSource] = []
FIGURES: list[Figure] = []


def register_figures(source: FigureSource) -> FigureSource:
    """Add a source and its figures; registering the same name again changes nothing (an
    AppConfig.ready may run more than once)."""
    found = next((s for s in SOURCES if s.name == source.name), None)
    if found is not None:
        return found
    keys = {f.key for f in FIGURES}
    clash = [f.key for f in source.figures if f.key in keys]
    if clash:
        raise ValueError(f"figure keys registered twice: {clash}")
    SOURCES.append(source)
    FIGURES.extend(source.figures)
    return source


def figure_get(key: str | None) -> Figure | None:
    return next((f for f in FIGURES if f.key == key), None)


# ------------------------------------------------------------------ helpers for sources


def empty(buckets: Sequence[Bucket]) -> Values:
    return [{} for _ in buckets]


def bucket_case(field_name: str, buckets: Sequence[Bucket]) -> Case:
    """A CASE giving the index of the bucket a date field falls in."""
    return Case(
        *(
            When(Q(**{f"{field_name}__gte": s, f"{field_name}__lt": e}), then=Value(i))
            for i, (s, e) in enumerate(buckets)
        ),
        output_field=IntegerField(),
    )


def bucket_sql(column: str, buckets: Sequence[Bucket]) -> tuple[str, list[Any]]:
    """The same CASE in SQL, with its parameters."""
    whens = " ".join(f"WHEN {column} >= %s AND {column} < %s THEN {i}" for i in range(len(buckets)))
    params: list[Any] = [d for b in buckets for d in b]
    return f"CASE {whens} END", params


def ids_sql(bodies: Sequence[Body]) -> tuple[str, list[int]]:
    return ", ".join(["%s"] * len(bodies)), [b.id for b in bodies]


def median_from_histogram(hist: dict[int, int]) -> float | None:
    """The median of the values a histogram {value: count} describes, without expanding it."""
    total = sum(hist.values())
    if total == 0:
        return None
    lo_pos, hi_pos = (total - 1) // 2, total // 2
    lo: int | None = None
    seen = 0
    for value, count in sorted(hist.items()):
        if lo is None and lo_pos < seen + count:
            lo = value
        if hi_pos < seen + count:
            return ((lo if lo is not None else value) + value) / 2
        seen += count
    return None  # unreachable: hi_pos < total


# ------------------------------------------------------------------ kept values

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A process's cache of at most `max_entries` values, least recently used out first, with
    an explicit `reset` (tests, benches). Thread-safe."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def reset(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


KEPT_PREFIX = "sc:src:"
# The values kept in this process: key -> (monotonic deadline or None, values)
KEPT: BoundedCache[str, tuple[float | None, Any]] = BoundedCache(512)


def reset_kept() -> None:
    """Forget the values kept in this process (the shared cache is the page cache's: cleared
    with it)."""
    KEPT.reset()


def kept_enabled() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "SCORECARD_KEEP_VALUES", True))


def _ttl(clock_seconds: int | None) -> int:
    from django.conf import settings

    day = int(getattr(settings, "SCORECARD_KEEP_SECONDS", 24 * 3600))
    return min(day, clock_seconds) if clock_seconds is not None else day


def kept_key(name: str, versions: dict[str, str], *parts: Any) -> str:
    digest = hashlib.sha256(repr((name, sorted(versions.items()), parts)).encode()).hexdigest()
    return KEPT_PREFIX + digest[:40]


def kept_many(
    wanted: dict[str, tuple[int | None, Callable[[], Any]]],
    *,
    around: Callable[[Callable[[], None]], None] | None = None,
) -> dict[str, Any]:
    """{key: value} for keys made by `kept_key`, each (clock_seconds, build): from this
    process, else the shared cache (one round trip for all), else built — the misses inside
    `around` (e.g. one transaction) — and kept in both."""
    from maslikhat.core.pagecache import page_cache

    out: dict[str, Any] = {}
    now = time.monotonic()
    missing: list[str] = []
    for key in wanted:
        hit = KEPT.get(key)
        if hit is not None and (hit[0] is None or hit[0] > now):
            out[key] = hit[1]
        else:
            missing.append(key)
    if not missing:
        return out
    shared = page_cache()
    found = shared.get_many(missing)
    for key, value in found.items():
        out[key] = value
        seconds = wanted[key][0]
        KEPT.set(key, (now + seconds if seconds is not None else None, value))
    to_build = [k for k in missing if k not in found]
    if not to_build:
        return out

    def build_all() -> None:
        for key in to_build:
            out[key] = wanted[key][1]()

    if around is None:
        build_all()
    else:
        around(build_all)
    stored: dict[str, Any] = {}
    for key in to_build:
        seconds = wanted[key][0]
        KEPT.set(key, (now + seconds if seconds is not None else None, out[key]))
        stored[key] = out[key]
    by_ttl: dict[int, dict[str, Any]] = {}
    for key, value in stored.items():
        by_ttl.setdefault(_ttl(wanted[key][0]), {})[key] = value
    for ttl, values in by_ttl.items():
        shared.set_many(values, ttl)
    return out


def family_versions(families: Iterable[str]) -> dict[str, str] | None:
    """The page-cache versions of the families (one round trip), or None: nothing is kept."""
    from maslikhat.core.pagecache import versions

    names = sorted(set(families))
    if not names or not kept_enabled():
        return None
    return versions(names)


def source_values(
    sources: Sequence[FigureSource],
    bodies: Sequence[Body],
    buckets: Sequence[Bucket],
    today: date,
    *,
    around: Callable[[Callable[[], None]], None] | None = None,
) -> list[Values]:
    """Each source's values for the bodies and buckets: kept ones when what they are read from
    has not changed (see the module's docstring), the others computed (inside `around`)."""
    current = family_versions(f for s in sources for f in s.families)
    ids = tuple(b.id for b in bodies)
    body_digest = hashlib.sha256(repr([(b.id, b.population) for b in bodies]).encode()).hexdigest()
    wanted: dict[str, tuple[int | None, Callable[[], Any]]] = {}
    keys: list[str | None] = []
    direct: dict[int, Values] = {}
    for source in sources:
        if current is None or not source.families:
            keys.append(None)
            continue
        versions = {f: current[f] for f in source.families}
        key = kept_key(source.name, versions, body_digest, len(ids), tuple(buckets), today)
        keys.append(key)
        wanted[key] = (source.clock_seconds, _builder(source, bodies, buckets, today))
    plain = [i for i, k in enumerate(keys) if k is None]
    kept: dict[str, Any] = {}

    def run(inner: Callable[[], None]) -> None:
        def both() -> None:
            inner()
            for i in plain:
                direct[i] = sources[i].compute(bodies, buckets, today)

        if around is None:
            both()
        else:
            around(both)

    if wanted:
        kept = kept_many(wanted, around=run if plain else around)
    if plain and not direct:
        run(lambda: None)
    return [direct[i] if key is None else kept[key] for i, key in enumerate(keys)]


def _builder(
    source: FigureSource, bodies: Sequence[Body], buckets: Sequence[Bucket], today: date
) -> Callable[[], Any]:
    def build() -> Values:
        return source.compute(bodies, buckets, today)

    return build
