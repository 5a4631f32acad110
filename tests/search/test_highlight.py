"""What a result shows: the document's own text (never the part the index adds after its mark)
with the words found in <mark>, also when they were typed without Kazakh letters."""

from __future__ import annotations

import pytest

from maslikhat.search.query import INDEX_MARK, index_tail
from maslikhat.search.selectors import highlight, search
from maslikhat.search.services import index_rebuild


def test_a_word_typed_without_kazakh_letters_marks_the_word_as_written() -> None:
    html = highlight("Талгар аудандық мәслихаты", ["аудандык", "маслихаты"])
    assert html == "Талгар <mark>аудандық</mark> <mark>мәслихаты</mark>"


def test_the_snippet_is_cut_around_a_folded_match() -> None:
    text = "Басы. " * 40 + "Жаңа өтініштер қабылданды."
    html = highlight(text, ["отиниш"], length=60)
    assert html.startswith("… ") and "<mark>өтініштер</mark>" in html


def test_markup_in_the_text_is_escaped() -> None:
    assert highlight("<b>мәслихат</b>", ["маслихат"]) == "&lt;b&gt;<mark>мәслихат</mark>&lt;/b&gt;"


@pytest.mark.django_db
def test_results_never_show_the_index_tail(astana: dict) -> None:
    from tests.news.factories import make_publication

    make_publication(
        body=astana["maslikhat"],
        title_kk="Мәслихат сессиясы",
        title_ru="",
        title_en="",
        text_kk="Депутаттар өтініштерді қарады.",
        text_ru="",
        text_en="",
        areas=[astana["region"]],
    )
    index_rebuild()
    page = search("отиништерди", language="kk")
    hits = [h for h in page.results if h.kind == "news"]
    assert hits, page
    tail = index_tail("Мәслихат сессиясы", "Депутаттар өтініштерді қарады.", "kk")
    assert tail  # the index did add folded forms for this text
    for hit in hits:
        assert INDEX_MARK not in hit.snippet_html
        assert "отиништерди" not in hit.snippet_html.lower()
        assert "<mark>өтініштерді</mark>" in hit.snippet_html
    assert page.query == "отиништерди"
