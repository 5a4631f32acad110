"""Content-Security-Policy: one strict header on every response (pages, redirects, errors, API),
no inline script, style or event handler in any template or rendered page; the API's Swagger
page alone allows inline styles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SRC = Path(__file__).resolve().parents[2] / "src" / "maslikhat"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
ARGS = {"int": "999999", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _paths() -> Iterator[tuple[str, str]]:
    """Every URL pattern of the site as (name, a path that reaches it), parameters filled with
    values that exist nowhere (a 404 must carry the header too)."""

    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            route = str(p.pattern)
            if route.startswith("^"):  # regex (the API's catch-all, i18n prefixes)
                route = route.strip("^$").replace(".*", "x")
            route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: ARGS.get(m.group(1) or "str", "x"), route)
            if isinstance(p, URLResolver):
                name_ns = f"{ns}{p.namespace}:" if p.namespace else ns
                yield from walk(p.url_patterns, prefix + route, name_ns)
            elif isinstance(p, URLPattern):
                yield f"{ns}{p.name or route}", "/" + prefix + route

    yield from walk(get_resolver().url_patterns, "", "")


def _rendered_paths() -> list[tuple[str, str]]:
    """One path per URL name (Kazakh pages: the default language's prefix)."""
    return sorted(dict(_paths()).items())


def policy(header: str | None) -> dict[str, list[str]]:
    """A policy header as directive → sources (django-csp does not keep the directives' order)."""
    parts = [d.split() for d in (header or "").split(";") if d.strip()]
    return {d[0]: d[1:] for d in parts}


def _inline_code(html: str) -> list[str]:
    return [m.group() for rx in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER) for m in rx.finditer(html)]


def test_no_template_has_inline_script_style_or_event_handler() -> None:
    found = {
        str(t.relative_to(SRC)): hits
        for t in sorted(SRC.glob("*/templates/**/*.html"))
        if (hits := _inline_code(t.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_every_response_carries_the_strict_policy(astana: dict[str, Any], client: Any) -> None:
    # given every URL pattern of the site, as an anonymous visitor
    paths = _rendered_paths()
    assert len(paths) > 60
    wrong: dict[str, str] = {}
    inline: dict[str, list[str]] = {}
    for name, path in paths:
        response = client.get(path)
        header = response.get("Content-Security-Policy")
        expected = DOCS if name == "api:openapi-view" else STRICT
        if policy(header) != policy(expected):
            wrong[f"{name} {path} {response.status_code}"] = header
        if name != "api:openapi-view" and response.get("Content-Type", "").startswith("text/html"):
            if hits := _inline_code(response.content.decode()):
                inline[path] = hits
    # then each has the policy, and no page needs inline code
    assert wrong == {}
    assert inline == {}


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/kk/find/?lat=51.13&lon=71.43",
        "/ru/appeals/new/?body={body}",
        "/en/scorecard/?period=2025",
        "/en/news/",
    ],
)
def test_main_pages_are_served_under_the_strict_policy(
    astana: dict[str, Any], client: Any, path: str
) -> None:
    response = client.get(path.format(body=astana["maslikhat"].pk))
    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == policy(STRICT)
    assert _inline_code(response.content.decode()) == []


def test_constituency_page_highlights_without_inline_style(astana: dict[str, Any], client: Any) -> None:
    response = client.get("/en/areas/KZ-71-T01/")
    html = response.content.decode()
    assert policy(response["Content-Security-Policy"]) == policy(STRICT)
    assert 'data-key="KZ-71-T01" aria-current="location">' in html
    assert _inline_code(html) == []


def test_swagger_page_alone_allows_inline_styles(client: Any) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == policy(DOCS)
    assert policy(client.get("/api/v1/openapi.json")["Content-Security-Policy"]) == policy(STRICT)
