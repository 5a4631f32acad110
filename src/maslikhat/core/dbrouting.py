"""Reads from a replica, writes to the primary (`DATABASE_REPLICA_URL`, PostgreSQL streaming).

Which database a query goes to is decided once per request, here and nowhere else:

- every write goes to the primary ("default");
- an anonymous visitor's safe request (GET, HEAD, OPTIONS, no session cookie) reads from the
  replica; a request with a session (signed in, or a form in progress), any unsafe request, and
  any request within `REPLICA_PIN_SECONDS` after the same browser's last write (a cookie set on
  the write's response) reads from the primary: a citizen sees their own appeal right after
  submitting it, whatever the replication lag;
- when the replica cannot be reached, reads fall back to the primary for `REPLICA_RETRY_SECONDS`;
  a safe request that failed on the replica is answered again from the primary (nothing was
  written: it was a read).

Code outside a request (jobs, commands) always uses the primary. Migrations run on the primary
only (the replica replays them).
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "db_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_reads_from: contextvars.ContextVar[str] = contextvars.ContextVar("reads_from", default=PRIMARY)
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_available(now: float | None = None) -> bool:
    """Whether reads may go to the replica now (configured and not recently unreachable)."""
    return replica_configured() and (time.monotonic() if now is None else now) >= _replica_down_until


def mark_replica_down() -> None:
    """The replica failed: read from the primary for REPLICA_RETRY_SECONDS."""
    global _replica_down_until
    _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    connections[REPLICA].close()
    logger.warning("replica unavailable: reads go to the primary for %ss", settings.REPLICA_RETRY_SECONDS)


def reset() -> None:
    """Forget a recorded failure (tests)."""
    global _replica_down_until
    _replica_down_until = 0.0


def reads_from_replica(request: HttpRequest) -> bool:
    """The one rule: may this request's reads go to the replica?"""
    return (
        replica_configured()
        and request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
    )


def read_alias() -> str:
    """The database this request's reads go to now."""
    if _reads_from.get() == REPLICA and replica_available():
        return REPLICA
    return PRIMARY


class PrimaryReplicaRouter:
    """Django's router over `read_alias`: reads where the request's rule says, writes to the
    primary, migrations on the primary only."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: every relation is within one database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Decides where the request reads (`reads_from_replica`), pins a browser to the primary for
    a few seconds after its own write, and answers a safe request again from the primary when
    the replica failed under it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        token = _reads_from.set(REPLICA if reads_from_replica(request) else PRIMARY)
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            # this browser's next reads see its own write, whatever the replica's lag (a refused
            # request, 4xx or 5xx, wrote nothing: no pin)
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True, samesite="Lax"
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError) or _reads_from.get() != REPLICA:
            return None
        if not replica_available():
            return None
        mark_replica_down()
        _reads_from.set(PRIMARY)
        match = request.resolver_match
        if match is None:
            return None
        # a safe request wrote nothing: answer it again, reading from the primary
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
