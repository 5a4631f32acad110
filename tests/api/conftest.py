"""Fixtures of the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_lookup_index(db: None) -> Iterator[None]:
    """Each test builds the look-up index from its own database (ids are reused across tests)."""
    from maslikhat.directory.lookup import reset_index

    reset_index()
    yield
    reset_index()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate limits and the news' cached parts start from nothing in each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def en() -> dict[str, str]:
    """Request headers asking for English messages (the site's default language is Kazakh)."""
    return {"HTTP_ACCEPT_LANGUAGE": "en"}
