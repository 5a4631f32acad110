"""What both engines share: the filters, a result row, the WHERE of the filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
# at most this many samples for the counts: each after the first decides a kind at least, so
# this is more than the kinds there are
COUNT_ROUNDS = 32
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
    # (id, kind) of the rows the samples read, in the order read: the words' matches, and the
    # titles found by trigrams (the page's candidates on PostgreSQL, instead of reading again)
    matched: tuple[tuple[int, str], ...] = ()
    by_trigram: tuple[tuple[int, str], ...] = ()


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


# (id, kind, object id, found by trigrams) of matching rows: with `kinds` None, the first
# `limit` matches; with kinds, the first `limit` of those kinds, or (PostgreSQL) the first
# COUNT_ROWS of each of them (limit is COUNT_ROWS times their number: a sample is full only when
# every kind filled its share); with `trigram`, also up to COUNT_ROWS titles found by trigrams
# when the words find fewer than TRIGRAM_WHEN_FEWER rows (in the same statement)
Sample = Callable[[tuple[str, ...] | None, int, bool], Sequence[tuple[int, str, int, bool]]]


def bounded_counts(sample: Sample, known: Sequence[str], *, trigram: bool = False) -> Counts:
    """Objects per kind, exact up to COUNT_CAP, from a few samples of the matches whatever their
    number: a sample of COUNT_ROWS rows per kind still undecided; when it is not full it holds
    every match of those kinds (their counts are exact), otherwise the kinds with COUNT_ROWS rows
    in it (by pigeonhole, one at least) are capped and the others sampled again, alone. A common
    word: one or two samples; a rarer one: one statement. `trigram`: the query can be looked up
    by trigrams (the first sample adds them when the words find few)."""
    pending = tuple(known)
    by_kind: dict[str, int] = {}
    capped: set[str] = set()
    used_trigrams = False
    matched: dict[int, str] = {}
    by_trigram: dict[int, str] = {}
    round_ = 0
    while pending:
        limit = COUNT_ROWS * len(pending)
        rows = list(sample(None if round_ == 0 else pending, limit, trigram and round_ == 0))
        words_found = sum(1 for row in rows if not row[3])
        full = words_found >= limit
        if round_ == 0 and trigram and words_found < TRIGRAM_WHEN_FEWER:
            used_trigrams = True
        found: dict[str, set[int]] = {}
        read: dict[str, int] = {}
        for row_id, kind, object_id, trigram_row in rows:
            (by_trigram if trigram_row else matched).setdefault(row_id, kind)
            found.setdefault(kind, set()).add(object_id)
            read[kind] = read.get(kind, 0) + 1
        undecided = []
        for kind in pending:
            objects = len(found.get(kind, ()))
            if objects > COUNT_CAP or read.get(kind, 0) >= COUNT_ROWS:
                by_kind[kind] = COUNT_CAP
                capped.add(kind)
            elif full:
                undecided.append(kind)
            elif objects:
                by_kind[kind] = objects
        round_ += 1
        # a full sample of only these kinds decides one of them at least (pigeonhole); the first
        # one, of every kind, may not (rows of a kind no longer registered): sampled again
        if len(undecided) == len(pending) and round_ > 1 or round_ >= COUNT_ROUNDS:
            for kind in undecided:  # never reached with COUNT_ROUNDS above the kinds' number
                by_kind[kind] = COUNT_CAP
                capped.add(kind)
            break
        pending = tuple(undecided)
    ordered = {k: by_kind[k] for k in known if k in by_kind}
    return Counts(
        ordered,
        frozenset(capped),
        trigram=used_trigrams,
        matched=tuple(matched.items()),
        by_trigram=tuple(by_trigram.items()),
    )
