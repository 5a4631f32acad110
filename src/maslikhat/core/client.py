"""Who is the client: the one answer used by every rate limit and log line.

`X-Forwarded-For` is trusted only as far as `TRUSTED_PROXY_COUNT` proxies in front of the app
(counting from the right: each proxy appends the address it received the request from). With
the default of 0, the header is ignored and the address is the socket's (`REMOTE_ADDR`), so a
forged header can neither reset a limit nor put a false address in a log line.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
    return str(address)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as far as the configured trusted proxies vouch for it."""
    remote = _clean(str(request.META.get("REMOTE_ADDR", ""))) or UNKNOWN
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    # Each trusted proxy appended one entry; anything to their left came from the client and may
    # be forged. Empty entries are dropped (only the client can have sent them).
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part for part in header.split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer hops than proxies: the request did not come through all of them; the nearest
        # address we can vouch for is the one that connected.
        return remote
    return _clean(forwarded[-count]) or remote
