# ruff: noqa: F811 (the appeals tests' `submit` fixture, imported, is the tests' argument)
"""Scoped page-cache families (maslikhat.core.pagecache: `Scope`, `narrow`) and the kept
sections of a maslikhat's page (maslikhat.core.sections): a write changes what the next
anonymous visitor (and the next uncached render) sees on the pages of the object written, and
leaves the other maslikhats' pages in the cache; a write whose object is not known renders
every page again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from maslikhat.core import pagecache
from maslikhat.core.pagecache import HIT_HEADER, bump
from maslikhat.directory.models import Organization
from tests.appeals.fixtures import submit  # noqa: F401 (the appeals tests' fixture)
from tests.news.factories import make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def almaty(astana: dict[str, Any]) -> Organization:
    return Organization.objects.get(slug="kz-75-maslikhat")


def _page(pk: int) -> str:
    return f"/en/bodies/{pk}/"


def _get(url: str, client: Client | None = None) -> Any:
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response


def _stored(*urls: str) -> None:
    for url in urls:
        _get(url)
        assert _get(url)[HIT_HEADER] == "hit", url


def test_a_bodys_page_declares_its_part_of_the_scoped_families(astana):
    from django.urls import resolve

    families = pagecache.families_for(resolve(_page(astana["maslikhat"].pk)))
    assert families is not None
    pk = astana["maslikhat"].pk
    for family in ("appeals-public", "news", "participation"):
        assert family not in families
        assert f"{family}@*" in families
        assert f"{family}@body={pk}" in families
    assert "directory" in families and "proceedings" in families  # not narrowed


def test_an_appeal_changes_its_bodys_page_and_leaves_the_others_in_the_cache(astana, almaty, submit):
    mine, other = _page(astana["maslikhat"].pk), _page(almaty.pk)
    _stored(mine, other, "/en/scorecard/")
    before = _get(mine).content
    # when a citizen submits an appeal to Astana's maslikhat
    submit()
    # then its page is rendered again with the new figure, the national scorecard too,
    # and Almaty's page is still served from the cache
    again = _get(mine)
    assert again[HIT_HEADER] == "miss"
    assert again.content != before
    assert _get("/en/scorecard/")[HIT_HEADER] == "miss"
    assert _get(other)[HIT_HEADER] == "hit"


def test_an_appeal_moved_to_another_body_changes_both_pages(astana, almaty, submit):
    from maslikhat.appeals.models import Appeal

    created = submit()
    appeal = Appeal.objects.get(pk=getattr(created, "pk", None) or Appeal.objects.latest("pk").pk)
    mine, other = _page(astana["maslikhat"].pk), _page(almaty.pk)
    _stored(mine, other)
    # when the appeal is moved to Almaty's maslikhat (a fresh instance: the old body is known
    # from what was loaded)
    appeal.body = almaty
    appeal.save()
    assert _get(mine)[HIT_HEADER] == "miss"
    assert _get(other)[HIT_HEADER] == "miss"


def test_a_write_of_unknown_scope_renders_every_body_page_again(astana, almaty):
    mine, other = _page(astana["maslikhat"].pk), _page(almaty.pk)
    _stored(mine, other)
    # a service that wrote without signals (QuerySet.update) bumps the whole family
    bump("appeals-public")
    assert _get(mine)[HIT_HEADER] == "miss"
    assert _get(other)[HIT_HEADER] == "miss"


def test_a_publication_changes_only_its_bodys_page(astana, almaty):
    mine, other = _page(astana["maslikhat"].pk), _page(almaty.pk)
    _stored(mine, other, "/en/news/")
    make_publication(body=astana["maslikhat"], title_en="Scoped session news")
    again = _get(mine)
    assert again[HIT_HEADER] == "miss"
    assert "Scoped session news" in again.content.decode()
    assert _get("/en/news/")[HIT_HEADER] == "miss"
    assert _get(other)[HIT_HEADER] == "hit"


def test_the_kept_sections_of_an_uncached_render_follow_the_writes(
    astana, almaty, submit, django_assert_num_queries
):
    # a visitor the page cache never serves (a session cookie): every request renders
    visitor = Client()
    visitor.cookies["sessionid"] = "no-such-session"
    mine = _page(astana["maslikhat"].pk)
    first = _get(mine, visitor).content
    _get(_page(almaty.pk), visitor)
    # when an appeal and a publication are written for Astana
    submit()
    make_publication(body=astana["maslikhat"], title_en="Kept section news")
    # then its next render shows both (its kept sections built again)
    again = _get(mine, visitor).content
    assert again != first
    assert "Kept section news" in again.decode()
    # and Almaty's page rendered again reads only the body: its sections were kept
    with django_assert_num_queries(1):
        _get(_page(almaty.pk), visitor)


def test_a_hit_from_the_process_copy_is_never_older_than_the_shared_versions(astana):
    url = _page(astana["maslikhat"].pk)
    first = _get(url)
    assert first[HIT_HEADER] == "miss"
    # the shared cache loses everything (a restart of Redis): the versions start again, so the
    # process's copy under the old versions is never served
    caches["pages"].clear()
    assert _get(url)[HIT_HEADER] == "miss"
    # served from the process's copy while the versions hold
    caches["pages"].delete_many([k for k in _page_keys()])
    assert _get(url)[HIT_HEADER] == "hit"
    bump("directory")
    assert _get(url)[HIT_HEADER] == "miss"


def _page_keys() -> list[str]:
    """The shared cache's stored pages (the local-memory backend of the suite)."""
    cache: Any = caches["pages"]
    return [k.split(":", 2)[2] for k in list(cache._cache) if pagecache.PAGE_PREFIX in k]
