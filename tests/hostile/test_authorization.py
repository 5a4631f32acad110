"""The authorization matrix: every page and endpoint × every role against an explicit table.

The URL patterns are enumerated from the resolver: a pattern the table does not classify fails
`test_every_url_pattern_is_classified`, so a new page must be added here with its rule.
Allow = 200 for a GET (for a POST: anything but a denial or a 5xx); deny = 302 to the login page,
401, 403 or 404. POSTs run in a savepoint that is rolled back, so no role changes the world the
next one sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .access import JSON_DATA as APP_JSON_DATA
from .access import POST_DATA as APP_POST_DATA
from .access import SECOND_FACTOR as APP_SECOND_FACTOR
from .access import TABLES as APP_TABLES
from .roles import (
    ADMIN,
    ALL,
    BACK_OFFICE,
    COUNCIL,
    INBOX,
    LOGGED_IN,
    MASLIKHAT_STAFF,
    NEWSROOM,
    NOBODY,
    OPEN,
    ROLES,
    STAFF,
    THIS_BODY,
    Req,
)
from .world import rolled_back

# the module builds one shared world (tests/hostile/world.py): xdist keeps it on one worker
pytestmark = pytest.mark.xdist_group("hostile_authorization")


TABLE: dict[str, list[Req]] = {
    # ---------------------------------------------------------------- public pages
    "healthz": [("GET", "/healthz", ALL, "")],
    "readyz": [("GET", "/readyz", ALL, "")],
    "set_language": [("POST", "/i18n/setlang/", ALL, "")],
    "web:home": [("GET", "/en/", ALL, "")],
    "directory:find": [("GET", "/en/find/?lat=51.17&lon=71.45", ALL, "")],
    "directory:area": [("GET", "/en/areas/KZ-71/", ALL, "")],
    "directory:bodies": [("GET", "/en/bodies/", ALL, "")],
    "directory:body": [("GET", "/en/bodies/{body}/", ALL, "")],
    "directory:person": [("GET", "/en/people/{person}/", ALL, "")],
    "scorecard:index": [("GET", "/en/scorecard/", ALL, "")],
    "scorecard:region": [("GET", "/en/scorecard/region/KZ-71/", ALL, "")],
    "scorecard:body": [("GET", "/en/scorecard/body/{body}/", ALL, "")],
    "scorecard:csv": [("GET", "/en/scorecard/scorecard.csv", ALL, "")],
    "scorecard:xlsx": [("GET", "/en/scorecard/scorecard.xlsx", ALL, "")],
    "scorecard:pdf": [("GET", "/en/scorecard/briefing.pdf", ALL, "")],
    # ---------------------------------------------------------------- news
    "news:index": [("GET", "/en/news/", ALL, "")],
    "news:feed": [("GET", "/en/news/feed/", ALL, "")],
    "news:detail": [
        ("GET", "/en/news/{news}/", ALL, ""),
        ("GET", "/en/news/{draft_news}/", THIS_BODY, ""),
    ],
    "news:photo": [("GET", "/en/news/{news}/photo/", ALL, "")],
    "news:body": [("GET", "/en/news/bodies/{body}/", ALL, "")],
    "news:body_feed": [("GET", "/en/news/bodies/{body}/feed/", ALL, "")],
    "news:area": [("GET", "/en/news/areas/KZ-71/", ALL, "")],
    "news:area_feed": [("GET", "/en/news/areas/KZ-71/feed/", ALL, "")],
    "news:tag": [("GET", "/en/news/tags/budget/", ALL, "")],
    "news:tag_feed": [("GET", "/en/news/tags/budget/feed/", ALL, "")],
    "news:newsroom": [("GET", "/en/news/newsroom/", NEWSROOM, "")],
    "news:create": [("GET", "/en/news/newsroom/new/", NEWSROOM, "")],
    "news:edit": [("GET", "/en/news/newsroom/{draft_news}/", THIS_BODY, "")],
    "news:publish": [("POST", "/en/news/newsroom/{draft_news}/publish/", THIS_BODY, "")],
    "news:withdraw": [("POST", "/en/news/newsroom/{news}/withdraw/", THIS_BODY, "")],
    # ---------------------------------------------------------------- follows
    "notifications:mine": [("GET", "/en/follow/", LOGGED_IN, "")],
    "notifications:create": [("POST", "/en/follow/new/?kind=body&target={body}", LOGGED_IN, "follow")],
    "notifications:update": [("POST", "/en/follow/{follow}/", frozenset({"citizen"}), "")],
    "notifications:cancel": [("POST", "/en/follow/{follow}/cancel/", frozenset({"citizen"}), "")],
    "notifications:unsubscribe": [
        ("GET", "/en/follow/unsubscribe/{unsubscribe}/", ALL, ""),
        ("GET", "/en/follow/unsubscribe/forged-token/", NOBODY, ""),
    ],
    "notifications:unsubscribe_digest": [
        ("GET", "/en/follow/unsubscribe/digest/{digest_unsubscribe}/", ALL, ""),
        ("GET", "/en/follow/unsubscribe/digest/forged-token/", NOBODY, ""),
    ],
    # ---------------------------------------------------------------- appeals: citizens
    "appeals:new": [("GET", "/en/appeals/new/?body={body}", ALL, "")],
    "appeals:track": [
        ("GET", "/en/appeals/{appeal}/?token={token}", ALL, ""),
        ("GET", "/en/appeals/{appeal}/", NOBODY, ""),
        ("GET", "/en/appeals/{appeal}/?token=guess", NOBODY, ""),
    ],
    "appeals:withdraw": [
        ("POST", "/en/appeals/{appeal}/withdraw/?token={token}", ALL, ""),
        ("POST", "/en/appeals/{appeal}/withdraw/", NOBODY, ""),
    ],
    "appeals:rate": [("POST", "/en/appeals/{appeal}/rate/", NOBODY, "")],
    "appeals:publish": [("POST", "/en/appeals/{appeal}/publish/", NOBODY, "")],
    "appeals:complain": [("POST", "/en/appeals/{appeal}/complaint/", NOBODY, "")],
    "appeals:attachment": [
        ("GET", "/en/appeals/{appeal}/files/{attachment}/?token={token}", ALL, ""),
        ("GET", "/en/appeals/{appeal}/files/{attachment}/", THIS_BODY, ""),
    ],
    # ---------------------------------------------------------------- appeals: staff
    "appeals:inbox": [("GET", "/en/inbox/", INBOX, "")],
    # Any account may post; each appeal is checked on its own (test_bulk_assign_assigns_only_...).
    "appeals:bulk_assign": [("POST", "/en/inbox/assign/", LOGGED_IN, "")],
    "appeals:staff_detail": [("GET", "/en/inbox/{appeal}/", THIS_BODY, "")],
    "appeals:staff_act": [
        ("POST", "/en/inbox/{appeal}/note/", THIS_BODY, ""),
        ("POST", "/en/inbox/{appeal}/close/", THIS_BODY, ""),
        # approving the redacted public version: the body's staff (the world's appeal is not
        # answered, so the allowed roles get a clear 409)
        ("POST", "/en/inbox/{appeal}/publication/", THIS_BODY, ""),
        ("POST", "/en/inbox/{appeal}/no-such-action/", NOBODY, ""),
    ],
    # ---------------------------------------------------------------- council
    "council:index": [("GET", "/en/council/", ALL, "")],
    "council:mine": [("GET", "/en/council/mine/", MASLIKHAT_STAFF, "")],
    "council:meeting_new": [("GET", "/en/council/meetings/new/", COUNCIL, "")],
    "council:meeting": [
        ("GET", "/en/council/meetings/{meeting}/", ALL, ""),
        ("GET", "/en/council/meetings/{draft_meeting}/", COUNCIL, ""),
    ],
    "council:meeting_document": [("GET", "/en/council/meetings/{meeting}/documents/{meeting_doc}/", ALL, "")],
    "council:meeting_act": [
        ("POST", "/en/council/meetings/{draft_meeting}/publish/", COUNCIL, ""),
        ("POST", "/en/council/meetings/{meeting}/cancel/", COUNCIL, ""),
    ],
    "council:recommendations": [("GET", "/en/council/recommendations/", ALL, "")],
    "council:recommendation": [("GET", "/en/council/recommendations/{rec}/", ALL, "")],
    "council:report_file": [("POST", "/en/council/recommendations/{rec}/reports/{report}/", THIS_BODY, "")],
    "council:proposals": [("GET", "/en/council/proposals/", ALL, "")],
    "council:proposal_new": [("GET", "/en/council/proposals/new/", MASLIKHAT_STAFF, "")],
    "council:proposal": [("GET", "/en/council/proposals/{proposal}/", ALL, "")],
    "council:proposal_document": [
        # The justification is internal: the proposing body and the council.
        ("GET", "/en/council/proposals/{proposal}/documents/{proposal_doc}/", COUNCIL | {"staff"}, "")
    ],
    "council:proposal_act": [
        ("POST", "/en/council/proposals/{proposal}/review/", COUNCIL, ""),
        ("POST", "/en/council/proposals/{proposal}/note/", COUNCIL | {"staff"}, ""),
        ("POST", "/en/council/proposals/{proposal}/withdraw/", THIS_BODY, ""),
    ],
    # ---------------------------------------------------------------- API (bearer = the role's token)
    "api:openapi-json": [("GET", "/api/v1/openapi.json", ALL, "")],
    "api:openapi-view": [("GET", "/api/v1/docs", ALL, "")],
    "api:areas": [("GET", "/api/v1/areas", ALL, "")],
    "api:area_detail": [("GET", "/api/v1/areas/KZ-71", ALL, "")],
    "api:bodies": [("GET", "/api/v1/bodies", ALL, "")],
    "api:body_detail": [("GET", "/api/v1/bodies/{body}", ALL, "")],
    "api:people": [("GET", "/api/v1/people", ALL, "")],
    "api:person_detail": [("GET", "/api/v1/people/{person}", ALL, "")],
    "api:lookup_endpoint": [("GET", "/api/v1/lookup?lat=51.17&lon=71.45", ALL, "")],
    "api:export_popolo": [("GET", "/api/v1/export/popolo.json", ALL, "")],
    "api:working_days": [("GET", "/api/v1/calendar/working-days?start=2026-01-05&days=15", ALL, "")],
    "api:appeal_kinds": [("GET", "/api/v1/appeal-kinds", ALL, "")],
    "api:appeal_topics": [("GET", "/api/v1/appeal-topics", ALL, "")],
    "api:appeal_create": [("POST", "/api/v1/appeals", ALL, "json")],
    "api:appeal_get": [
        ("GET", "/api/v1/appeals/{appeal}?token={token}", ALL, "bearer"),
        ("GET", "/api/v1/appeals/{appeal}", NOBODY, "bearer"),
    ],
    "api:appeal_withdraw": [("POST", "/api/v1/appeals/{appeal}/withdraw", NOBODY, "bearer json")],
    "api:appeal_rating": [("POST", "/api/v1/appeals/{appeal}/rating", NOBODY, "bearer json")],
    "api:appeal_complaint": [("POST", "/api/v1/appeals/{appeal}/complaint", NOBODY, "bearer json")],
    "api:appeal_stats": [("GET", "/api/v1/bodies/{body}/appeal-stats", ALL, "")],
    "api:auth_token": [("POST", "/api/v1/auth/token", NOBODY, "json")],
    # Any token's holder may revoke it (in a rolled-back savepoint here).
    "api:auth_token_revoke": [("POST", "/api/v1/auth/token/revoke", LOGGED_IN, "bearer")],
    "api:inbox": [("GET", "/api/v1/inbox", INBOX, "bearer")],
    "api:staff_assign": [("POST", "/api/v1/appeals/{appeal}/assign", THIS_BODY, "bearer json")],
    "api:staff_start": [("POST", "/api/v1/appeals/{appeal}/start", THIS_BODY, "bearer")],
    "api:staff_answer": [("POST", "/api/v1/appeals/{appeal}/answer", THIS_BODY, "bearer json")],
    "api:staff_forward": [("POST", "/api/v1/appeals/{appeal}/forward", THIS_BODY, "bearer json")],
    "api:staff_extend": [("POST", "/api/v1/appeals/{appeal}/extend", THIS_BODY, "bearer json")],
    "api:staff_refuse": [("POST", "/api/v1/appeals/{appeal}/refuse", THIS_BODY, "bearer json")],
    "api:staff_close": [("POST", "/api/v1/appeals/{appeal}/close", THIS_BODY, "bearer")],
    "api:staff_publication_get": [("GET", "/api/v1/appeals/{appeal}/publication", THIS_BODY, "bearer")],
    "api:staff_publication": [("POST", "/api/v1/appeals/{appeal}/publication", THIS_BODY, "bearer json")],
    "api:meetings": [("GET", "/api/v1/council/meetings", ALL, "")],
    "api:meeting_detail": [
        ("GET", "/api/v1/council/meetings/{meeting}", ALL, ""),
        ("GET", "/api/v1/council/meetings/{draft_meeting}", COUNCIL, ""),
    ],
    "api:proposals": [("GET", "/api/v1/council/proposals", ALL, "")],
    "api:proposal_detail": [("GET", "/api/v1/council/proposals/{proposal}", ALL, "")],
    "api:recommendations": [("GET", "/api/v1/council/recommendations", ALL, "")],
    "api:recommendation_detail": [("GET", "/api/v1/council/recommendations/{rec}", ALL, "")],
    "api:scorecard": [("GET", "/api/v1/scorecard", ALL, "")],
    "api:scorecard_csv": [("GET", "/api/v1/scorecard.csv", ALL, "")],
    "api:definitions": [("GET", "/api/v1/scorecard/definitions", ALL, "")],
    "api:news": [("GET", "/api/v1/news", ALL, "")],
    "api:news_detail": [
        ("GET", "/api/v1/news/{news}", ALL, ""),
        ("GET", "/api/v1/news/{draft_news}", NOBODY, ""),
    ],
    "api:api-root": [("GET", "/api/v1/", NOBODY, "")],
    "api:api-not-found": [("GET", "/api/v1/no/such/thing", NOBODY, "")],
    # ---------------------------------------------------------------- back office (sampled)
    "admin:index": [("GET", "/en/admin/", BACK_OFFICE, "")],
    # Every back-office account sees the appeals changelist, of its own body only (checked below).
    "admin:appeals_appeal_changelist": [("GET", "/en/admin/appeals/appeal/", BACK_OFFICE, "")],
    "admin:core_user_changelist": [("GET", "/en/admin/core/user/", ADMIN, "")],
    "account_login": [("GET", "/en/accounts/login/", ALL, "redirect-ok")],
    "account_email": [("GET", "/en/accounts/email/", LOGGED_IN, "")],
    "account_change_password": [("GET", "/en/accounts/password/change/", LOGGED_IN, "")],
    "mfa_index": [("GET", "/en/accounts/2fa/", LOGGED_IN, "")],
}
# The apps built later classify their own pages in tests/hostile/access/<app>.py.
TABLE.update(APP_TABLES)

# Patterns of third-party apps that guard themselves (Django admin: is_staff and model
# permissions, per-body querysets; allauth: login and reauthentication); sampled above.
THIRD_PARTY_ROUTES = ("admin/", "accounts/")
# Served only with DEBUG on (never in production, not in tests).
DEBUG_ONLY_ROUTES = ("media/<path:path>",)

POST_DATA: dict[str, dict[str, Any]] = {
    "notifications:create": {"kind": "body", "frequency": "daily"},
    "notifications:update": {"frequency": "daily"},
    "appeals:staff_act": {"text": "An internal note."},
    "appeals:bulk_assign": {"numbers": []},
    "council:report_file": {"text": "Twelve receptions held."},
    "council:proposal_act": {"text": "A note."},
    "set_language": {"language": "ru", "next": "/ru/"},
    **APP_POST_DATA,
}
JSON_DATA: dict[str, dict[str, Any]] = {
    "api:appeal_create": {
        "body_id": 0,
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road.",
        "language": "en",
        "applicant": {},
    },
    "api:auth_token": {"username": "hostile-citizen", "password": "wrong"},
    "api:staff_assign": {},
    "api:staff_answer": {"text": "Planned for spring."},
    "api:staff_forward": {"body_id": 1, "reason": "Not ours."},
    "api:staff_extend": {"until": "2026-01-01", "reason": "More time."},
    "api:staff_refuse": {"reason": "Anonymous."},
    "api:staff_publication": {"text": "A road needs repair.", "answer_text": "Planned for spring."},
    "api:appeal_withdraw": {"token": "guess"},
    "api:appeal_rating": {"token": "guess", "rating": 5},
    "api:appeal_complaint": {"token": "guess", "text": "Bad answer."},
    **APP_JSON_DATA,
}


def _patterns(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield (f"{ns}{p.name}" if p.name else "", prefix + str(p.pattern))


def all_patterns() -> list[tuple[str, str]]:
    return list(_patterns(get_resolver().url_patterns))


def _unprefixed(route: str) -> str:
    """The route without its language prefix."""
    from django.conf import settings

    head, _, rest = route.partition("/")
    return rest if head in {code for code, _name in settings.LANGUAGES} else route


def test_every_url_pattern_is_classified() -> None:
    unclassified = [
        (name, route)
        for name, route in all_patterns()
        if name not in TABLE
        and not _unprefixed(route).startswith(THIRD_PARTY_ROUTES)
        and route not in DEBUG_ONLY_ROUTES
    ]
    assert unclassified == [], "add these pages to the authorization table: " + repr(unclassified)
    names = {name for name, _ in all_patterns()}
    stale = sorted(set(TABLE) - names)
    assert stale == [], f"the table names patterns that no longer exist: {stale}"


# ------------------------------------------------------------------------------------------ the matrix


@pytest.fixture
def in_world(world: dict[str, Any], db: None, settings: Any, _media_in_tmp: None) -> dict[str, Any]:
    """The world's files are where its rows say they are."""
    from maslikhat.directory.lookup import reset_index

    settings.MEDIA_ROOT = str(world["media"] / "public")
    settings.PRIVATE_MEDIA_ROOT = str(world["media"] / "private")
    reset_index()
    return world


def _denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and ("/accounts/login/" in location or "/admin/login/" in location)


def _allowed(method: str, response: Any, how: str) -> bool:
    if method == "GET" and "redirect-ok" not in how:
        return response.status_code == 200
    return response.status_code < 500 and not _denied(response)


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role != "anonymous":
        _sign_in(client, world["users"][role])
    return client


def _sign_in(client: Client, user: Any) -> None:
    """What `client.force_login(user)` leaves in a fresh client, in one insert: a new session of its
    own holding the user's id, the backend force_login picks (the first with `get_user`) and the
    session hash of the password, and its cookie. force_login gets there through `login()` (a
    session created, loaded, rotated, and `last_login` saved): about a sixth of the matrix's time
    over its thousands of requests. Nothing the matrix asserts reads `last_login`."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(b), "get_user"))
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    name = settings.SESSION_COOKIE_NAME
    client.cookies[name] = session.session_key
    attributes: dict[str, Any] = {
        "max-age": None,
        "path": "/",
        "domain": settings.SESSION_COOKIE_DOMAIN,
        "secure": settings.SESSION_COOKIE_SECURE or None,
        "expires": None,
    }
    client.cookies[name].update(attributes)


def _bearer(world: dict[str, Any], role: str) -> dict[str, Any]:
    if role == "anonymous":
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {world['tokens'][role]}"}


def _request(world: dict[str, Any], name: str, role: str, method: str, path: str, how: str) -> Any:
    cache.clear()  # rate limits (the token endpoint's per-account one) are not what this tests
    if "bearer" in how:
        client, extra = Client(HTTP_ACCEPT_LANGUAGE="en"), _bearer(world, role)
    else:
        client, extra = _client(world, role), dict[str, Any]()
    if method == "GET":
        return client.get(path, **extra)
    with rolled_back():
        if "json" in how:
            data = dict(JSON_DATA.get(name, {}))
            if name == "api:appeal_create":
                data["body_id"] = world["ids"]["body"]
            response = client.post(path, data, content_type="application/json", **extra)
        else:
            data = dict(POST_DATA.get(name, {}))
            if how == "follow":
                data["target"] = str(world["ids"]["body"])
            response = client.post(path, data, **extra)
    return response


@pytest.mark.parametrize("name", sorted(TABLE))
def test_access_matches_the_table(name: str, in_world: dict[str, Any], settings: Any) -> None:
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 10_000
    mismatches = []
    for method, template, allowed, how in TABLE[name]:
        path = template.format(**in_world["ids"])
        for role in ROLES:
            response = _request(in_world, name, role, method, path, how)
            expected_allow = role in allowed
            ok = _allowed(method, response, how) if expected_allow else _denied(response)
            if not ok:
                where = response.get("Location", "")
                mismatches.append(
                    f"{method} {path} as {role}: {response.status_code} {where} "
                    f"(expected {'allow' if expected_allow else 'deny'})"
                )
    assert mismatches == []


def test_bulk_assign_assigns_only_what_the_role_may_manage(in_world: dict[str, Any]) -> None:
    from maslikhat.appeals.models import Appeal

    number = in_world["ids"]["appeal"]
    for role in ROLES:
        with rolled_back():
            assignee = in_world["users"]["staff"]
            _client(in_world, role).post("/en/inbox/assign/", {"numbers": [number], "assignee": assignee.pk})
            assigned = Appeal.objects.get(registration_number=number).assignee_id == assignee.pk
        assert assigned == (role in THIS_BODY), role


def test_an_inbox_lists_only_the_appeals_of_its_own_body(in_world: dict[str, Any]) -> None:
    number = in_world["ids"]["appeal"]
    for role in INBOX:
        page = _client(in_world, role).get("/en/inbox/").content.decode()
        api = Client().get("/api/v1/inbox", **_bearer(in_world, role)).json()
        listed = [i["registration_number"] for i in api["items"]]
        admin = _client(in_world, role).get("/en/admin/appeals/appeal/").content.decode()
        assert (number in page) == (role in THIS_BODY), role
        assert (number in listed) == (role in THIS_BODY), role
        assert (number in admin) == (role in THIS_BODY), role
        if role not in THIS_BODY:
            assert in_world["users"]["citizen"].email not in page


# ------------------------------------------------------------------------------------------ second factor

# Every URL pattern is a staff page (an account with a role must have TOTP to open it, when
# STAFF_SECOND_FACTOR_REQUIRED) or not. A staff page is any page that shows or changes something
# only a role may, including public pages that show staff their drafts.
API_OPEN = {name: OPEN for name in TABLE if name.startswith("api:")}
SECOND_FACTOR: dict[str, str] = (
    APP_SECOND_FACTOR
    | API_OPEN
    | {
        # the API: a role's bearer token is issued only with a TOTP code (tests/hostile/test_second_factor.py)
        "healthz": OPEN,
        "readyz": OPEN,
        "set_language": OPEN,
        "web:home": OPEN,
        "directory:find": OPEN,
        "directory:area": OPEN,
        "directory:bodies": OPEN,
        "directory:body": OPEN,
        "directory:person": OPEN,
        "scorecard:index": OPEN,
        "scorecard:region": OPEN,
        "scorecard:body": OPEN,
        "scorecard:csv": OPEN,
        "scorecard:xlsx": OPEN,
        "scorecard:pdf": OPEN,
        "news:index": OPEN,
        "news:feed": OPEN,
        "news:detail": STAFF,  # drafts of the own body
        "news:photo": OPEN,
        "news:body": OPEN,
        "news:body_feed": OPEN,
        "news:area": OPEN,
        "news:area_feed": OPEN,
        "news:tag": OPEN,
        "news:tag_feed": OPEN,
        "news:newsroom": STAFF,
        "news:create": STAFF,
        "news:edit": STAFF,
        "news:publish": STAFF,
        "news:withdraw": STAFF,
        "notifications:mine": OPEN,
        "notifications:create": OPEN,
        "notifications:update": OPEN,
        "notifications:cancel": OPEN,
        "notifications:unsubscribe": OPEN,
        "notifications:unsubscribe_digest": OPEN,
        "appeals:new": OPEN,
        "appeals:track": OPEN,
        "appeals:withdraw": OPEN,
        "appeals:rate": OPEN,
        "appeals:publish": OPEN,
        "appeals:complain": OPEN,
        "appeals:attachment": STAFF,  # staff open files without the tracking token
        "appeals:inbox": STAFF,
        "appeals:bulk_assign": STAFF,
        "appeals:staff_detail": STAFF,
        "appeals:staff_act": STAFF,
        "council:index": OPEN,
        "council:mine": STAFF,
        "council:meeting_new": STAFF,
        "council:meeting": STAFF,  # draft meetings for the council's staff
        "council:meeting_document": OPEN,
        "council:meeting_act": STAFF,
        "council:recommendations": OPEN,
        "council:recommendation": OPEN,
        "council:report_file": STAFF,
        "council:proposals": OPEN,
        "council:proposal_new": STAFF,
        "council:proposal": OPEN,
        "council:proposal_document": STAFF,
        "council:proposal_act": STAFF,
        "account_login": OPEN,
        "account_email": OPEN,
        "account_change_password": OPEN,
        "mfa_index": OPEN,
    }
)
# Every back-office page is a staff page; allauth's account pages are not (they are where the
# second factor is set up).
ROLE_HOLDERS = ("deputy", "staff", "other_staff", "council", "admin")
SETUP = "/en/accounts/2fa/totp/activate/"
SAMPLE_ARGS = {
    "<path:object_id>": "1",
    "<path:content_type_id>": "1",
    "<id>": "1",
    "(?P<url>.*)$": "no-such-page/",
}


def _second_factor_class(name: str, route: str) -> str | None:
    rest = _unprefixed(route)
    if rest.startswith("admin/"):
        return STAFF
    if rest.startswith("accounts/"):
        return OPEN
    return SECOND_FACTOR.get(name)


def test_every_url_pattern_is_marked_staff_or_not() -> None:
    unmarked = [
        (name, route)
        for name, route in all_patterns()
        if route not in DEBUG_ONLY_ROUTES and _second_factor_class(name, route) is None
    ]
    assert unmarked == [], "mark these pages STAFF or OPEN in SECOND_FACTOR: " + repr(unmarked)
    assert sorted(set(SECOND_FACTOR) - set(TABLE)) == []


def _sample_path(route: str) -> str:
    """A concrete English path for a route (object ids need not exist: the second factor is
    demanded before the view runs)."""
    path = "/en/" + _unprefixed(route)
    for arg, value in SAMPLE_ARGS.items():
        path = path.replace(arg, value)
    if "(?P<app_label>" in path:
        path = path[: path.index("^")] + "core/"
    return path


def _staff_paths(world: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(name, method, path, how) of every staff page: the table's requests, and every
    back-office pattern at a sample path."""
    out: list[tuple[str, str, str, str]] = []
    for name, route in all_patterns():
        if _second_factor_class(name, route) != STAFF:
            continue
        if name in TABLE:
            out += [(name, method, t.format(**world["ids"]), how) for method, t, _r, how in TABLE[name]]
        else:
            out.append((name or route, "GET", _sample_path(route), ""))
    return out


@contextmanager
def _totp_for(world: dict[str, Any], roles: tuple[str, ...]) -> Iterator[None]:
    from allauth.mfa.models import Authenticator

    with rolled_back():
        for role in roles:
            Authenticator.objects.create(
                user=world["users"][role], type=Authenticator.Type.TOTP, data={"secret": "x"}
            )
        yield


def test_every_staff_page_sends_a_role_holder_without_totp_to_set_it_up(
    in_world: dict[str, Any], settings: Any
) -> None:
    # given the second factor is required and no account has one
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    staff_paths = _staff_paths(in_world)
    assert len(staff_paths) > 100  # the back office's patterns are among them
    not_sent = []
    for name, method, path, how in staff_paths:
        for role in ROLE_HOLDERS:
            # when a role-holder opens a staff page
            response = _request(in_world, name, role, method, path, how)
            # then it is sent to set up TOTP
            if response.status_code != 302 or response["Location"] != SETUP:
                not_sent.append(f"{method} {path} as {role}: {response.status_code}")
    assert not_sent == []


def test_with_totp_every_staff_page_answers_as_the_table_says(
    in_world: dict[str, Any], settings: Any
) -> None:
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 10_000
    mismatches = []
    with _totp_for(in_world, ROLE_HOLDERS):
        for name, method, path, how in _staff_paths(in_world):
            for role in ROLES:
                response = _request(in_world, name, role, method, path, how)
                if response.status_code == 302 and response["Location"] == SETUP:
                    mismatches.append(f"{method} {path} as {role}: still sent to set up TOTP")
                    continue
                if name not in TABLE:
                    continue  # a sampled back-office path: only "not sent to set up" is asserted
                allowed = next(r for m, t, r, _h in TABLE[name] if t.format(**in_world["ids"]) == path)
                ok = _allowed(method, response, how) if role in allowed else _denied(response)
                if not ok:
                    mismatches.append(f"{method} {path} as {role}: {response.status_code}")
    assert mismatches == []


def test_pages_that_are_not_staff_pages_do_not_demand_a_second_factor(
    in_world: dict[str, Any], settings: Any
) -> None:
    # given the second factor is required and a staff member has none
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    sent = []
    for name, rows in TABLE.items():
        if SECOND_FACTOR.get(name) != OPEN or name.startswith("api:"):
            continue
        for method, template, _allowed_roles, how in rows:
            path = template.format(**in_world["ids"])
            response = _request(in_world, name, "staff", method, path, how.replace("bearer", ""))
            if response.get("Location", "") == SETUP:
                sent.append(path)
    # then every other page works as before, the set-up page included (no redirect loop)
    assert sent == []
    setup = _client(in_world, "staff").get(SETUP)
    assert setup.status_code in (200, 302) and setup.get("Location", "") != SETUP


def test_citizens_are_never_asked_for_a_second_factor(in_world: dict[str, Any], settings: Any) -> None:
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    locations = {
        _request(in_world, name, "citizen", method, path, how).get("Location", "")
        for name, method, path, how in _staff_paths(in_world)
    }
    assert SETUP not in locations


# ------------------------------------------------------------------- hostile text in the apps' pages

# The apps built after the form rule (proceedings, participation, deputies) read request.POST in
# their views and leave the text rule to their services (core.text.clean_input / field_text):
# every POST row of their tables, every field it posts, with text that is only invisible or that
# carries a direction override, posted by a role the table allows, is refused or stored clean.
HOSTILE_FORM_TEXT = ("\u200b", "\u202e\u2066evil", "\u3164\u200d")
_HOSTILE_CHARS = ("\u200b", "\u202e", "\u2066", "\u3164")
_ROLE_PREFERENCE = ("staff", "admin", "citizen", "deputy", "council", "anonymous")


def _hostile_text_stored() -> list[str]:
    from django.apps import apps
    from django.db import models as dj
    from django.db.models import Q

    found = []
    for label in ("proceedings", "participation", "deputies"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, dj.CharField | dj.TextField) and not field.choices:
                    query = Q()
                    for char in _HOSTILE_CHARS:
                        query |= Q(**{f"{field.name}__contains": char})
                    if model._default_manager.filter(query).exists():
                        found.append(f"{model.__name__}.{field.name}")
    return found


_APP_POST_ROWS = [
    (name, template, allowed)
    for name, rows in sorted(APP_TABLES.items())
    for method, template, allowed, how in rows
    if method == "POST" and how == "" and APP_POST_DATA.get(name) and allowed & set(_ROLE_PREFERENCE)
]


@pytest.mark.parametrize(("name", "template", "allowed"), _APP_POST_ROWS, ids=[r[0] for r in _APP_POST_ROWS])
def test_the_apps_pages_refuse_or_clean_hostile_text(
    name: str, template: str, allowed: frozenset[str], in_world: dict[str, Any], settings: Any
) -> None:
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 10_000
    role = next(r for r in _ROLE_PREFERENCE if r in allowed)
    path = template.format(**in_world["ids"])
    problems = []
    for field, value in APP_POST_DATA[name].items():
        if not isinstance(value, str):
            continue
        for hostile in HOSTILE_FORM_TEXT:
            with rolled_back():
                cache.clear()  # rate limits of the previous attempts
                response = _client(in_world, role).post(path, {**APP_POST_DATA[name], field: hostile})
                stored = _hostile_text_stored()
            if response.status_code >= 500 or stored:
                problems.append(f"{field}={hostile!r}: {response.status_code}, stored in {stored}")
    assert problems == []
