"""The public page cache (maslikhat.core.pagecache): anonymous visitors' pages kept per path,
language and query, served again until a family they show is written; never for a signed-in
visitor, a session, a POST, a page with a form or a response that sets a cookie."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client, override_settings

from maslikhat.core import pagecache
from maslikhat.core.pagecache import HIT_HEADER, bump, fragment, versions
from tests.factories import UserFactory
from tests.news.factories import make_publication

HOME = "/en/"
NEWS = "/en/news/"


def _get(client: Client, url: str, **extra: Any) -> Any:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def test_an_anonymous_page_is_stored_then_served_with_the_same_content(astana):
    # given an anonymous visitor's first request of a maslikhat's page
    url = f"/en/bodies/{astana['maslikhat'].pk}/"
    first = _get(Client(), url)
    # when another anonymous visitor asks for it
    second = _get(Client(), url)
    # then the first rendered and stored it, the second got the stored page
    assert first[HIT_HEADER] == "miss"
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]  # a shared cache downstream keeps it for cookieless visitors only


def test_a_hit_runs_no_query(astana, django_assert_num_queries):
    url = f"/en/bodies/{astana['maslikhat'].pk}/"
    _get(Client(), url)
    with django_assert_num_queries(0):
        assert _get(Client(), url)[HIT_HEADER] == "hit"


def test_the_key_holds_the_language_and_the_query(astana):
    make_publication(body=astana["maslikhat"], title_en="Session", title_ru="Сессия", title_kk="Сессия кк")
    client = Client()
    _get(client, NEWS)
    # other languages and other queries are other pages
    ru = _get(client, "/ru/news/")
    other_query = _get(client, NEWS + "?page=1")
    assert ru[HIT_HEADER] == "miss"
    assert other_query[HIT_HEADER] == "miss"
    assert "Сессия" in ru.content.decode()
    assert _get(client, NEWS)[HIT_HEADER] == "hit"
    # the API's language comes from Accept-Language: each language is its own entry
    kk = _get(client, "/api/v1/areas")
    en = _get(client, "/api/v1/areas", HTTP_ACCEPT_LANGUAGE="en")
    assert kk[HIT_HEADER] == en[HIT_HEADER] == "miss"
    assert _get(client, "/api/v1/areas", HTTP_ACCEPT_LANGUAGE="en")[HIT_HEADER] == "hit"


def test_a_write_of_a_family_renders_its_pages_again_and_no_other(astana):
    # given the news list and the council's page, both stored
    client = Client()
    _get(client, NEWS)
    _get(client, "/en/council/")
    # when a publication is written (news family)
    make_publication(body=astana["maslikhat"], title_en="Fresh session news")
    # then the news list shows it at once, the council's page is still served from the cache
    fresh = _get(client, NEWS)
    assert fresh[HIT_HEADER] == "miss"
    assert "Fresh session news" in fresh.content.decode()
    assert _get(client, "/en/council/")[HIT_HEADER] == "hit"


@pytest.mark.django_db(transaction=True)
def test_writes_bump_their_families_after_commit_only():
    # given a family's version, outside any test transaction (as in production)
    before = versions(["news"])
    assert before is not None
    with transaction.atomic():
        bump("news")
        bump("news")  # one after-commit bump per family and transaction
        # then inside the transaction nothing changed yet (another visitor would cache the old page)
        assert versions(["news"]) == before
        from django.db import connection

        pending = [f for _sids, f, *_ in connection.run_on_commit if isinstance(f, pagecache._Bump)]
        # the family and all its parts (`news@*`: the pages showing one body's news)
        assert [p.family for p in pending] == ["news", "news@*"]
    after = versions(["news"])
    assert after != before
    # and a rolled-back transaction bumps nothing
    with transaction.atomic():
        bump("news")
        transaction.set_rollback(True)
    assert versions(["news"]) == after


@pytest.mark.parametrize(
    ("app", "family"),
    [
        ("directory", "directory"),
        ("appeals", "appeals-public"),
        ("news", "news"),
        ("council", "council"),
        ("proceedings", "proceedings"),
        ("participation", "participation"),
        ("deputies", "deputies"),
    ],
)
def test_every_model_of_an_app_bumps_its_family(db, app, family):
    # given each model of the app (its pagecache.py connected them all)
    for model in apps.get_app_config(app).get_models():
        for signal, what in ((post_save, "save"), (post_delete, "delete"), (m2m_changed, "m2m")):
            before = versions([family])
            # when one is saved, deleted or its many-to-many rows change
            receiver = _receiver(signal, f"pagecache:{model._meta.label}:{what}")
            receiver(sender=model, using="default", raw=False, action="post_add")
            # then the family has a new version
            assert versions([family]) != before, (model, what)


def _receiver(signal: Any, uid: str) -> Any:
    found = [entry[1] for entry in signal.receivers if entry[0][0] == uid]
    assert len(found) == 1, uid
    return found[0]


def test_loading_fixtures_bumps_nothing(db):
    before = versions(["news"])
    receiver = _receiver(post_save, "pagecache:news.Publication:save")
    receiver(sender=apps.get_model("news", "Publication"), using="default", raw=True)
    receiver(sender=apps.get_model("news", "Publication"), using="default", action="pre_add")
    assert versions(["news"]) == before


def test_a_signed_in_visitor_is_never_served_nor_stored(astana):
    # given a page stored for anonymous visitors
    _get(Client(), NEWS)
    user: Any = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    # when a signed-in visitor opens it
    response = _get(signed_in, NEWS)
    # then it is rendered for them (their account in the header), and kept for nobody
    assert HIT_HEADER not in response
    assert "/accounts/logout/" in response.content.decode()
    assert "/accounts/logout/" not in _get(Client(), NEWS).content.decode()


def test_a_session_cookie_or_an_api_token_skips_the_cache(astana):
    _get(Client(), NEWS)
    with_session = Client()
    with_session.cookies["sessionid"] = "not-a-real-session"
    assert HIT_HEADER not in _get(with_session, NEWS)
    _get(Client(), "/api/v1/areas")
    assert HIT_HEADER not in Client().get("/api/v1/areas", HTTP_AUTHORIZATION="Bearer nothing")


def test_posts_and_unlisted_pages_are_never_stored(astana):
    client = Client()
    client.post(NEWS)
    assert client.get(NEWS)[HIT_HEADER] == "miss"
    # the appeal form (a CSRF token) is not a cacheable page at all
    form = client.get(f"/en/appeals/new/?body={astana['maslikhat'].pk}")
    assert form.status_code == 200
    assert HIT_HEADER not in form
    assert HIT_HEADER not in client.get(f"/en/appeals/new/?body={astana['maslikhat'].pk}")


def test_a_response_that_starts_a_session_is_not_stored(astana, settings):
    # given a page declared cacheable whose answer writes the session (find my deputies keeps the
    # visitor's area)
    settings.PAGE_CACHE_FAMILIES = {**settings.PAGE_CACHE_FAMILIES, "directory:find": ("directory",)}
    client = Client()
    url = "/en/find/?lat=51.128&lon=71.43"
    first = _get(client, url)
    assert first.cookies  # the session cookie
    # then it was not kept: a cookieless visitor gets it rendered again
    assert HIT_HEADER not in first
    assert HIT_HEADER not in _get(Client(), url)


def test_storable_refuses_forms_cookies_private_and_streams(rf):
    from django.http import HttpResponse, StreamingHttpResponse

    def ok() -> HttpResponse:
        return HttpResponse(b"<p>page</p>", content_type="text/html; charset=utf-8")

    request = rf.get("/en/news/")
    assert pagecache.storable(request, ok())
    with_form = rf.get("/en/news/")
    with_form.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not pagecache.storable(with_form, ok())
    token_in_page = HttpResponse(b'<input name="csrfmiddlewaretoken" value="x">', content_type="text/html")
    assert not pagecache.storable(request, token_in_page)
    cookie = ok()
    cookie.set_cookie("x", "1")
    assert not pagecache.storable(request, cookie)
    private = ok()
    private["Cache-Control"] = "private"
    assert not pagecache.storable(request, private)
    varies = ok()
    varies["Vary"] = "Cookie"
    assert not pagecache.storable(request, varies)
    assert not pagecache.storable(request, StreamingHttpResponse(iter([b"x"])))
    assert not pagecache.storable(request, HttpResponse(b"x", status=404, content_type="text/html"))
    assert not pagecache.storable(request, HttpResponse(b"\x89PNG", content_type="image/png"))
    assert not pagecache.storable(rf.post("/en/news/"), ok())


def test_a_cache_that_cannot_be_reached_serves_every_page_rendered(astana):
    dummy = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    with override_settings(CACHES=dummy):
        assert versions(["news"]) is None
        first = _get(Client(), NEWS)
        second = _get(Client(), NEWS)
        assert HIT_HEADER not in first
        assert HIT_HEADER not in second
        assert fragment("x", ["news"], lambda: "built") == "built"


def test_a_fragment_is_built_once_per_version_and_language(db):
    built: list[str] = []

    def build() -> str:
        built.append("x")
        return f"fragment {len(built)}"

    assert fragment("figures:1", ["appeals-public"], build) == "fragment 1"
    assert fragment("figures:1", ["appeals-public"], build) == "fragment 1"
    from django.utils import translation

    with translation.override("ru"):
        assert fragment("figures:1", ["appeals-public"], build) == "fragment 2"
    bump("appeals-public")
    assert fragment("figures:1", ["appeals-public"], build) == "fragment 3"
    bump("news")  # another family: kept
    assert fragment("figures:1", ["appeals-public"], build) == "fragment 3"


def test_a_version_lost_from_the_cache_never_matches_an_old_page(astana):
    client = Client()
    _get(client, NEWS)
    # when the cache evicts the versions (memory pressure), the page is rendered again
    caches["pages"].delete_many([pagecache.VERSION_PREFIX + f for f in ("news", "directory")])
    assert _get(client, NEWS)[HIT_HEADER] == "miss"


def test_every_declared_page_names_known_families():
    from django.conf import settings
    from django.urls import get_resolver

    known = {"directory", "appeals-public", "news", "council", "proceedings", "participation", "deputies"}
    known.add("scorecard")
    names = set()
    for name, families in settings.PAGE_CACHE_FAMILIES.items():
        assert families, name
        assert set(families) <= known, name
        names.add(name)
    resolvable = set()

    def walk(patterns: Any, ns: str = "") -> None:
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif p.name:
                resolvable.add(ns + p.name)

    walk(get_resolver().url_patterns)
    assert sorted(names - resolvable) == []


def test_the_body_page_rendered_again_reads_only_what_is_not_in_a_fragment(astana, django_assert_num_queries):
    # given a maslikhat's page rendered once (its fragments and maps cached), then asked for by a
    # visitor the page cache does not serve (a session cookie)
    url = f"/en/bodies/{astana['maslikhat'].pk}/"
    visitor = Client()
    visitor.cookies["sessionid"] = "no-such-session"
    first = _get(visitor, url)
    # when it is rendered again: the body only; the maps, the members and contacts and the other
    # apps' kept sections (appeal figures and public appeals, news, proceedings' banner,
    # participation) come from their fragments (tests/core/test_pagecache_scopes.py: a write
    # renders them again)
    with django_assert_num_queries(PINNED_BODY_QUERIES):
        again = _get(visitor, url)
    assert again.content == first.content
    # and a directory write renders the fragments again, with the new name
    member = astana["deputy"]
    member.name_en = "Renamed Deputy"
    member.save()
    assert "Renamed Deputy" in _get(visitor, url).content.decode()


PINNED_BODY_QUERIES = 1
