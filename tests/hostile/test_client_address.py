"""A forged X-Forwarded-For resets no limit: every per-client limit, one table.

For each limit (appeal page and API: accepted submissions and attempts; the API token
endpoint; allauth's web login), the same requests are sent from one client
- without the header, to see where the limit bites;
- with a new forged address in the header on every request: the same answers (TRUSTED_PROXY_COUNT=0);
- behind one trusted proxy, with a new forged address LEFT of the proxy's entry: the same answers;
- behind one trusted proxy, with a new address as the right-most entry: never limited (the
  right-most entry is the client the proxy saw).
A test also reads every call of `hit`/`reserve` in the source: a new per-client limit fails until
it is in the table.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

import maslikhat

PROXY = "10.0.0.1"
CLIENT = "198.51.100.7"
BAD_IIN = "123456789012"
LOGIN_LIMITED = "Too many failed login attempts. Try again later."

Headers = Callable[[int], dict[str, str]]


def _page(ctx: dict[str, Any], valid: bool) -> Callable[[Client, int], bool]:
    url = f"/en/appeals/new/?body={ctx['astana']['maslikhat'].pk}"

    def send(client: Client, i: int) -> bool:
        applicant = {**ctx["applicant"], **({} if valid else {"iin": BAD_IIN})}
        data = {"kind": "application", "topic": "roads", "text": f"Appeal {i}", "language": "en", **applicant}
        data["step"] = "confirm"  # the confirmation sends it (the first POST is the preview)
        status = client.post(url, data).status_code
        assert status in (302, 200, 429)
        return status == 429

    return send


def _api(ctx: dict[str, Any], valid: bool) -> Callable[[Client, int], bool]:
    def send(client: Client, i: int) -> bool:
        applicant = {**ctx["applicant"], **({} if valid else {"iin": BAD_IIN})}
        payload = {
            "body_id": ctx["astana"]["maslikhat"].pk,
            "kind": "proposal",
            "topic": "ecology",
            "text": f"Appeal {i}",
            "language": "kk",
            "applicant": applicant,
        }
        status = client.post("/api/v1/appeals", payload, content_type="application/json").status_code
        assert status in (201, 422, 429)
        return status == 429

    return send


def _token(ctx: dict[str, Any]) -> Callable[[Client, int], bool]:
    def send(client: Client, i: int) -> bool:
        credentials = {"username": f"nobody-{i}", "password": "wrong"}
        status = client.post("/api/v1/auth/token", credentials, content_type="application/json").status_code
        assert status in (401, 429)
        return status == 429

    return send


def _sms_code(ctx: dict[str, Any]) -> Callable[[Client, int], bool]:
    """Residency codes asked for by one signed-in account, a new phone number each time (so the
    per-number limit stays out of it): the per-client limit is what refuses them."""
    from tests.factories import UserFactory

    user: Any = UserFactory(username="sms-asker")

    def send(client: Client, i: int) -> bool:
        client.force_login(user)
        data = {"action": "send", "area": "KZ-71", "phone": f"+7701{1000000 + i}"}
        status = client.post("/en/participation/verify/", data).status_code
        assert status in (200, 429)
        return status == 429

    return send


def _login(ctx: dict[str, Any]) -> Callable[[Client, int], bool]:
    def send(client: Client, i: int) -> bool:
        response = client.post("/en/accounts/login/", {"login": f"nobody-{i}", "password": "wrong"})
        assert response.status_code in (200, 429)
        return LOGIN_LIMITED in response.content.decode()

    return send


# limit -> (the scopes of core.ratelimit it covers, its requests, how many to send)
CASES: dict[str, tuple[set[str], Callable[[dict[str, Any]], Callable[[Client, int], bool]], int]] = {
    "appeal page: accepted": ({"appeal_submit"}, lambda ctx: _page(ctx, valid=True), 5),
    "appeal page: attempts": ({"appeal_attempt"}, lambda ctx: _page(ctx, valid=False), 6),
    "appeal API: accepted": ({"appeal_submit"}, lambda ctx: _api(ctx, valid=True), 5),
    "appeal API: attempts": ({"appeal_attempt"}, lambda ctx: _api(ctx, valid=False), 6),
    # per client: the endpoint's own limit and allauth's "login_failed" per address (10/m) that
    # it shares with the web login; rotating usernames keep the per-account limit out of it
    "API token": ({"auth_token"}, _token, 12),
    "web login (allauth)": (set(), _login, 12),
    # the per-number limit is keyed by the number, not the client (tests/participation)
    "residency code by SMS": ({"sms_client", "sms_phone"}, _sms_code, 12),
}


def _tracking_links(ctx: dict[str, Any]) -> Callable[[Client, int], bool]:
    """Tracking links emailed again (appeals/links.py), a new address each time: the per-client
    limit refuses them (the per-address one, keyed by the address, is tested in tests/appeals)."""

    def send(client: Client, i: int) -> bool:
        status = client.post("/en/tracking-links/", {"email": f"nobody-{i}@example.org"}).status_code
        assert status in (302, 429)
        return status == 429

    return send


CASES["tracking links again"] = ({"appeal_links", "appeal_links_address"}, _tracking_links, 7)


def _run(send: Callable[[Client, int], bool], n: int, remote: str, headers: Headers) -> list[bool]:
    cache.clear()
    answers = []
    for i in range(n):
        meta: dict[str, Any] = {"REMOTE_ADDR": remote, "HTTP_ACCEPT_LANGUAGE": "en", **headers(i)}
        client = Client(**meta)
        answers.append(send(client, i))
    return answers


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_forged_forwarded_header_does_not_escape_the_limit(
    name: str, astana: dict[str, Any], applicant: dict[str, str], settings: Any
) -> None:
    # given: small appeal limits (3 accepted, 4 attempts an hour) and the limit's requests
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 3
    settings.APPEAL_ATTEMPT_LIMIT_PER_HOUR = 4
    _scopes, make, n = CASES[name]
    send = make({"astana": astana, "applicant": applicant})

    # when: no proxy is trusted
    settings.TRUSTED_PROXY_COUNT = 0
    plain = _run(send, n, CLIENT, lambda i: {})
    forged = _run(send, n, CLIENT, lambda i: {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i + 1}"})
    # then: the limit bites, and at the same request with the forged header
    assert True in plain
    assert plain[-1] is True
    assert forged == plain

    # when: one proxy is trusted
    settings.TRUSTED_PROXY_COUNT = 1
    left_forged = _run(send, n, PROXY, lambda i: {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i + 1}, {CLIENT}"})
    distinct = _run(send, n, PROXY, lambda i: {"HTTP_X_FORWARDED_FOR": f"{CLIENT}, 198.51.100.{i + 10}"})
    # then: entries left of the proxy's are ignored; the right-most one is the client
    assert left_forged == plain
    assert distinct == [False] * n


def _limit_scopes() -> set[str]:
    """The scope of every `hit(...)`/`reserve(...)` call in the source (names resolved)."""
    root = Path(maslikhat.__file__).parent
    scopes: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name not in ("hit", "reserve"):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                scopes.add(arg.value)
            elif isinstance(arg, ast.Name):
                module = ".".join(("maslikhat", *path.relative_to(root).with_suffix("").parts))
                scopes.add(getattr(importlib.import_module(module), arg.id))
            elif path.name != "ratelimit.py":  # core.ratelimit's own helpers pass `scope` on
                scopes.add(f"<unresolved in {path.name}>")
    return scopes


def test_every_per_client_limit_is_in_the_table() -> None:
    covered = set().union(*(scopes for scopes, _make, _n in CASES.values()))
    assert _limit_scopes() == covered
