"""The search engine on the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from maslikhat.core.search import kinds
from maslikhat.search import engines, selectors, services
from maslikhat.search.models import SearchDocument
from maslikhat.search.query import QueryError

pytestmark = pytest.mark.django_db


def _keys(page: selectors.SearchPage) -> list[tuple[str, str]]:
    return [(h.kind, h.key) for h in page.results]


def test_registered_kinds_come_from_the_modules() -> None:
    assert {"area", "body", "deputy", "news"} <= set(kinds())


def test_rebuild_is_idempotent(world: dict[str, Any]) -> None:
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "language", "title"))
    assert world["rows"] == len(before) > 0
    assert services.index_rebuild() == world["rows"]
    assert sorted(SearchDocument.objects.values_list("kind", "object_id", "language", "title")) == before


def test_drafts_are_never_indexed(world: dict[str, Any]) -> None:
    assert not SearchDocument.objects.filter(kind="news", object_id=world["draft"].pk).exists()
    page = selectors.search("черновик", language="ru")
    assert page.total == 0


def test_russian_word_forms(world: dict[str, Any]) -> None:
    page = selectors.search("обращение граждан", language="ru")
    assert ("news", str(world["news"].pk)) in _keys(page)
    hit = next(h for h in page.results if h.key == str(world["news"].pk))
    assert hit.language == "ru"
    assert "<mark>" in hit.snippet_html


def test_kazakh_word_forms(world: dict[str, Any]) -> None:
    for query in ("өтініш", "депутат", "мәслихат"):
        page = selectors.search(query, language="kk")
        assert ("news", str(world["news"].pk)) in _keys(page), query


def test_visitor_language_first_one_hit_per_object(world: dict[str, Any]) -> None:
    # only the Kazakh text matches ("аудандық": no word like it in the Russian name, whose
    # "Байтерекский" PostgreSQL takes for a form of "Бәйтерек" among the titles' words)
    page = selectors.search("Бәйтерек аудандық", language="ru", kinds=["body"])
    assert _keys(page) == [("body", world["body"].slug)]
    assert [h.language for h in page.results] == ["kk"]
    # both languages match: one hit, in the visitor's language
    for language in ("kk", "ru"):
        hits = selectors.search("сессия", language=language, kinds=["news"]).results
        assert [(h.key, h.language) for h in hits] == [(str(world["news"].pk), language)]


def test_filters_area_below_body_date_kind(world: dict[str, Any]) -> None:
    everything = selectors.search("өтініш", language="kk", kinds=["news"])
    assert {h.key for h in everything.results} == {str(world["news"].pk), str(world["far_news"].pk)}
    in_region = selectors.search("өтініш", language="kk", kinds=["news"], area_code="KZ-TST")
    assert _keys(in_region) == [("news", str(world["news"].pk))]
    by_body = selectors.search("өтініш", language="kk", body_id=world["body"].pk, kinds=["news"])
    assert _keys(by_body) == [("news", str(world["news"].pk))]
    dated = selectors.search("өтініш", language="kk", date_to=date(2025, 12, 31))
    assert _keys(dated) == [("news", str(world["far_news"].pk))]
    assert everything.counts_by_kind["news"] == 2


def test_village_by_name_and_area_below(world: dict[str, Any]) -> None:
    page = selectors.search("Жаңаауыл", language="kk", area_code="KZ-TST")
    assert ("area", "T-V1") in _keys(page)
    assert selectors.search("Жаңаауыл", language="kk", area_code="T-O1").total == 0


def test_deputy_by_name(world: dict[str, Any]) -> None:
    page = selectors.search("Абдрахманов", language="ru")
    assert _keys(page)[0] == ("deputy", str(world["deputy"].pk))


def test_incremental_update_after_commit(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    news = world["news"]
    with django_capture_on_commit_callbacks(execute=True):
        news.title_ru = "Заседание о водопроводе"
        news.save()
    assert selectors.search("водопровод", language="ru").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        news.status = "withdrawn"
        news.save()
    assert selectors.search("водопровод", language="ru").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        world["village"].delete()
    assert not SearchDocument.objects.filter(kind="area", key="T-V1").exists()


def test_pagination(world: dict[str, Any]) -> None:
    first = selectors.search("ауданы", language="kk", limit=1)
    second = selectors.search("ауданы", language="kk", limit=1, offset=1)
    assert first.total == second.total >= 2
    assert first.results[0].key != second.results[0].key


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 201, "too_long"),
        ("!!! ... ???", "no_words"),
        ("a\x00b", "invalid_characters"),
        ("-мәслихат", "only_excluded"),
        ("a b c d e f g h i j k l m", "too_many_words"),
    ],
)
def test_bad_queries_are_refused_clearly(world: dict[str, Any], query: str, code: str) -> None:
    with pytest.raises(QueryError) as info:
        selectors.search(query, language="kk")
    assert info.value.code == code
    assert info.value.message


@pytest.mark.parametrize(
    "query", ["a & b | !c", "мәслихат:* <-> (депутат", "'\\''", 'OR "unterminated', "NEAR(a b)", "-- or or"]
)
def test_tsquery_and_fts5_syntax_is_text(world: dict[str, Any], query: str) -> None:
    try:
        page = selectors.search(query, language="kk")
    except QueryError as exc:
        assert exc.code in {"no_words", "only_excluded"}
    else:
        assert page.total >= 0


def test_exclusion_and_alternatives(world: dict[str, Any]) -> None:
    both = selectors.search("өтініш", language="kk", kinds=["news"]).total
    minus = selectors.search("өтініш -депутат", language="kk", kinds=["news"])
    assert minus.total == both - 1
    alt = selectors.search("Жаңаауыл or Абдрахманов", language="ru")
    assert {"area", "deputy"} <= {h.kind for h in alt.results}


def test_snippet_is_escaped(world: dict[str, Any]) -> None:
    news = world["news"]
    news.text_ru = "<script>alert(1)</script> обращения & дороги"
    news.save()
    services.index_object("news", news.pk)
    hit = next(h for h in selectors.search("обращения", language="ru").results if h.key == str(news.pk))
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert "<mark>обращения</mark>" in hit.snippet_html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL configuration")
def test_kazakh_configuration_is_real() -> None:
    assert engines.kazakh_configuration_exists()
    with connection.cursor() as cursor:
        for word, lemma in [
            ("мәслихаттың", "мәслихат"),
            ("депутаттарға", "депутат"),
            ("өтініштер", "өтініш"),
        ]:
            cursor.execute("SELECT to_tsvector('kazakh', %s)::text", [word])
            assert f"'{lemma}'" in cursor.fetchone()[0]


def test_deploy_check_says_when_kazakh_falls_back_to_simple(monkeypatch: pytest.MonkeyPatch) -> None:
    from maslikhat.search import checks

    assert checks.kazakh_search_configuration() == []  # SQLite: FTS5; PostgreSQL: the dictionary is here
    monkeypatch.setattr(engines, "kazakh_configuration_exists", lambda conn=None: False)
    warnings = checks.kazakh_search_configuration()
    if connection.vendor == "postgresql":
        assert [w.id for w in warnings] == ["maslikhat.search.W001"]
    else:
        assert warnings == []
