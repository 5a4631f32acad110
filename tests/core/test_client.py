"""Who is the client: `client_address` trusts X-Forwarded-For only as far as TRUSTED_PROXY_COUNT."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from maslikhat.core.accounts import AccountAdapter
from maslikhat.core.client import client_address


def _request(remote: str | None = "192.0.2.10", forwarded: str | None = None) -> Any:
    meta: dict[str, Any] = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return request


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # no trusted proxy: the header is ignored, whatever it says
        (0, "192.0.2.10", None, "192.0.2.10"),
        (0, "192.0.2.10", "198.51.100.1", "192.0.2.10"),
        (0, "192.0.2.10", "198.51.100.1, 203.0.113.5", "192.0.2.10"),
        # one proxy: the right-most entry (the one it appended); entries left of it are forged
        (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", "6.6.6.6,7.7.7.7,   203.0.113.5  ", "203.0.113.5"),
        # two proxies: the second entry from the right
        (2, "10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # fewer entries than proxies: the request skipped a proxy; only the socket is vouched for
        (2, "10.0.0.1", "203.0.113.5", "10.0.0.1"),
        (1, "10.0.0.1", None, "10.0.0.1"),
        (1, "10.0.0.1", " , ", "10.0.0.1"),
        # an entry that is not an address: the socket's address (a shared, stricter bucket)
        (1, "10.0.0.1", "6.6.6.6, unknown", "10.0.0.1"),
        (1, "10.0.0.1", "6.6.6.6, <script>", "10.0.0.1"),
        # ports, brackets and IPv4-mapped IPv6 are normalised
        (1, "10.0.0.1", "203.0.113.5:4711", "203.0.113.5"),
        (1, "10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.1", "2001:DB8:0:0::1", "2001:db8::1"),
        (0, "::ffff:192.0.2.7", None, "192.0.2.7"),
        # no usable socket address at all
        (0, None, None, "unknown"),
        (0, "garbage", None, "unknown"),
        (1, "garbage", "also garbage", "unknown"),
    ],
)
def test_client_address(
    settings: Any, proxies: int, remote: str | None, forwarded: str | None, expected: str
) -> None:
    # given: the configured number of trusted proxies and a request as they pass it on
    settings.TRUSTED_PROXY_COUNT = proxies
    request = _request(remote, forwarded)
    # when / then
    assert client_address(request) == expected


def test_a_negative_proxy_count_trusts_no_header(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = -1
    assert client_address(_request("192.0.2.10", "198.51.100.1")) == "192.0.2.10"


def test_the_setting_defaults_to_no_trusted_proxy() -> None:
    from django.conf import settings

    assert settings.TRUSTED_PROXY_COUNT == 0


def test_allauth_asks_the_same_function(settings: Any) -> None:
    # given: allauth's configured adapter and a request with a forged header
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = 0
    request = _request("192.0.2.10", "198.51.100.1")
    adapter = get_adapter(request)
    # then: it is the project's adapter, and it answers what client_address answers
    assert isinstance(adapter, AccountAdapter)
    assert adapter.get_client_ip(request) == "192.0.2.10"
    settings.TRUSTED_PROXY_COUNT = 1
    assert adapter.get_client_ip(request) == "198.51.100.1"
