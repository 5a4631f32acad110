from __future__ import annotations

import pytest
from django.test import Client

from tests.news.factories import make_publication, make_tag

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")


def test_list_filters_by_body_area_and_tag_with_language(astana, council_body, client):
    tag = make_tag(code="budget", name_en="Budget")
    local = make_publication(
        body=astana["maslikhat"],
        title_en="",
        text_en="",
        title_ru="Сессия",
        tags=[tag],
        areas=[astana["region"]],
    )
    make_publication(body=council_body, title_en="National")
    make_publication(body=astana["maslikhat"], status="draft")
    data = client.get("/api/v1/news", {"tag": "budget", "lang": "en"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["id"] == local.pk
    assert item["body"]["id"] == astana["maslikhat"].pk
    assert item["tags"] == [
        {"code": "budget", "name": {"kk": tag.name_kk, "ru": tag.name_ru, "en": "Budget"}}
    ]
    assert item["areas"] == ["KZ-71"]
    assert item["shown"] == {
        "title": "Сессия",
        "title_language": "ru",
        "text": "Текст.",
        "text_language": "ru",
        "fallback": True,
    }
    assert item["url"] == f"/kk/news/{local.pk}/"
    assert client.get("/api/v1/news", {"area": "KZ-71-T01"}).json()["count"] == 2
    assert client.get("/api/v1/news", {"body": council_body.pk}).json()["count"] == 1


def test_unknown_area_is_a_json_404_and_bad_lang_a_422(reference, client):
    response = client.get("/api/v1/news", {"area": "NOPE"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = client.get("/api/v1/news", {"lang": "fr"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lang"


def test_detail_gives_texts_and_hides_drafts(astana, client):
    p = make_publication(body=astana["maslikhat"], text_en="Full text.")
    draft = make_publication(body=astana["maslikhat"], status="draft")
    data = client.get(f"/api/v1/news/{p.pk}").json()
    assert data["text"] == {"kk": "Мәтін.", "ru": "Текст.", "en": "Full text."}
    assert data["shown"] is None
    assert client.get(f"/api/v1/news/{draft.pk}").status_code == 404
    assert client.get("/api/v1/news/999999").status_code == 404


@pytest.mark.parametrize("query", [{}, {"area": "KZ-71"}, {"tag": "budget"}])
def test_list_needs_a_fixed_number_of_queries(astana, django_assert_num_queries, query):
    tag = make_tag(code="budget")
    client = Client()
    expected = 4 + (1 if "area" in query else 0)  # (area), page, count, tags, areas
    for n in (2, 12):
        while len(client.get("/api/v1/news").json()["items"]) < n:
            make_publication(body=astana["maslikhat"], tags=[tag], areas=[astana["region"]])
        with django_assert_num_queries(expected):
            assert client.get("/api/v1/news", query).status_code == 200
