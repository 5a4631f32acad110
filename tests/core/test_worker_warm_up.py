"""Before a gunicorn worker's first request (config.gunicorn.post_worker_init): the URLconf
imported, the search engine and find-my-deputies' index warmed, and a failure never stops the
worker from starting."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.utils import timezone

from maslikhat.config import gunicorn
from maslikhat.directory import lookup
from maslikhat.search import engines

pytestmark = pytest.mark.django_db


def test_the_worker_hook_warms_search_and_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def recorder(name: str) -> object:
        def warm_up() -> bool:
            calls.append(name)
            return True

        return warm_up

    monkeypatch.setattr(engines, "warm_up", recorder("search"))
    monkeypatch.setattr(lookup, "warm_up", recorder("lookup"))
    gunicorn.post_worker_init(object())
    assert calls == ["search", "lookup"]


def test_lookup_warm_up_builds_the_index_and_todays_snapshot() -> None:
    lookup.reset_index()
    assert lookup.warm_up() is True
    index = lookup.get_index()
    assert (index.version, timezone.localdate()) in lookup._snapshots  # noqa: SLF001


def test_lookup_warm_up_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> lookup.LookupIndex:
        raise OperationalError("connection refused")

    monkeypatch.setattr(lookup, "get_index", broken)
    assert lookup.warm_up() is False
