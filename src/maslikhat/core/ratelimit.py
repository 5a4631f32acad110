"""A fixed-window rate limit on the Django cache (Redis in production, local memory otherwise)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    allowed: bool
    retry_after: int  # seconds until the window resets (0 when allowed)


def client_key(request: HttpRequest) -> str:
    """The client's address; behind a proxy, the first address it reports."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def hit(scope: str, key: str, *, limit: int, window: int) -> Limit:
    """Count one event for (scope, key); refuse once `limit` events happened in this window."""
    now = int(time.time())
    window_start = now - now % window
    cache_key = f"rl:{scope}:{key}:{window_start}"
    try:
        added = cache.add(cache_key, 1, timeout=window + 5)
        count = 1 if added else cache.incr(cache_key)
    except ValueError:  # the key expired between add and incr: a new window
        count = 1
    if count is None:
        # The cache is unreachable (Redis down; its errors are ignored): let the request through
        # rather than refuse every citizen. The limit resumes when the cache returns.
        return Limit(allowed=True, retry_after=0)
    if count > limit:
        return Limit(allowed=False, retry_after=window_start + window - now)
    return Limit(allowed=True, retry_after=0)
