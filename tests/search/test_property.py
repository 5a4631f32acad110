"""Whatever a visitor types, the search answers: results or a clear, translated refusal, never a
database error (hypothesis, on the database the suite runs on)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from maslikhat.search import selectors
from maslikhat.search.query import MAX_QUERY_LENGTH, QueryError, parse

pytestmark = pytest.mark.django_db

SYNTAX = list("\"'-:*&|!()<>\\;%_^~[]{}.,?/+=@#$") + [" or ", " OR ", "NEAR", "AND", "NOT", "<->", ":*", "--"]
WORDS = ["мәслихат", "депутаттарға", "өтініш", "обращение", "Алматы", "budget", "a", "1"]
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=14).map("".join),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=14).map(" ".join),
    st.text(st.characters(codec="utf-8"), max_size=30),
)
EXAMPLES = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@given(q=HOSTILE)
@example(q="\x00")
@example(q="x" * (MAX_QUERY_LENGTH + 1))
@example(q="\ud800")
@example(q="'\\'' & !(a | b) <-> c:*")
@example(q='"unterminated')
@example(q="-")
@example(q="\u202e\u200b")
@EXAMPLES
def test_any_query_gives_results_or_a_clear_refusal(world: dict[str, Any], q: str) -> None:
    try:
        page = selectors.search(q, language="kk", limit=5)
    except QueryError as exc:
        assert exc.code and exc.message
    else:
        assert page.total >= len(page.results)
        assert all("<script" not in h.snippet_html for h in page.results)


@given(q=HOSTILE)
@EXAMPLES
def test_parsed_words_carry_no_syntax(q: str) -> None:
    try:
        parsed = parse(q)
    except QueryError:
        return
    for word in parsed.words:
        assert word.isalnum()
    text = parsed.websearch()
    assert "\x00" not in text and len(text) <= 2 * MAX_QUERY_LENGTH
