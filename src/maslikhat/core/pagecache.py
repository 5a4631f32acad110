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

Scoped families. A family may be split by one object: `appeals-public@body=5` is what a write
of an appeal of body 5 changes. A watched app names the scope (`watch_app(..., scope=Scope(...))`)
and its writes bump the family (for the pages that show all of it) and the scoped names of the
objects written (the value before and after the save: an appeal moved to another body changes
both bodies' pages); a page that shows one object's part declares it (`narrow`: URL name ->
the URL argument naming the object) and depends on `family@body=<pk>` and `family@*` instead of
the whole family. `family@*` is bumped by every unscoped bump of the family (a write whose
object could not be told, `QuerySet.update` followed by `bump(family)`): a scoped page is never
older than its family's last unscoped bump.

Within a request the versions read are kept (a request-scoped memo, `PageCacheMiddleware`): the
page's key and its fragments are read in one round trip, and a bump made by the request updates
the memo. A hit costs one small round trip (the versions); its content comes from a bounded
per-process copy (`_Local`, keyed by the same versioned key, so it is exactly as fresh) or, on
a local miss, from the shared cache.

Fragments (`fragment`, `fragments`): the same versions key parts of a page that change rarely
(figures, maps, the other apps' sections), so an uncached page render can skip them.
"""

from __future__ import annotations

import contextvars
import gzip
import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
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
ALL_SCOPES = "@*"
# the per-process copy of stored pages (bytes of content, all entries together)
LOCAL_MAX_BYTES = 48 * 1024 * 1024


def page_cache() -> BaseCache:
    return caches[CACHE_ALIAS]


# ------------------------------------------------------------------ versions


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


@dataclass
class _RequestMemo:
    """What the current request has read from the page cache: the families' versions and the
    fragments' entries (None: known to be absent)."""

    versions: dict[str, str] = field(default_factory=dict)
    fragments: dict[str, Any] = field(default_factory=dict)


# None outside a request (`PageCacheMiddleware`): every call reads the cache.
_memo: contextvars.ContextVar[_RequestMemo | None] = contextvars.ContextVar("pagecache_memo", default=None)


def _read(families: Iterable[str], keys: Sequence[str] = ()) -> tuple[dict[str, str] | None, dict[str, Any]]:
    """The versions of the families (see `versions`) and the entries of other keys, in one round
    trip (the versions already read by the request are not read again)."""
    names = sorted(set(families))
    memo = _memo.get()
    wanted = [f for f in names if memo is None or f not in memo.versions]
    version_keys = [VERSION_PREFIX + f for f in wanted]
    cache = page_cache()
    found = cache.get_many([*version_keys, *keys]) if version_keys or keys else {}
    others = {k: found[k] for k in keys if k in found}
    missing = [k for k in version_keys if k not in found]
    for key in missing:
        cache.add(key, _new_token(), None)
    if missing:
        found.update(cache.get_many(missing))
        if any(k not in found for k in missing):
            return None, others  # the cache is down: nothing is served from it nor stored
    read = {f: str(found[VERSION_PREFIX + f]) for f in wanted}
    if memo is None:
        return read, others
    memo.versions.update(read)
    return {f: memo.versions[f] for f in names}, others


def versions(families: Iterable[str]) -> dict[str, str] | None:
    """The current version of each family; a family never seen (or evicted) gets a new one, so an
    old page can never match again. None when the cache cannot be reached. Within a request, a
    family read once is not read again (`_memo`; a bump by the request updates it)."""
    return _read(families)[0]


def _bump_now(families: Iterable[str]) -> None:
    """New tokens for exactly these names (`bump` expands a bare family to its parts too)."""
    tokens = {family: _new_token() for family in families}
    page_cache().set_many({VERSION_PREFIX + f: t for f, t in tokens.items()}, None)
    memo = _memo.get()
    if memo is not None:
        memo.versions.update(tokens)


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
    one; at once as well inside a test's transaction, which never commits). A family's scoped
    name (`scoped`) bumps that part only (and the family itself must be bumped with it: the
    pages that show all of it); a bare family bumps all its parts too."""
    _bump_exact([n for f in families for n in ((f,) if "@" in f else (f, f + ALL_SCOPES))], using)


def _bump_exact(families: Sequence[str], using: str) -> None:
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


def scoped(family: str, scope: str, value: Any) -> str:
    """The name of one object's part of a family: `appeals-public@body=5`."""
    return f"{family}@{scope}={value}"


def scoped_families(family: str, scope: str, value: Any) -> tuple[str, str]:
    """What a page showing one object's part of a family depends on: that part and the family's
    unscoped bumps."""
    return (family + ALL_SCOPES, scoped(family, scope, value))


@dataclass(frozen=True)
class Scope:
    """How a watched app's writes are told apart: by the object named `field` (`body_id`) on the
    model written, or on a related object already loaded with it (`via`: an appeal's event
    carries its appeal). A write whose object cannot be told without a query bumps the whole
    family (every part)."""

    name: str  # "body"
    field: str  # "body_id"
    via: tuple[str, ...] = ()


_INITIAL = "_pagecache_initial"


def _scope_values(instance: Any, scope: Scope) -> set[Any] | None:
    """The scope values a write of this instance touches (before and after), or None: unknown."""
    values: set[Any] = set()
    holder = instance
    if scope.field not in instance.__dict__:
        cached = getattr(getattr(instance, "_state", None), "fields_cache", {})
        holder = next((cached[name] for name in scope.via if cached.get(name) is not None), None)
        if holder is None or scope.field not in holder.__dict__:
            return None
    values.add(holder.__dict__[scope.field])
    initial = holder.__dict__.get(_INITIAL, values)
    if initial is not values:
        values.add(initial)
    values.discard(None)
    return values


def watch_app(
    app_label: str, *families: str, exclude: Iterable[str] = (), scope: Scope | None = None
) -> None:
    """Bump `families` after every save, delete or many-to-many change of a model of the app
    (models named in `exclude`, e.g. an audit log no page shows, are left out); with a `scope`,
    also the written objects' parts of them (see the module docstring)."""
    skipped = {name.lower() for name in exclude}
    config = apps.get_app_config(app_label)
    for model in config.get_models(include_auto_created=True):
        if model._meta.model_name in skipped:
            continue
        _connect(model, families, scope)


def _remember_initial(field: str) -> Callable[..., None]:
    def remember(sender: Any, instance: Any, **kwargs: Any) -> None:
        if field in instance.__dict__:
            instance.__dict__[_INITIAL] = instance.__dict__[field]

    return remember


def _saved(instance: Any, scope: Scope) -> None:
    if scope.field in instance.__dict__:
        instance.__dict__[_INITIAL] = instance.__dict__[scope.field]  # the next save starts here


def _connect(model: type[Model], families: tuple[str, ...], scope: Scope | None = None) -> None:
    def changed(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # fixtures being loaded: loaddata bumps nothing per row
        action = kwargs.get("action")
        if action is not None and not str(action).startswith("post_"):
            return  # m2m_changed: only once the rows changed
        values = None
        instance = kwargs.get("instance")
        if scope is not None and instance is not None:
            values = _scope_values(instance, scope)
        if values is None:
            bump(*families, using=using)  # every part: the object could not be told
        else:
            parts = [scoped(f, scope.name, v) for f in families for v in sorted(values, key=str)]  # type: ignore[union-attr]
            # the whole family's pages and these objects' parts; the other parts stay
            _bump_exact([*families, *parts], using)
        if scope is not None and instance is not None and kwargs.get("created") is not None:
            _saved(instance, scope)

    uid = f"pagecache:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
    m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":m2m")
    if scope is not None and any(f.attname == scope.field for f in model._meta.concrete_fields):
        post_init.connect(
            _remember_initial(scope.field), sender=model, weak=False, dispatch_uid=uid + ":init"
        )


# ------------------------------------------------------------------ fragments


def fragment(name: str, families: Iterable[str], build: Callable[[], T], seconds: int | None = None) -> T:
    """A part of a page (figures, a map) built once per version of the families it shows, in the
    current language. When the cache is down it is built every time."""
    return fragments([(name, tuple(families), build)], seconds)[0]


def _fragment_key(name: str) -> str:
    return FRAGMENT_PREFIX + _digest(name, translation.get_language() or "", _local_day())


def fragments(
    parts: Sequence[tuple[str, tuple[str, ...], Callable[[], T]]], seconds: int | None = None
) -> list[T]:
    """Several fragments (name, families, build) read in one round trip with their families'
    versions. A fragment is kept under its name, language and day with the versions it was built
    for, and used only while they are the current ones; the missing or outdated ones are built
    and kept in one more round trip."""
    memo = _memo.get()
    keys = [_fragment_key(name) for name, _families, _build in parts]
    known = memo.fragments if memo is not None else {}
    current, found = _read((f for part in parts for f in part[1]), [k for k in keys if k not in known])
    if current is None:
        return [part[2]() for part in parts]
    built: dict[str, Any] = {}
    out: list[T] = []
    for key, part in zip(keys, parts, strict=True):
        wanted = {f: current[f] for f in sorted(set(part[1]))}
        entry = known[key] if key in known else found.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == wanted:
            out.append(entry[1])
            continue
        value = part[2]()
        built[key] = (wanted, value)
        out.append(value)
    if built:
        page_cache().set_many(built, seconds if seconds is not None else settings.PAGE_CACHE_SECONDS)
    if memo is not None:
        memo.fragments.update({k: found.get(k) for k in keys if k not in known})
        memo.fragments.update(built)
    return out


def prefetch(parts: Iterable[tuple[str, tuple[str, ...]]]) -> None:
    """Read the fragments (name, families) a page is about to render, with their versions, in one
    round trip: their `fragment` calls in this request then read nothing more. Outside a
    request, nothing."""
    memo = _memo.get()
    if memo is None:
        return
    wanted = list(parts)
    keys = [k for k in (_fragment_key(name) for name, _families in wanted) if k not in memo.fragments]
    current, found = _read((f for _name, families in wanted for f in families), keys)
    if current is not None:
        memo.fragments.update({k: found.get(k) for k in keys})


# ------------------------------------------------------------------ pages


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _local_day() -> str:
    return timezone.localdate().isoformat()


# URL name -> {family: (scope, URL argument)}: the pages that show one object's part of a family
_NARROWED: dict[str, dict[str, tuple[str, str]]] = {}


def narrow(family: str, scope: str, pages: Mapping[str, str]) -> None:
    """These pages (URL name -> the URL argument naming the object) show only one object's part
    of the family: they depend on `scoped_families(family, scope, <argument>)` instead of it."""
    for view_name, argument in pages.items():
        _NARROWED.setdefault(view_name, {})[family] = (scope, argument)


def families_for(match: ResolverMatch | None) -> tuple[str, ...] | None:
    """The families a page declares (settings.PAGE_CACHE_FAMILIES, narrowed by `narrow` to the
    page's object's part), or None: never cached."""
    if match is None:
        return None
    found = settings.PAGE_CACHE_FAMILIES.get(match.view_name)
    if found is None:
        return None
    narrowed = _NARROWED.get(match.view_name)
    if not narrowed:
        return tuple(found)
    out: list[str] = []
    for family in found:
        rule = narrowed.get(family)
        value = match.kwargs.get(rule[1]) if rule is not None else None
        if rule is None or value is None:
            out.append(family)
        else:
            out.extend(scoped_families(family, rule[0], value))
    return tuple(out)


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


class _Local:
    """A bounded per-process copy of stored pages, under the same versioned keys (so exactly as
    fresh as the shared cache's) and the same expiry: a hit then costs the versions' round trip
    only, not the transfer and unpickling of the page."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, bytes, list[tuple[str, str]]]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, list[tuple[str, str]]] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1], entry[2]

    def put(self, key: str, content: bytes, headers: list[tuple[str, str]], seconds: float) -> None:
        if seconds <= 0 or len(content) > self.max_bytes // 8:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + seconds, content, headers)
            self.size += len(content)
            while self.size > self.max_bytes and self.entries:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        entry = self.entries.pop(key)
        self.size -= len(entry[1])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


_local = _Local(LOCAL_MAX_BYTES)


class PageCacheMiddleware:
    """Serves and stores the public pages of anonymous visitors (see the module docstring). Sits
    after the authentication middleware: a hit skips the view, not the security headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _memo.set(_RequestMemo())  # what this request reads (see `versions`)
        try:
            response = self.get_response(request)
        finally:
            _memo.reset(token)
        key = getattr(request, "_page_cache_key", None)
        if key is None or getattr(request, "_page_cache_hit", False):
            return response
        if isinstance(response, HttpResponse) and storable(request, response):
            response["ETag"] = request._page_cache_etag  # type: ignore[attr-defined]
            headers = [(k, v) for k, v in response.items() if k.lower() != HIT_HEADER.lower()]
            seconds = settings.PAGE_CACHE_SECONDS
            page_cache().set(key, (response.content, headers, time.time() + seconds), seconds)
            _local.put(key, response.content, headers, seconds)
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
        found = _local.get(key)
        if found is None:
            found = page_cache().get(key)
            if not isinstance(found, tuple) or len(found) != 3:
                return None  # absent, or stored by an older release: rendered again
            # kept here for what is left of its time in the shared cache
            _local.put(key, found[0], found[1], found[2] - time.time())
        content, headers = found[0], found[1]
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
