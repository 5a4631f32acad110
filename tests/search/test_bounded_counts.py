"""common.bounded_counts, the counting both engines share, against a fake engine: the counts are
exact up to COUNT_CAP whatever the samples hold, in few samples, each of a bounded size."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from maslikhat.search.engines.common import COUNT_CAP, COUNT_ROWS, TRIGRAM_WHEN_FEWER, bounded_counts

KINDS = ("news", "decision", "deputy", "area")


class Engine:
    """Matching rows (id, kind, object id), read in id order, and the samples asked for."""

    def __init__(self, rows: Sequence[tuple[str, int]], trigram_rows: int = 0) -> None:
        self.rows = [(i, kind, obj) for i, (kind, obj) in enumerate(rows)]
        self.trigram_rows = [(10_000 + i, "news", 5_000 + i) for i in range(trigram_rows)]
        self.asked: list[tuple[tuple[str, ...] | None, int, bool]] = []

    def sample(
        self, kinds: tuple[str, ...] | None, limit: int, trigram: bool
    ) -> list[tuple[int, str, int, bool]]:
        self.asked.append((kinds, limit, trigram))
        out = [(i, k, o, False) for i, k, o in self.rows if kinds is None or k in kinds][:limit]
        if trigram and len(out) < TRIGRAM_WHEN_FEWER:
            out += [(i, k, o, True) for i, k, o in self.trigram_rows[:COUNT_ROWS]]
        return out


def exact(rows: Sequence[tuple[str, int]]) -> dict[str, int]:
    objects: dict[str, set[int]] = {}
    for kind, obj in rows:
        objects.setdefault(kind, set()).add(obj)
    return {k: len(objects[k]) for k in KINDS if k in objects}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(KINDS + ("retired",)), st.integers(0, 3 * COUNT_CAP)),
        max_size=8 * COUNT_ROWS,
    )
)
def test_counts_are_exact_up_to_the_cap_whatever_the_rows(rows: list[tuple[str, int]]) -> None:
    engine = Engine(rows)
    counts = bounded_counts(engine.sample, KINDS)
    truth = exact(rows)
    for kind in KINDS:
        n = truth.get(kind, 0)
        if kind in counts.capped:
            # capped: more than the cap, or a cap's worth of rows (an object has a row per language)
            assert counts.by_kind[kind] == COUNT_CAP
            assert n > COUNT_CAP or sum(1 for k, _ in rows if k == kind) >= COUNT_ROWS
        else:
            assert counts.by_kind.get(kind, 0) == n <= COUNT_CAP
    assert len(engine.asked) <= 1 + len(KINDS)
    assert all(limit <= COUNT_ROWS * len(KINDS) for _, limit, _ in engine.asked)
    assert "retired" not in counts.by_kind


def test_a_rare_word_is_counted_in_one_sample() -> None:
    engine = Engine([("news", 1), ("news", 1), ("deputy", 7)])
    counts = bounded_counts(engine.sample, KINDS)
    assert (counts.by_kind, counts.capped) == ({"news": 1, "deputy": 1}, frozenset())
    assert engine.asked == [(None, COUNT_ROWS * len(KINDS), False)]
    assert [i for i, _ in counts.matched] == [0, 1, 2]


def test_a_common_word_samples_the_rare_kinds_again_alone() -> None:
    rows = [("news", i) for i in range(5 * COUNT_ROWS)] + [("deputy", 1), ("area", 2), ("area", 3)]
    engine = Engine(rows)
    counts = bounded_counts(engine.sample, KINDS)
    assert counts.by_kind == {"news": COUNT_CAP, "deputy": 1, "area": 2}
    assert counts.capped == {"news"}
    assert [kinds for kinds, _, _ in engine.asked] == [None, ("decision", "deputy", "area")]


def test_rows_of_a_kind_no_longer_registered_do_not_stop_the_count() -> None:
    rows = [("retired", i) for i in range(COUNT_ROWS * len(KINDS))] + [("news", 1)]
    engine = Engine(rows)
    counts = bounded_counts(engine.sample, KINDS)
    assert counts.by_kind == {"news": 1} and not counts.capped
    assert [kinds for kinds, _, _ in engine.asked] == [None, KINDS]


def test_trigrams_join_only_when_the_words_find_few() -> None:
    few = Engine([("news", 1)], trigram_rows=3)
    counts = bounded_counts(few.sample, KINDS, trigram=True)
    assert counts.trigram and counts.by_kind == {"news": 4}
    assert [i for i, _ in counts.by_trigram] == [10_000, 10_001, 10_002]
    many = Engine([("news", i) for i in range(TRIGRAM_WHEN_FEWER)], trigram_rows=3)
    counts = bounded_counts(many.sample, KINDS, trigram=True)
    assert not counts.trigram and counts.by_kind == {"news": TRIGRAM_WHEN_FEWER} and not counts.by_trigram
