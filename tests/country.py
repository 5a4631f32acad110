"""The whole country (load-reference: regions, districts, okrugs, settlements) for the tests
that need it, loaded once per test module and rolled back after it.

Import the fixture into a test module (``from tests.country import country``). The first
module of a session really runs `load_reference` and `load_country` (timed: COUNTRY_TIMINGS);
later modules replay the rows it wrote (same primary keys) with bulk inserts. Each test still
runs inside its own savepoint, so whatever a test writes is undone after it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

COUNTRY_TIMINGS: dict[str, float] = {}
_SNAPSHOT: tuple[list[tuple[Any, list[Any]]], dict[str, Any]] | None = None


def _row_counts() -> dict[Any, int]:
    from django.apps import apps

    return {m: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def _load() -> dict[str, Any]:
    global _SNAPSHOT
    from maslikhat.directory.models import Area
    from maslikhat.directory.reference import load_reference
    from maslikhat.directory.reference_country import insert_areas, load_country

    started = time.perf_counter()
    if _SNAPSHOT is not None:
        rows, counts = _SNAPSHOT
        for model, objs in rows:
            if model is Area:
                insert_areas(objs, with_pk=True)
            else:
                model._default_manager.bulk_create(objs, batch_size=2000)
        COUNTRY_TIMINGS["replay_seconds"] = round(time.perf_counter() - started, 2)
        return dict(counts)
    before = _row_counts()
    regions = load_reference()
    counts = load_country()
    COUNTRY_TIMINGS["load_seconds"] = round(time.perf_counter() - started, 2)
    COUNTRY_TIMINGS["load_country_seconds"] = counts["seconds"]
    counts = {**counts, "regions": regions}
    after = _row_counts()
    touched = [m for m, n in after.items() if n != before[m]]
    if not any(before[m] for m in touched):  # a clean start: safe to replay later
        _SNAPSHOT = ([(m, list(m._default_manager.order_by("pk"))) for m in touched], counts)
    return counts


@pytest.fixture(scope="module")
def country(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Counts of what the load created (`load_country`'s, plus "regions")."""
    from django.db import transaction

    from maslikhat.directory.lookup import reset_index

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            counts = _load()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    reset_index()
    try:
        yield counts
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        reset_index()
