"""The read-replica router: which database each request reads from, the pin after a write, the
fallback when the replica fails. (bench/replica proves it against a real streaming replica.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from maslikhat.core import dbrouting
from maslikhat.core.dbrouting import (
    PIN_COOKIE,
    PRIMARY,
    REPLICA,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    read_alias,
    reads_from_replica,
)


@pytest.fixture
def with_replica(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A replica alias in the settings (pointing at the test database; nothing connects here)."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(settings.DATABASES["default"]))
    dbrouting.reset()
    yield settings
    dbrouting.reset()


def _seen(request: HttpRequest) -> HttpResponse:
    return HttpResponse(read_alias())


def test_without_a_replica_everything_reads_the_primary(rf: RequestFactory) -> None:
    assert REPLICA not in settings.DATABASES
    request = rf.get("/en/bodies/")
    assert reads_from_replica(request) is False
    assert ReplicaReadsMiddleware(_seen)(request).content == b"default"
    assert PIN_COOKIE not in ReplicaReadsMiddleware(_seen)(rf.post("/en/appeals/new/")).cookies


@pytest.mark.parametrize(
    ("method", "cookies", "expected"),
    [
        ("get", {}, REPLICA),
        ("head", {}, REPLICA),
        ("get", {"sessionid": "x"}, PRIMARY),  # signed in, or a form in progress
        ("get", {PIN_COOKIE: "1"}, PRIMARY),  # right after this browser's own write
        ("post", {}, PRIMARY),
        ("put", {}, PRIMARY),
        ("delete", {}, PRIMARY),
    ],
)
def test_the_request_rule(
    with_replica: Any, rf: RequestFactory, method: str, cookies: dict[str, str], expected: str
) -> None:
    request = getattr(rf, method)("/en/bodies/")
    request.COOKIES.update(cookies)
    assert ReplicaReadsMiddleware(_seen)(request).content.decode() == expected


def test_a_write_pins_the_browser_to_the_primary_for_a_few_seconds(
    with_replica: Any, rf: RequestFactory
) -> None:
    response = ReplicaReadsMiddleware(_seen)(rf.post("/en/appeals/new/"))
    morsel = response.cookies[PIN_COOKIE]
    assert int(morsel["max-age"]) == settings.REPLICA_PIN_SECONDS > 0
    assert morsel["httponly"]
    # a read outside a request (jobs, commands) uses the primary
    assert read_alias() == PRIMARY


@pytest.mark.parametrize("status", [400, 403, 413, 422, 429, 500])
def test_a_refused_write_does_not_pin(with_replica: Any, rf: RequestFactory, status: int) -> None:
    response = ReplicaReadsMiddleware(lambda request: HttpResponse(status=status))(
        rf.post("/en/appeals/new/")
    )
    assert PIN_COOKIE not in response.cookies


def test_writes_and_migrations_go_to_the_primary_only(with_replica: Any) -> None:
    router = PrimaryReplicaRouter()
    assert router.db_for_write(None) == PRIMARY
    assert router.allow_migrate(PRIMARY, "appeals") is True
    assert router.allow_migrate(REPLICA, "appeals") is False
    token = dbrouting._reads_from.set(REPLICA)
    try:
        assert router.db_for_read(None) == REPLICA
        assert router.db_for_write(None) == PRIMARY
    finally:
        dbrouting._reads_from.reset(token)


def test_a_failed_replica_falls_back_to_the_primary(
    with_replica: Any, rf: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(read_alias())
        if read_alias() == REPLICA:
            raise OperationalError("could not connect to server")
        return HttpResponse("answered from " + read_alias())

    monkeypatch.setattr(dbrouting.connections[REPLICA], "close", lambda: None)
    request = rf.get("/en/bodies/")
    request.resolver_match = ResolverMatch(view, (), {})
    middleware = ReplicaReadsMiddleware(lambda r: HttpResponse())
    token = dbrouting._reads_from.set(REPLICA)
    try:
        with pytest.raises(OperationalError):
            view(request)
        response = middleware.process_exception(request, OperationalError("gone"))
    finally:
        dbrouting._reads_from.reset(token)
    assert response is not None and response.content == b"answered from default"
    assert calls == [REPLICA, PRIMARY]
    # and for the next REPLICA_RETRY_SECONDS every read goes to the primary
    assert dbrouting.replica_available() is False
    assert ReplicaReadsMiddleware(_seen)(rf.get("/en/bodies/")).content == b"default"
    # after the pause the replica is tried again
    import time

    assert dbrouting.replica_available(now=time.monotonic() + settings.REPLICA_RETRY_SECONDS + 1) is True


def test_an_unsafe_request_is_never_retried(with_replica: Any, rf: RequestFactory) -> None:
    request = rf.post("/en/appeals/new/")
    request.resolver_match = ResolverMatch(lambda r: HttpResponse("again"), (), {})
    assert ReplicaReadsMiddleware(_seen).process_exception(request, OperationalError("gone")) is None
