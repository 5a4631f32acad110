"""Folding (`query.fold`), the one function of both sides: on arbitrary text (NUL, lone
surrogates, any script) it keeps the length and the case, is idempotent, leaves no Kazakh letter
and changes nothing else; the index's tail and the query's alternatives are built from it."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from maslikhat.search.query import (
    INDEX_MARK,
    QueryError,
    fold,
    has_kazakh_letters,
    index_tail,
    parse,
    stem,
    visible_text,
)
from maslikhat.search.services import indexed_body

KAZAKH = "әіңғүұқөһӘІҢҒҮҰҚӨҺ"
PLAIN = "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
ANY = st.text(st.characters(), max_size=80)  # every code point: NUL and lone surrogates included
CYRILLIC = st.text(st.sampled_from(KAZAKH + PLAIN + "ёЁiI -\x00\n"), max_size=60)
TEXT = st.one_of(ANY, CYRILLIC)
FAST = settings(max_examples=300, deadline=None, database=None)


@given(TEXT)
@example("\x00\ud800қ\udfff")
@example("Жанатiлеу iPhone")
@FAST
def test_fold_keeps_length_is_idempotent_and_leaves_no_kazakh_letter(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
    assert not has_kazakh_letters(folded)
    assert "ё" not in folded and "Ё" not in folded


@given(TEXT)
@FAST
def test_fold_changes_only_the_folded_letters_and_keeps_the_case(text: str) -> None:
    for before, after in zip(text, fold(text), strict=True):
        if before != after:
            assert before in KAZAKH + "ёЁiI"
            assert before.isupper() == after.isupper()


@given(st.text(st.characters(exclude_characters=KAZAKH + "ёЁiI"), max_size=80))
@FAST
def test_text_without_those_letters_is_its_own_fold(text: str) -> None:
    assert fold(text) == text


def test_the_letters_fold_as_they_are_typed_on_a_russian_keyboard() -> None:
    assert fold("Талғар аудандық мәслихаты") == "Талгар аудандык маслихаты"
    assert fold("Өңірлер Ұлытау Үшарал Һ і Жанатiлеу") == "Онирлер Улытау Ушарал Х и Жанатилеу"
    assert fold("Пулемётовка") == "Пулеметовка"
    assert fold("iPhone Ilinka") == "iPhone Ilinka"  # a Latin word keeps its i


@given(TEXT, TEXT, st.sampled_from(["kk", "ru", "en"]))
@FAST
def test_the_index_tail_is_folded_and_the_visible_text_survives(title: str, body: str, language: str) -> None:
    tail = index_tail(title, body, language)
    assert not has_kazakh_letters(tail)
    text = indexed_body(title, body.replace(INDEX_MARK, " "), language)
    assert visible_text(text) == body.replace(INDEX_MARK, " ").rstrip()


def test_the_tail_holds_the_folded_spelling_and_the_folded_stems_of_kazakh() -> None:
    tail = index_tail("Талғар аудандық мәслихаты", "Азаматтардың өтініштеріне жауап", "kk")
    assert "Талгар аудандык маслихаты" in tail.splitlines()
    assert {"отиниш", "азамат"} <= set(tail.split())
    # Russian text: the folded spelling only (ё), no stems
    assert index_tail("Отчёт о встречах", "", "ru") == "Отчет о встречах"
    assert index_tail("Отчет о встречах", "", "ru") == ""


def test_kazakh_word_forms_share_a_light_stem() -> None:
    assert stem("сессиясында") == stem("сессияда") == "сессия"
    assert stem("өтініштеріне") == stem("өтініштер") == "өтініш"
    assert stem("депутаттарға") == stem("депутаттарга") == "депутат"
    assert stem("депутатами") == "депутат"  # a Russian ending once


@given(TEXT)
@example('Талғар -жол "Жаңа Конституция" or мәслихат')
@FAST
def test_the_alternatives_begin_with_the_query_as_typed_and_add_only_folded_words(q: str) -> None:
    try:
        parsed = parse(q)
    except QueryError:
        return
    variants = parsed.alternatives()
    searched = parsed.searched_groups
    assert variants[: len(searched)] == searched
    for group, typed in zip(searched, parsed.groups, strict=True):  # the typed terms, fewer maybe
        assert set(group) <= set(typed) and any(not t.negated for t in group)
    for group in variants[len(searched) :]:
        for term in group:
            assert all(not has_kazakh_letters(w) and w for w in term.words)
    assert len(set(variants)) == len(variants)
    assert "\x00" not in parsed.websearch() and "\x00" not in parsed.fts5()
    assert parsed.text() == parsed.websearch() or " or " in parsed.websearch() or searched != parsed.groups


def test_function_words_are_not_searched_unless_they_are_the_whole_query() -> None:
    parsed = parse("работа с обращениями и жалобами граждан")
    assert parsed.words == ["работа", "обращениями", "жалобами", "граждан"]
    assert " с " not in parsed.websearch() and " и " not in parsed.websearch()
    assert '"с"' not in parsed.fts5() and '"и"' not in parsed.fts5()
    assert parsed.text() == "работа с обращениями и жалобами граждан"  # shown as typed
    assert parse("және мен").words == ["және", "мен"]  # nothing else: searched as typed
    assert parse("и -с").words == ["и"]
    assert parse("бюджет -и").websearch().startswith("бюджет -и")  # an exclusion stays
    # a short word is exact, not a prefix of every word it begins
    assert '"аж"' in parse("аж бюджет").fts5() and '"аж"*' not in parse("аж бюджет").fts5()


def test_a_query_with_kazakh_letters_is_searched_as_typed_then_folded_then_by_stems() -> None:
    parsed = parse("Жанатілеу сессиясында -жол")
    assert parsed.websearch() == (
        "жанатілеу сессиясында -жол or жанатилеу сессиясында -жол or жанатиле сессия -жол"
    )
    assert parsed.text() == "жанатілеу сессиясында -жол"
    assert parse("Талгар").websearch() == "талгар"  # nothing to fold or stem: as typed
