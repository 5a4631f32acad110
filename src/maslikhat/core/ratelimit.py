"""Fixed-window rate limits on the Django cache (Redis in production, local memory otherwise).

Two ways to count, both atomic on the cache (`add` + `incr`, one round trip each):
- `hit`: every event counts, allowed or not (attempts, logins).
- `reserve` / `release`: a slot is taken before the work and given back when the work is not
  done (a refused reservation gives its slot back at once), so only completed work counts and
  parallel requests can never take more than `limit` slots: the counter only exceeds `limit`
  for the instant between a refused `incr` and its `decr`.

Keys are per client bucket (`client_bucket`): the client address from `core.client`, with IPv6
addresses widened to their /64 network (one subscriber gets a whole /64 and could otherwise
rotate through it), as allauth does for the login limits.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from .client import client_address

IPV6_PREFIX = 64


@dataclass(frozen=True)
class Limit:
    allowed: bool
    retry_after: int  # seconds until the window resets (0 when allowed)
    slot: str | None = None  # the counter a reservation holds (for `release`)


def client_bucket(request: HttpRequest) -> str:
    """The key rate limits count a client under: its address, IPv6 widened to a /64."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return address


def _window(scope: str, key: str, window: int) -> tuple[str, int]:
    """The counter's key for this window and the seconds until the window ends."""
    now = int(time.time())
    start = now - now % window
    return f"rl:{scope}:{key}:{start}", start + window - now


def _count(cache_key: str, window: int) -> int | None:
    """Add one to the counter; None when the cache is unreachable."""
    try:
        added = cache.add(cache_key, 1, timeout=window + 5)
        return 1 if added else cache.incr(cache_key)
    except ValueError:  # the key expired between add and incr: a new window
        return 1


def hit(scope: str, key: str, *, limit: int, window: int) -> Limit:
    """Count one event for (scope, key); refuse once `limit` events happened in this window."""
    cache_key, retry_after = _window(scope, key, window)
    count = _count(cache_key, window)
    if count is None:
        # The cache is unreachable (Redis down; its errors are ignored): let the request through
        # rather than refuse every citizen. The limit resumes when the cache returns.
        return Limit(allowed=True, retry_after=0)
    if count > limit:
        return Limit(allowed=False, retry_after=retry_after)
    return Limit(allowed=True, retry_after=0, slot=cache_key)


def reserve(scope: str, key: str, *, limit: int, window: int) -> Limit:
    """Take one of `limit` slots of this window, or refuse (and take nothing)."""
    cache_key, retry_after = _window(scope, key, window)
    count = _count(cache_key, window)
    if count is None:
        return Limit(allowed=True, retry_after=0)  # cache down: as in `hit`
    if count > limit:
        _decrement(cache_key)
        return Limit(allowed=False, retry_after=retry_after)
    return Limit(allowed=True, retry_after=0, slot=cache_key)


def release(limit: Limit) -> None:
    """Give back the slot a successful `reserve` took (the work it was for was not done)."""
    if limit.allowed and limit.slot is not None:
        _decrement(limit.slot)


def _decrement(cache_key: str) -> None:
    try:
        cache.decr(cache_key)
    except ValueError:  # the window's counter has expired: nothing to give back
        pass
