"""The page cache against the authorization matrix: every GET of tests/hostile/test_authorization.py
TABLE (and so of tests/hostile/access/*), opened by an anonymous visitor until it is cached, then by
every signed-in role and every API token: no signed-in or token-bearing answer is ever a cached
one, a cached answer is only ever a page the table in settings.PAGE_CACHE_FAMILIES declares, and
no declared page carries a form with a CSRF token or sets a cookie."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from maslikhat.core.pagecache import HIT_HEADER

from .test_authorization import TABLE, _bearer, _client
from .world import ROLES

pytestmark = pytest.mark.xdist_group("hostile_pagecache")

# a signed-in citizen (no role), a maslikhat's staff, the council's staff and an administrator
# (sessions); API tokens of a citizen and of staff. Every role would triple the run for nothing:
# the middleware never looks at who is signed in, only at whether anyone is.
SIGNED_IN = ["citizen", "staff", "council", "admin"]
TOKENS = ["citizen", "staff"]
assert set(SIGNED_IN) <= set(ROLES)

GETS = [
    (name, template, how)
    for name, requests in sorted(TABLE.items())
    for method, template, _allowed, how in requests
    if method == "GET"
]


@pytest.fixture
def in_world(world: dict[str, Any], db: None, settings: Any, _media_in_tmp: None) -> dict[str, Any]:
    """The matrix's shared world, with its media roots (as in test_authorization)."""
    from maslikhat.directory.lookup import reset_index

    settings.MEDIA_ROOT = str(world["media"] / "public")
    settings.PRIVATE_MEDIA_ROOT = str(world["media"] / "private")
    reset_index()
    return world


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def test_every_declared_page_is_in_the_matrix_and_open_to_anonymous_visitors() -> None:
    # A staff page (settings.STAFF_PAGES: staff also see drafts there) may be declared: only its
    # anonymous answer is ever kept, and the matrix must say that anonymous visitors may open it.
    open_to_anonymous = {
        name
        for name, requests in TABLE.items()
        for method, _template, allowed, _how in requests
        if method == "GET" and "anonymous" in allowed
    }
    assert sorted(set(settings.PAGE_CACHE_FAMILIES) - open_to_anonymous) == []
    staff = {
        name
        for name in settings.PAGE_CACHE_FAMILIES
        if any(fnmatchcase(name, pattern) for pattern in settings.STAFF_PAGES)
    }
    assert "news:detail" in staff  # the check above is not vacuous for staff pages


def test_signed_in_answers_are_never_cached_and_cached_ones_are_declared(in_world: dict[str, Any]) -> None:
    problems: list[str] = []
    cached: set[str] = set()
    for name, template, how in GETS:
        path = template.format(**in_world["ids"])
        caches["pages"].clear()
        # an anonymous visitor, twice: the second answer is the cached one if the page is cacheable
        first = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
        second = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
        first_body, second_body = _body(first), _body(second)
        if HIT_HEADER in first or HIT_HEADER in second:
            cached.add(name)
            if name not in settings.PAGE_CACHE_FAMILIES:
                problems.append(f"{path}: cached but not declared")
            if b"csrfmiddlewaretoken" in first_body or first.cookies:
                problems.append(f"{path}: cached with a form or a cookie")
            if second.get(HIT_HEADER) != "hit" or second_body != first_body:
                problems.append(f"{path}: stored but not served back")
        if name in settings.PAGE_CACHE_FAMILIES and first.status_code == 200:
            if b"csrfmiddlewaretoken" in first_body:
                problems.append(f"{path}: declared cacheable but has a form with a CSRF token")
        # then every signed-in role and every API token gets its own answer, never the cached one
        for role in SIGNED_IN:
            if "bearer" in how:
                response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path, **_bearer(in_world, role))
            else:
                response = _client(in_world, role).get(path)
            if HIT_HEADER in response:
                problems.append(f"{path} as {role}: {response[HIT_HEADER]}")
        for role in TOKENS:
            token = Client(HTTP_ACCEPT_LANGUAGE="en").get(path, **_bearer(in_world, role))
            if HIT_HEADER in token:
                problems.append(f"{path} with the token of {role}: {token[HIT_HEADER]}")
        # and the anonymous entry is still what an anonymous visitor gets (signed-in visits stored nothing)
        if name in cached:
            third = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
            if _body(third) != first_body:
                problems.append(f"{path}: a signed-in visit changed the cached page")
    assert problems == []
    # the matrix's public pages are really served from the cache (the test is not vacuous)
    assert {"web:home", "directory:body", "news:index", "scorecard:index", "api:areas"} <= cached
