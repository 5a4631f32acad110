"""The registry of scorecard figures: the protocol between the domain apps and the scorecard.

Each domain app declares its figures and the *source* that computes them in its own
`figures.py` and registers them from its `AppConfig.ready` (`register_figures`); the scorecard
app (`maslikhat.scorecard`) reads `SOURCES` and `FIGURES` and never imports a domain. The
registry lives here, in `core`, because a domain app may import only the layers below it.

A source reads a list of bodies and a list of date ranges ("buckets": the period and the
previous one, or the months of a trend) in a fixed number of queries and returns, per bucket,
{body id: {figure key: value}}.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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
