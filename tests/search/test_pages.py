"""The search page, the saved searches and the API."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.test import Client

from maslikhat.search.models import SavedSearch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("lang", "heading"), [("kk", "Іздеу"), ("ru", "Поиск"), ("en", "Search")])
def test_page_in_three_languages(world: dict[str, Any], lang: str, heading: str) -> None:
    response = Client().get(f"/{lang}/search/", {"q": "өтініш"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"/{lang}/news/{world['news'].pk}/" in html
    assert "<mark>" in html


def test_page_filters_by_kind_and_area(world: dict[str, Any]) -> None:
    client = Client()
    html = client.get("/en/search/", {"q": "өтініш", "kind": "news", "area": "KZ-TST"}).content.decode()
    assert f"/en/news/{world['news'].pk}/" in html
    assert f"/en/news/{world['far_news'].pk}/" not in html
    html = client.get("/en/search/", {"q": "Жаңаауыл", "kind": "area"}).content.decode()
    assert "/en/areas/T-V1/" in html


def test_page_escapes_the_query_and_results(world: dict[str, Any]) -> None:
    html = Client().get("/en/search/", {"q": '<script>alert("x")</script> өтініш'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("q", ["!!!", "x" * 300, "-word", "&|!():*<->"])
def test_page_bad_query_is_a_clear_400(world: dict[str, Any], q: str) -> None:
    response = Client().get("/en/search/", {"q": q})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_page_nul_in_the_query_is_a_400(world: dict[str, Any]) -> None:
    assert Client().get("/en/search/", {"q": "a\x00b"}).status_code == 400


def test_empty_page_shows_the_form(world: dict[str, Any]) -> None:
    response = Client().get("/kk/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_page_queries_are_fixed(world: dict[str, Any], django_assert_num_queries: Any) -> None:
    client = Client()
    client.get("/en/search/", {"q": "өтініш"})  # warm the site-wide caches
    # the area choices, the counts, the page of hits, their rows
    with django_assert_num_queries(4):
        assert client.get("/en/search/", {"q": "өтініш"}).status_code == 200
    with django_assert_num_queries(5):  # and the area filter's path
        assert client.get("/en/search/", {"q": "өтініш", "area": "KZ-TST"}).status_code == 200


def test_saved_search_round_trip(world: dict[str, Any]) -> None:
    user: Any = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/en/search/saved/new/", {"q": "өтініш", "kind": "news"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=user)
    assert (saved.query, saved.kind_list, saved.language) == ("өтініш", ["news"], "en")
    client.post("/en/search/saved/new/", {"q": "өтініш", "kind": "news"})
    assert SavedSearch.objects.filter(user=user).count() == 1  # the same search again: nothing new
    html = client.get("/en/search/saved/").content.decode()
    assert "өтініш" in html
    other = Client()
    other.force_login(cast(Any, UserFactory()))
    assert other.post(f"/en/search/saved/{saved.pk}/delete/").status_code == 404
    assert client.post(f"/en/search/saved/{saved.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.filter(user=user).exists()


def test_saving_a_bad_query_saves_nothing(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast(Any, UserFactory()))
    client.post("/en/search/saved/new/", {"q": "!!!"})
    assert not SavedSearch.objects.exists()


def test_anonymous_cannot_save(world: dict[str, Any]) -> None:
    response = Client().post("/en/search/saved/new/", {"q": "өтініш"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


# ------------------------------------------------------------------ API


def test_api_search(world: dict[str, Any]) -> None:
    response = Client().get("/api/v1/search", {"q": "өтініш", "lang": "ru", "kind": "news", "area": "KZ-TST"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1
    assert data["results"][0]["key"] == str(world["news"].pk)
    # only the Kazakh text has this word: shown in Kazakh, linked to the Russian page
    assert data["results"][0]["language"] == "kk"
    assert data["results"][0]["url"] == f"/ru/news/{world['news'].pk}/"
    assert data["counts_by_kind"]["news"] == 1


@pytest.mark.parametrize(("q", "code"), [("", "empty"), ("...", "no_words"), ("a\x00", "null_characters")])
def test_api_bad_query(world: dict[str, Any], q: str, code: str) -> None:
    response = Client().get("/api/v1/search", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    [error] = response.json()["errors"]
    assert error["field"] == "q" and error["code"] == code and error["message"]


def test_api_unknown_kind_and_area(world: dict[str, Any]) -> None:
    client = Client()
    assert (
        client.get("/api/v1/search", {"q": "a", "kind": "nope"}).json()["errors"][0]["code"] == "unknown_kind"
    )
    assert (
        client.get("/api/v1/search", {"q": "a", "area": "NOPE"}).json()["errors"][0]["code"] == "unknown_area"
    )


def test_api_is_documented() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
