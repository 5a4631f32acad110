"""The bounds that keep a search's cost independent of the index's size (engines/common.py), on
the database the suite runs on: counts exact up to a cap and marked above it, the page ranked
among a bounded set of candidates (titles first), trigrams only when the words find few. The
bounds are made tiny here so that a handful of rows crosses them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from maslikhat.search import engines, selectors
from maslikhat.search.engines import common, postgres, sqlite
from maslikhat.search.models import SearchDocument

pytestmark = pytest.mark.django_db

FIRST = 900_000_000


def _bound(monkeypatch: Any, **values: int) -> None:
    for name, value in values.items():
        for module in (common, postgres, sqlite):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)
    if "TITLE_CANDIDATES" in values or "BODY_CANDIDATES" in values:
        title = values.get("TITLE_CANDIDATES", common.TITLE_CANDIDATES)
        body = values.get("BODY_CANDIDATES", common.BODY_CANDIDATES)
        monkeypatch.setattr(sqlite, "PAGE_CANDIDATES", title + body)


def _add(kind: str, n: int, *, title: str, body: str, languages: tuple[str, ...] = ("ru",)) -> list[int]:
    """n objects of `kind`, one row per language, written like the index writes them."""
    start = FIRST + SearchDocument.objects.filter(object_id__gte=FIRST).count()
    rows = [
        SearchDocument(
            kind=kind,
            object_id=start + i,
            key=f"scale-{start + i}",
            language=lang,
            title=title,
            body=body,
            url=f"/{lang}/scale/{start + i}/",
        )
        for i in range(n)
        for lang in languages
    ]
    created = SearchDocument.objects.bulk_create(rows)
    ids = [r.pk for r in created] if all(r.pk for r in created) else []
    if not ids:
        ids = list(SearchDocument.objects.filter(object_id__gte=start).values_list("id", flat=True))
    engines.write(ids)
    return sorted({start + i for i in range(n)})


@pytest.mark.parametrize("cap", [4, 2], ids=["one-sample", "per-kind"])
def test_counts_are_exact_up_to_the_cap_and_marked_above(monkeypatch: Any, cap: int) -> None:
    _add("news", 5, title="Водопровод в селе", body="Ремонт водопровода.", languages=("kk", "ru"))
    _add("decision", 2, title="Решение о водопроводе", body="Водопровод.")
    # 12 rows match. The first sample holds 3 * (cap + 1) rows: 15, all of them (one sample),
    # or 9 (then each kind is counted on its own)
    _bound(monkeypatch, COUNT_CAP=cap, COUNT_ROWS=3 * (cap + 1))
    page = selectors.search("водопровод", language="ru")
    assert page.counts_by_kind == {"news": cap, "decision": 2}
    assert page.capped_kinds == {"news"}
    assert page.total == cap + 2 and page.total_capped
    only_decisions = selectors.search("водопровод", language="ru", kinds=["decision"])
    assert only_decisions.total == 2 and not only_decisions.total_capped
    assert {h.kind for h in only_decisions.results} == {"decision"}
    news = selectors.search("водопровод", language="ru", kinds=["news"], limit=20)
    assert len(news.results) == 5  # one hit per object, not per language
    assert {h.language for h in news.results} == {"ru"}


def test_counts_below_the_cap_are_exact_and_unmarked() -> None:
    _add("news", 4, title="Водопровод", body="Текст.", languages=("kk", "ru"))
    page = selectors.search("водопровод", language="ru")
    assert page.counts_by_kind == {"news": 4}
    assert not page.capped_kinds and not page.total_capped


def test_page_shows_capped_counts_with_a_plus(monkeypatch: Any) -> None:
    _add("news", 5, title="Водопровод", body="Текст.")
    _bound(monkeypatch, COUNT_CAP=3, COUNT_ROWS=12)
    html = Client().get("/en/search/", {"q": "водопровод"}).content.decode()
    assert "More than 3 results" in html
    assert '<span class="count">3+</span>' in html
    uncapped = Client().get("/en/search/", {"q": "водопровод", "kind": "decision"}).content.decode()
    assert "More than" not in uncapped


def test_the_api_says_which_counts_are_capped(monkeypatch: Any) -> None:
    _add("news", 5, title="Водопровод", body="Текст.")
    _add("decision", 1, title="Водопровод", body="Решение.")
    _bound(monkeypatch, COUNT_CAP=3, COUNT_ROWS=12)
    data = Client().get("/api/v1/search", {"q": "водопровод"}).json()
    assert (data["total"], data["total_capped"], data["capped_kinds"]) == (4, True, ["news"])
    assert data["counts_by_kind"] == {"news": 3, "decision": 1}
    only = Client().get("/api/v1/search", {"q": "водопровод", "kind": "decision"}).json()
    assert (only["total"], only["total_capped"]) == (1, False)


def test_a_title_match_outranks_body_matches_beyond_the_candidates(monkeypatch: Any) -> None:
    _add("news", 6, title="Новости района", body="Обсуждали водопровод и дороги.")
    [wanted] = _add("decision", 1, title="Водопровод", body="Решение.")  # written last
    _bound(monkeypatch, TITLE_CANDIDATES=2, BODY_CANDIDATES=2)
    page = selectors.search("водопровод", language="ru", limit=20)
    assert page.results[0].object_id == wanted
    assert len(page.results) <= 4  # ranked among the candidates only
    assert len({(h.kind, h.object_id) for h in page.results}) == len(page.results)


def test_trigrams_only_when_the_words_find_few(monkeypatch: Any) -> None:
    _add("news", 1, title="Водопровд", body="Опечатка в заголовке.")  # the word itself
    _add("news", 1, title="Госводопровд", body="Текст.")  # inside a word: only trigrams find it
    assert selectors.search("водопровд", language="ru").total == 2
    # full text's one row is not fewer than a bound of 1: the titles are not looked up by trigrams
    _bound(monkeypatch, TRIGRAM_WHEN_FEWER=1)
    page = selectors.search("водопровд", language="ru")
    assert page.total == 1
    assert [h.title for h in page.results] == ["Водопровд"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the titles' words")
def test_a_name_typed_wrong_is_found_through_the_titles_words() -> None:
    from maslikhat.search.engines.postgres import WORDS

    [wanted] = _add("deputy", 1, title="Фариза Ильясқызы Қожахметова", body="Депутат.")
    _add("news", 3, title="Новости района", body="Текст.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, folded FROM {WORDS} WHERE word LIKE %s", ["%хметов%"])  # noqa: S608
        assert cursor.fetchall() == [("қожахметова", "кожахметова")]
    # typed on a Russian keyboard, one letter wrong: no word of the index is spelled so
    page = selectors.search("Фариза Кожахмедова", language="ru")
    assert [h.object_id for h in page.results] == [wanted]
    assert selectors.search("Мариям Кожахмедова", language="ru").total == 0  # every word must be like one
    assert selectors.search("Новостей", language="ru").total == 3  # a word form: by its stem


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the titles' words")
def test_a_rebuild_keeps_only_the_words_of_the_titles_there_are() -> None:
    from maslikhat.search.engines.postgres import WORDS
    from maslikhat.search.services import index_rebuild

    _add("news", 1, title="Сарытогайский водопровод", body="Текст.")
    index_rebuild()  # the providers have no such object: its row, and its words, go
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {WORDS} WHERE word = %s", ["сарытогайский"])  # noqa: S608
        assert cursor.fetchone()[0] == 0
