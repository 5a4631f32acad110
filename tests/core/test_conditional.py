"""Conditional requests and compression: the API lists, the exports (CSV, XLSX, PDF) and the feeds
(Atom, iCal) carry an ETag and answer 304 to If-None-Match until what they show changes; HTML and
JSON go out compressed to a client that asks, except a response with a secret in it (BREACH)."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.test import Client

from maslikhat.core.pagecache import HIT_HEADER
from tests.factories import UserFactory
from tests.news.factories import make_publication

CONDITIONAL = [
    "/api/v1/areas",
    "/api/v1/bodies",
    "/api/v1/news",
    "/api/v1/council/meetings",
    "/api/v1/scorecard?period=2026",
    "/en/scorecard/scorecard.csv",
    "/en/scorecard/scorecard.xlsx",
    "/en/scorecard/briefing.pdf",
    "/en/news/feed/",
    "/en/deputies/{deputy}/calendar.ics",
    "/en/proceedings/bodies/{body}/calendar.ics",
]


def _url(template: str, astana: dict[str, Any]) -> str:
    return template.format(deputy=astana["deputy"].pk, body=astana["maslikhat"].pk)


@pytest.mark.parametrize("template", CONDITIONAL)
def test_a_revalidation_gets_a_304_without_a_body(astana, template, django_assert_num_queries):
    # given a first answer with its validator
    url = _url(template, astana)
    first = Client().get(url)
    assert first.status_code == 200, url
    etag = first["ETag"]
    # when the client asks again with it
    with django_assert_num_queries(0):
        again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    # then nothing is sent again (and nothing was read or rendered)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # a stale validator gets the full answer
    assert Client().get(url, HTTP_IF_NONE_MATCH='W/"stale"').status_code == 200


def test_a_write_changes_the_validator(astana):
    # given the news API answered with an ETag
    first = Client().get("/api/v1/news")
    # when a publication appears
    make_publication(body=astana["maslikhat"], title_en="Budget hearing")
    # then the old validator no longer matches: the new list comes back
    again = Client().get("/api/v1/news", HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200
    assert "Budget hearing" in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_a_signed_in_visitor_gets_content_validators_not_the_shared_ones(astana):
    # signed-in pages are never the cached ones: their ETag is the content's (ConditionalGet)
    user: Any = UserFactory()
    client = Client()
    client.force_login(user)
    first = client.get("/api/v1/areas")
    assert HIT_HEADER not in first
    assert not first["ETag"].startswith('W/"')  # the content's hash, not the shared page's
    assert client.get("/api/v1/areas", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("template", ["/en/", "/en/bodies/{body}/", "/en/news/", "/api/v1/areas"])
def test_public_html_and_json_are_compressed(astana, template):
    url = _url(template, astana)
    plain = Client().get(url)
    for _ in range(2):  # rendered, then from the page cache
        packed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content


def test_a_page_with_a_csrf_token_is_never_compressed(astana):
    # the appeal form reflects what the visitor typed next to the CSRF token: no compression
    response = Client().get(f"/en/appeals/new/?body={astana['maslikhat'].pk}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_signed_in_and_token_bearing_responses_are_never_compressed(astana):
    user: Any = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.get("/en/news/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200
    assert not page.has_header("Content-Encoding")
    api = Client().get("/api/v1/areas", HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION="Bearer x")
    assert not api.has_header("Content-Encoding")
    tracked = Client().get("/en/news/?token=secret-link", HTTP_ACCEPT_ENCODING="gzip")
    assert not tracked.has_header("Content-Encoding")
