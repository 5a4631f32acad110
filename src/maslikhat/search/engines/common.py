"""What both engines share: the filters, a result row, the WHERE of the filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..query import ParsedQuery

TABLE = "search_searchdocument"
LANGUAGE_BOOST = 1.25
TRIGRAM_MIN = 3  # the shortest word looked up by trigrams

# Bounds that keep one search's cost independent of the index's size:
COUNT_CAP = 100  # a kind's count is exact up to this; above it the page says "100+"
# rows read to count a kind: an object has at most one row per language, so this many rows
# that match are more than COUNT_CAP objects
COUNT_ROWS = 3 * (COUNT_CAP + 1)
TITLE_CANDIDATES = 300  # rows whose title matches, ranked for the page
BODY_CANDIDATES = 100  # rows matching anywhere, ranked with them
TRIGRAM_WHEN_FEWER = 20  # titles are looked up by trigrams only when full text finds fewer rows


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    area_path: str = ""
    body_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Counts:
    """Objects matching per kind (the kinds filter aside); a kind in `capped` has more than its
    number (COUNT_CAP)."""

    by_kind: dict[str, int]
    capped: frozenset[str] = frozenset()
    # the words found fewer than TRIGRAM_WHEN_FEWER rows: titles were looked up by trigrams too,
    # and the page must do the same
    trigram: bool = False


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    object_id: int
    language: str
    score: float


def where_sql(filters: Filters, *, with_kinds: bool) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if with_kinds and filters.kinds:
        clauses.append("d.kind IN (" + ",".join(["%s"] * len(filters.kinds)) + ")")
        params.extend(filters.kinds)
    if filters.area_path:
        clauses.append("d.area_path LIKE %s")
        params.append(filters.area_path + "%")
    if filters.body_id is not None:
        clauses.append("d.organization_id = %s")
        params.append(filters.body_id)
    if filters.date_from is not None:
        clauses.append("d.date >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        clauses.append("d.date <= %s")
        params.append(filters.date_to)
    return "".join(f" AND {c}" for c in clauses), params


def trigram_words(parsed: ParsedQuery) -> list[str]:
    """Words for the trigram match: a single alternative without exclusions, long enough."""
    if len(parsed.groups) != 1 or any(t.negated for t in parsed.groups[0]):
        return []
    words = parsed.words
    return words if words and all(len(w) >= TRIGRAM_MIN for w in words) else []
