"""Folding on the database the suite runs on (SQLite FTS5 or PostgreSQL full text): Kazakh typed
without its letters finds the document, a Kazakh spelling finds a name written only in Russian,
Kazakh word forms meet by their light stems, and the exact spelling never ranks below a folded
or stem-only match."""

from __future__ import annotations

from typing import Any

import pytest

from maslikhat.directory.choices import AreaKind
from maslikhat.search import selectors, services
from maslikhat.search.models import SearchDocument
from maslikhat.search.query import INDEX_MARK, visible_text
from tests.factories import AreaFactory, OrganizationFactory
from tests.news.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def _keys(q: str, language: str = "kk", kinds: list[str] | None = None) -> list[str]:
    return [h.key for h in selectors.search(q, language=language, kinds=kinds).results]


@pytest.fixture
def places(db: Any) -> dict[str, Any]:
    region = AreaFactory(code="F-R", kind=AreaKind.REGION, name_kk="Сынақ облысы", name_ru="Тестовая область")
    district = AreaFactory(code="F-D", parent=region, name_kk="Талғар ауданы", name_ru="Талгарский район")
    # the same letters but for Kazakh ones: the exact spelling must come first for each of them
    exact = AreaFactory(
        code="F-KOL",
        kind=AreaKind.SETTLEMENT,
        parent=district,
        name_kk="Көлсай",
        name_ru="Кольсай",
        name_en="",
    )
    plain = AreaFactory(
        code="F-KOLS", kind=AreaKind.SETTLEMENT, parent=district, name_kk="", name_ru="Колсай", name_en=""
    )
    ru_only = AreaFactory(
        code="F-ZH", kind=AreaKind.SETTLEMENT, parent=district, name_kk="", name_ru="Жанатилеу", name_en=""
    )
    body = OrganizationFactory(
        area=district, name_kk="Талғар аудандық мәслихаты", name_ru="Талгарский районный маслихат"
    )
    exact_news = PublicationFactory(
        body=body,
        title_kk="Азаматтардың өтініштері қаралды",
        title_ru="Рассмотрены обращения граждан",
        title_en="",
        text_kk="",
        text_ru="",
        text_en="",
    )
    form_news = PublicationFactory(
        body=body,
        title_kk="Кезекті сессияда өтініштеріне жауап берілді",
        title_ru="На очередной сессии даны ответы",
        title_en="",
        text_kk="",
        text_ru="",
        text_en="",
    )
    services.index_rebuild()
    return {
        "exact": exact,
        "plain": plain,
        "ru_only": ru_only,
        "body": body,
        "exact_news": exact_news,
        "form_news": form_news,
    }


def test_kazakh_typed_without_its_letters_finds_the_maslikhat(places: dict[str, Any]) -> None:
    assert _keys("Талгар аудандык маслихаты", kinds=["body"])[:1] == [places["body"].slug]
    assert _keys("талгар аудандык маслихаты")[:1] == [places["body"].slug]


def test_the_exact_spelling_ranks_above_the_folded_match(places: dict[str, Any]) -> None:
    # "Көлсай" is the exact name of one village and the folded spelling of another ("Колсай")
    assert _keys("Көлсай", kinds=["area"])[:2] == ["F-KOL", "F-KOLS"]
    # typed without Kazakh letters, "Колсай" is the other village's own name: it comes first
    assert _keys("Колсай", kinds=["area"])[:2] == ["F-KOLS", "F-KOL"]


def test_the_exact_word_form_ranks_above_the_one_met_by_its_stem(places: dict[str, Any]) -> None:
    found = _keys("өтініштері", kinds=["news"])
    assert found[:2] == [str(places["exact_news"].pk), str(places["form_news"].pk)]


def test_kazakh_word_forms_meet_by_their_stems(places: dict[str, Any]) -> None:
    assert str(places["form_news"].pk) in _keys("сессиясында", kinds=["news"])
    assert str(places["form_news"].pk) in _keys("сессиясында", kinds=["news"], language="ru")


def test_a_kazakh_spelling_finds_a_name_written_only_in_russian(places: dict[str, Any]) -> None:
    assert _keys("Жанатілеу", kinds=["area"])[:1] == ["F-ZH"]
    assert _keys("Жанатiлеу", kinds=["area"])[:1] == ["F-ZH"]  # a Latin i for і


def test_the_index_tail_is_not_the_visible_text(places: dict[str, Any]) -> None:
    row = SearchDocument.objects.get(kind="body", object_id=places["body"].pk, language="kk")
    assert INDEX_MARK in row.body
    assert "маслихаты" in row.body.partition(INDEX_MARK)[2]
    assert "маслихаты" not in visible_text(row.body)
    # a Russian row whose text folds to itself carries no tail
    ru = SearchDocument.objects.get(kind="area", key="F-ZH", language="ru")
    assert INDEX_MARK not in ru.body
