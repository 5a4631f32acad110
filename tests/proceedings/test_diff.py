"""The readable diff between two versions of a draft: paragraphs and words as <ins>/<del> around
escaped text, versions picked by query parameters (anything else is a 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from maslikhat.proceedings import services
from maslikhat.proceedings.diff import MAX_WORDS, text_diff


def test_word_diff_marks_only_the_changed_words() -> None:
    d = text_diff("1. The tax is 5 tenge.\n\n2. Kept.", "1. The tax is 7 tenge.\n\n2. Kept.\n\n3. New.")
    html = [str(p.html) for p in d.paragraphs]
    assert html[0] == "1. The tax is <del>5</del><ins>7</ins> tenge."
    assert html[1] == "2. Kept."
    assert html[2] == "<ins>3. New.</ins>"
    assert (d.added, d.removed, d.changed) == (1, 0, 1)


def test_user_text_is_escaped_never_marked_safe_raw() -> None:
    d = text_diff("<b>old</b> & text", '<script>alert("x")</script> & text')
    html = "".join(str(p.html) for p in d.paragraphs)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_a_removed_paragraph_and_identical_texts() -> None:
    assert text_diff("a\n\nb", "a\n\nb").identical
    d = text_diff("a\n\nb", "a")
    assert [p.kind for p in d.paragraphs] == ["equal", "removed"]
    assert str(d.paragraphs[1].html) == "<del>b</del>"


def test_a_huge_paragraph_is_shown_replaced_whole() -> None:
    old = " ".join(["word"] * MAX_WORDS)
    d = text_diff(old, old + " more")
    assert str(d.paragraphs[0].html).startswith("<del>") and "<ins>" in str(d.paragraphs[0].html)


@pytest.fixture
def revised(body: dict[str, Any]) -> Any:
    staff = body["staff"]
    draft = services.draft_create(
        actor=staff,
        body=body["maslikhat"],
        title={"kk": "Жоба", "ru": "Проект"},
        text_kk="1. Салық 5 теңге.\n\n2. Бірдей.",
        text_ru="1. Налог 5 тенге.\n\n2. Одинаково.",
    )
    draft = services.draft_revise(
        actor=staff,
        draft=draft,
        text_kk="1. Салық 7 теңге.\n\n2. Бірдей.",
        text_ru="1. Налог 7 тенге <script>x</script>.\n\n2. Одинаково.",
        note="rate",
    )
    return services.draft_publish(actor=staff, draft=draft)


def _url(pk: int) -> str:
    with translation.override("en"):
        return reverse("proceedings:draft", kwargs={"pk": pk})


def test_the_draft_page_shows_the_diff_of_both_texts(revised: Any) -> None:
    page = Client().get(_url(revised.pk), {"from": 1, "to": 2})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<del>5</del><ins>7</ins>" in text
    assert "&lt;script&gt;x&lt;/script&gt;" in text and "<script>x</script>" not in text
    assert "Changes from version 1 to version 2" in text


@pytest.mark.parametrize(
    "params",
    [
        {"from": 1, "to": 3},
        {"from": "x", "to": 2},
        {"from": "1\x00", "to": 2},
        {"from": "99999999999999999999", "to": 2},
        {"from": 1},
        {"to": "-1"},
    ],
)
def test_bad_version_numbers_are_a_404(revised: Any, params: dict[str, Any]) -> None:
    # NUL bytes are refused by the request filter (400) before the view; the rest reach it (404)
    expected = 400 if "\x00" in str(params.get("from")) else 404
    assert Client().get(_url(revised.pk), params).status_code == expected


def test_without_parameters_the_page_offers_the_comparison(revised: Any) -> None:
    text = Client().get(_url(revised.pk)).content.decode()
    assert "?from=1&amp;to=2#compare" in text and "Changes from version" not in text


def test_an_invalid_utf8_version_number_is_a_clear_refusal(revised: Any) -> None:
    # a lone surrogate encoded in the query string (CESU bytes)
    status = Client().get(_url(revised.pk) + "?from=%ED%A0%80&to=2").status_code
    assert status in (400, 404)
