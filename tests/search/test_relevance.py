"""Relevance of the public search on the demo-sized data, on the engine of the run (SQLite FTS5
or PostgreSQL full text): the queries of bench/search/relevance.json marked "suite" (Kazakh and
Russian word forms, typos, villages of the real reference data, maslikhats, demo news and
council items) must find an expected document among the first three in at least 90% of cases,
and Kazakh typed without its letters must find it every time.

The world: the whole country (`load-reference`: regions, districts, okrugs, settlements, their
maslikhats), the demo's news and council work (`demo-setup --seed 1` makes the same ones),
indexed by `index_rebuild()`. The full set and its figures per engine are in bench/search.
"""

from __future__ import annotations

from typing import Any

import pytest
from bench.search import relevance

from tests.country import country  # noqa: F401  (the module-scoped fixture)

pytestmark = [pytest.mark.usefixtures("indexed"), pytest.mark.xdist_group("search-relevance")]

RECALL_AT_3 = 0.9


@pytest.fixture(scope="module")
def indexed(country: dict[str, Any], django_db_blocker: Any) -> int:  # noqa: F811
    """The demo's news and council items on top of the country, then the whole index (all
    inside the country fixture's module transaction, rolled back after the module)."""
    from django.db import transaction

    from maslikhat.demo.council_demo import generate_demo_council
    from maslikhat.demo.news_demo import create_demo_news
    from maslikhat.search.services import index_rebuild

    with django_db_blocker.unblock():
        # the council's services are durable transactions: open inside this block as in a test
        block = transaction.atomic()
        block._from_testcase = True  # type: ignore[attr-defined]
        with block:
            create_demo_news(seed=1)
            generate_demo_council(seed=1)
            return index_rebuild()


def test_the_suite_subset_is_big_enough_and_names_documents_that_exist(db: Any) -> None:
    cases = relevance.load(suite_only=True)
    assert len(cases) >= 15
    assert {c.language for c in cases} == {"kk", "ru"}
    # every expected document of the subset is in this world (a renamed title fails here, not as a miss)
    unresolved = [c.q for c in cases if not any(relevance.resolve(kind, key) for kind, key in c.expect)]
    assert unresolved == []


def test_recall_at_3_of_the_suite_subset(db: Any) -> None:
    # given the index of the country, the demo news and the council's work
    cases = relevance.load(suite_only=True)
    # when every query is searched in its own language
    outcomes = relevance.evaluate(cases)
    found = relevance.summary(outcomes)
    misses = [(m["q"], m["rank"], m["top_3"]) for m in found["misses"]]
    # then an expected document is among the first three for at least 90% of the queries
    assert found["recall_at_3"] >= RECALL_AT_3, misses
    # and in each language on its own
    for language, figures in found["by_language"].items():
        assert figures["recall_at_3"] >= RECALL_AT_3, (language, misses)


def test_the_expected_document_is_matched_by_its_page_not_by_a_lookalike(db: Any) -> None:
    # a village query ranks the village's own page first, not another area of a similar name
    case = next(c for c in relevance.load(suite_only=True) if c.q == "Малоубинка")
    (outcome,) = relevance.evaluate([case])
    assert outcome.expected_paths == ["/areas/634057100/"]
    assert outcome.rank is not None and outcome.rank <= 3, outcome.top


def test_kazakh_typed_without_its_letters_finds_what_the_kazakh_spelling_finds(db: Any) -> None:
    # given the suite's queries typed without Kazakh letters (к for қ, а for ә, и for і...)
    cases = [c for c in relevance.load(suite_only=True) if "without Kazakh letters" in c.what]
    assert len(cases) >= 4
    # when they are searched, each finds its expected document among the first three
    outcomes = relevance.evaluate(cases)
    assert [(o.case.q, o.top) for o in outcomes if not o.hit] == []
