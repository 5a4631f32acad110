"""Fixtures of the hostile-input tests: a clean cache (rate limits), a fresh look-up index and the
module-wide world (`applicant` and `council_world` come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_lookup_index() -> Iterator[None]:
    """The look-up index is per process; each test builds it from its own database."""
    from maslikhat.directory.lookup import reset_index

    reset_index()
    yield
    reset_index()


@pytest.fixture(scope="module")
def world(reference_snapshot: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A user of every role and an object behind every page, built once per module (tests.hostile.world)."""
    from .world import build_world

    media = tmp_path_factory.mktemp("world")
    with django_db_blocker.unblock(), build_world(media, reference_snapshot.restore) as w:
        yield w


def stored_files(root: str | Path) -> list[Path]:
    """Every regular file under a media root."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def row_counts(*models: Any) -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in models}
