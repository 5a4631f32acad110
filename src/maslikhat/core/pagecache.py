"""The public page cache: what an anonymous visitor is shown, kept per path, language and query
string, and invalidated exactly when what the page shows changes.

Families. Objects are grouped in families ("directory", "news", "appeals-public", ...). Each family
has a version in the cache (`pc:v:<family>`, a random token). A cached page is stored under a key
that contains the versions of the families it declares (settings.PAGE_CACHE_FAMILIES: URL name ->
families, one table): bumping a family (a new token) makes every page that shows it miss, and
nothing else. Writes bump their families after commit (`bump`, through
`transaction.on_commit`); the apps connect their models to their families in `<app>/pagecache.py`
(`watch_app`: post_save, post_delete, m2m_changed), discovered by this module's app config, so a
domain's services need no change. Writes that send no signal (`QuerySet.update`, `bulk_create`)
call `bump` themselves.

Inside a test's transaction (pytest-django's `db`, the hostile world's `rolled_back`: both marked
`_from_testcase`), the outer commit never comes: a bump there also takes effect at once, so the
suite sees what a visitor sees after a commit in production.

What is never served from the cache nor stored in it (`PageCacheMiddleware`): any method but GET
(HEAD is served from a GET's entry), a request with a session or messages cookie (a signed-in
visitor, or one with a message or a form in progress), with an Authorization header (API tokens),
a URL name not in the table, and a response that is not a 200, streams, sets a cookie, started or
changed a session, varies on the cookie by the view's own choice, says `private`/`no-store`, or
used a CSRF token (a page with a form). The session middleware marks almost every page `Vary:
Cookie` (the layout asks who is signed in): the entry kept is the variant for a request without a
session cookie, and only such requests are served it; a hit says `Vary: Cookie` too, so a shared
cache downstream keeps the same rule. The local date is
part of the key, so pages that depend on the day (deadlines, "overdue now", open periods) turn over
at midnight; PAGE_CACHE_SECONDS bounds everything else that moves with the clock.

Fragments (`fragment`): the same versions key parts of a page that change rarely (figures, maps),
so an uncached page render can skip them.
"""

from __future__ import annotations

import gzip
import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.urls import ResolverMatch
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")

CACHE_ALIAS = "pages"
VERSION_PREFIX = "pc:v:"
PAGE_PREFIX = "pc:p:"
FRAGMENT_PREFIX = "pc:f:"
HIT_HEADER = "X-Page-Cache"
CSRF_FIELD = b"csrfmiddlewaretoken"
STORED_TYPES = (
    "text/html",
    "application/json",
    "application/atom+xml",
    "application/rss+xml",
    "text/calendar",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
)
MAX_STORED_BYTES = 2 * 1024 * 1024


def page_cache() -> BaseCache:
    return caches[CACHE_ALIAS]


# ------------------------------------------------------------------ versions


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def versions(families: Iterable[str]) -> dict[str, str] | None:
    """The current version of each family; a family never seen (or evicted) gets a new one, so an
    old page can never match again. None when the cache cannot be reached."""
    names = sorted(set(families))
    cache = page_cache()
    keys = [VERSION_PREFIX + f for f in names]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    for key in missing:
        cache.add(key, _new_token(), None)
    if missing:
        found.update(cache.get_many(missing))
        if any(k not in found for k in missing):
            return None  # the cache is down: nothing is served from it nor stored
    return {f: str(found[VERSION_PREFIX + f]) for f in names}


def _bump_now(families: Iterable[str]) -> None:
    page_cache().set_many({VERSION_PREFIX + f: _new_token() for f in families}, None)


class _Bump:
    """The after-commit bump of one family (one per family per transaction)."""

    def __init__(self, family: str) -> None:
        self.family = family

    def __call__(self) -> None:
        _bump_now([self.family])


def _in_test_transaction(using: str) -> bool:
    blocks = connections[using].atomic_blocks
    return any(getattr(block, "_from_testcase", False) for block in blocks)


def bump(*families: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """New versions for these families once the current transaction commits (at once outside
    one; at once as well inside a test's transaction, which never commits)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        _bump_now(families)
        return
    if _in_test_transaction(using):
        _bump_now(families)
    pending = {entry[1].family for entry in connection.run_on_commit if isinstance(entry[1], _Bump)}
    for family in families:
        if family not in pending:
            transaction.on_commit(_Bump(family), using=using)
            pending.add(family)


def watch_app(app_label: str, *families: str, exclude: Iterable[str] = ()) -> None:
    """Bump `families` after every save, delete or many-to-many change of a model of the app
    (models named in `exclude`, e.g. an audit log no page shows, are left out)."""
    skipped = {name.lower() for name in exclude}
    config = apps.get_app_config(app_label)
    for model in config.get_models(include_auto_created=True):
        if model._meta.model_name in skipped:
            continue
        _connect(model, families)


def _connect(model: type[Model], families: tuple[str, ...]) -> None:
    def changed(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # fixtures being loaded: loaddata bumps nothing per row
        action = kwargs.get("action")
        if action is not None and not str(action).startswith("post_"):
            return  # m2m_changed: only once the rows changed
        bump(*families, using=using)

    uid = f"pagecache:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
    m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":m2m")


# ------------------------------------------------------------------ fragments


def fragment(name: str, families: Iterable[str], build: Callable[[], T], seconds: int | None = None) -> T:
    """A part of a page (figures, a map) built once per version of the families it shows, in the
    current language. When the cache is down it is built every time."""
    current = versions(families)
    if current is None:
        return build()
    key = FRAGMENT_PREFIX + _digest(name, translation.get_language() or "", _local_day(), current)
    cache = page_cache()
    found = cache.get(key)
    if found is not None:
        return found
    value = build()
    cache.set(key, value, seconds if seconds is not None else settings.PAGE_CACHE_SECONDS)
    return value


# ------------------------------------------------------------------ pages


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _local_day() -> str:
    return timezone.localdate().isoformat()


def families_for(match: ResolverMatch | None) -> tuple[str, ...] | None:
    """The families a page declares (settings.PAGE_CACHE_FAMILIES), or None: never cached."""
    if match is None:
        return None
    found = settings.PAGE_CACHE_FAMILIES.get(match.view_name)
    return tuple(found) if found is not None else None


def _has_visitor_state(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
        or "HTTP_X_API_KEY" in request.META
    )


def page_key(request: HttpRequest, families: tuple[str, ...]) -> str | None:
    current = versions(families)
    if current is None:
        return None
    return PAGE_PREFIX + _digest(
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        translation.get_language() or "",
        _local_day(),
        current,
    )


def page_etag(key: str) -> str:
    """A validator that changes when a family the page shows changes, at midnight (both in the
    key) and at least every PAGE_CACHE_SECONDS (what moves with the clock): clients and proxies
    revalidate with If-None-Match and get a 304 without the page being rendered."""
    window = int(time.time() // max(settings.PAGE_CACHE_SECONDS, 1))
    return 'W/"' + _digest(key, window)[:32] + '"'


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def _vary(response: HttpResponseBase) -> set[str]:
    return {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether a response may be kept for every anonymous visitor."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie") or "cookie" in _vary(response):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token went into the page: it has a form
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False  # the visit started a session (a chosen area, a message): its own page
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in STORED_TYPES:
        return False
    if not isinstance(response, HttpResponse):
        return False
    content = response.content
    return len(content) <= MAX_STORED_BYTES and CSRF_FIELD not in content


class PageCacheMiddleware:
    """Serves and stores the public pages of anonymous visitors (see the module docstring). Sits
    after the authentication middleware: a hit skips the view, not the security headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is None or getattr(request, "_page_cache_hit", False):
            return response
        if isinstance(response, HttpResponse) and storable(request, response):
            response["ETag"] = request._page_cache_etag  # type: ignore[attr-defined]
            headers = [(k, v) for k, v in response.items() if k.lower() != HIT_HEADER.lower()]
            page_cache().set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        elif response.streaming and response.status_code == 200 and not response.cookies:
            # too big to keep (the Popolo export), but it is the same for every anonymous visitor
            response["ETag"] = request._page_cache_etag  # type: ignore[attr-defined]
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return None
        families = families_for(request.resolver_match)
        if families is None or _has_visitor_state(request):
            return None
        # No session cookie: the visitor is anonymous. Reading the (empty) session is not done at
        # all, so the page does not vary on the cookie.
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        key = page_key(request, families)
        if key is None:
            return None
        request._page_cache_key = key  # type: ignore[attr-defined]
        etag = page_etag(key)
        request._page_cache_etag = etag  # type: ignore[attr-defined]
        if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ("Cookie",))
            request._page_cache_hit = True  # type: ignore[attr-defined]
            return not_modified  # nothing rendered, nothing read but the versions
        found = page_cache().get(key)
        if found is None:
            return None
        content, headers = found
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["ETag"] = etag
        # the anonymous variant: a shared cache downstream must not give it to a signed-in visitor
        patch_vary_headers(response, ("Cookie",))
        response[HIT_HEADER] = "hit"
        request._page_cache_hit = True  # type: ignore[attr-defined]
        return response


# ------------------------------------------------------------------ compression


def _holds_secret(request: HttpRequest, response: HttpResponseBase) -> bool:
    """BREACH: a secret in a compressed page next to text an attacker chose leaks through the
    length. Secrets here: a CSRF token (a form), anything a signed-in visitor or a token holder
    sees (the session or an API token; a tracking token in the query)."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return True
    if "token" in request.GET:
        return True
    if not response.streaming and isinstance(response, HttpResponse) and CSRF_FIELD in response.content:
        return True
    return False


class SafeGZipMiddleware(GZipMiddleware):
    """Django's GZip middleware, for responses that carry no secret (see `_holds_secret`); the
    others go out uncompressed."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if _holds_secret(request, response):
            return response
        return super().process_response(request, response)


def gunzip(data: bytes) -> bytes:
    """For tests and benches: the body of a compressed response."""
    return gzip.decompress(data)


# ------------------------------------------------------------------ app


class PageCacheConfig(AppConfig):
    """Installed last: imports every app's `pagecache` module, which connects its models."""

    name = "maslikhat.core.pagecache"
    label = "pagecache"
    verbose_name = _("Page cache")

    def ready(self) -> None:
        autodiscover_modules("pagecache")
