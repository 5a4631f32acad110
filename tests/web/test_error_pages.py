"""The site's own 404 and 500 pages (DEBUG off, as in the demo and production): styled,
translated, never Django's technical pages; the 500 page renders without the database."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# the URLconf of test_a_failing_view_gets_the_500_page
urlpatterns = [path("broken/", _broken)]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_unknown_page_gets_the_site_404_page(lang: str) -> None:
    # when a visitor opens an address that does not exist
    response = Client().get(f"/{lang}/no-such-page/")
    # then the site's page answers, in their language, with the site's layout
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "web/base.html"]
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'href="/{lang}/find/"' in html
    assert "/static/web/site.css" in html
    # and nothing of Django's technical page
    assert "URLconf" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_the_404_page_text_in_english() -> None:
    html = Client().get("/en/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in html
    assert "There is no page at this address. It may have moved, or the link may be mistyped." in html
    assert "To the home page" in html


def test_the_500_page_renders_without_a_database_or_a_request() -> None:
    # given no database access at all (no django_db mark: a query would fail the test)
    with translation.override("en"):
        response = server_error(RequestFactory().get("/en/"))
    # then the page is the site's, styled and translated
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert '<html lang="en">' in html and 'href="/en/"' in html
    assert "/static/web/site.css" in html


@pytest.mark.urls(__name__)
def test_a_failing_view_gets_the_500_page() -> None:
    # when a view fails during a request (the whole middleware stack, no database)
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="ru")
    # then the visitor gets the site's 500 page, not a traceback
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "a bug in a view" not in html and "Traceback" not in html
