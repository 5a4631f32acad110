"""The two search engines behind one interface: PostgreSQL full text (`postgres`) and SQLite
FTS5 (`sqlite`); each module holds its engine's structures, writes and ranked query.

Both rank a row by relevance times its weight, the visitor's language a quarter up, and show
one result per object (the row in the visitor's language when the object has one). Both bound a
search's work whatever the index's size: the page is ranked among a bounded set of candidates
and the counts by kind are exact up to COUNT_CAP ("1,000+" above it); see common.py.
"""

from __future__ import annotations

import logging
from types import ModuleType

from django.db import DatabaseError, connection

from ..query import ParsedQuery
from . import postgres, sqlite
from .common import COUNT_CAP, LANGUAGE_BOOST, TABLE, TRIGRAM_MIN, Counts, Filters, Row
from .postgres import (
    KAZAKH_CONFIG,
    KAZAKH_DICTIONARY,
    KAZAKH_FILES,
    ensure_configuration,
    kazakh_config,
    kazakh_configuration_exists,
)
from .sqlite import create_sqlite_tables, drop_sqlite_tables

__all__ = [
    "COUNT_CAP",
    "KAZAKH_CONFIG",
    "KAZAKH_DICTIONARY",
    "KAZAKH_FILES",
    "LANGUAGE_BOOST",
    "TABLE",
    "TRIGRAM_MIN",
    "Counts",
    "Filters",
    "Row",
    "clear_all",
    "counts",
    "create_sqlite_tables",
    "delete",
    "drop_sqlite_tables",
    "ensure_configuration",
    "kazakh_config",
    "kazakh_configuration_exists",
    "page",
    "vendor",
    "warm_up",
    "write",
]

logger = logging.getLogger(__name__)


def warm_up() -> bool:
    """Load what a connection's first search would otherwise wait for: PostgreSQL reads the
    Kazakh dictionary (hunspell-kk, 2 MB) once per connection, ~0.65 s. For a server process
    before its first request (config.gunicorn.post_worker_init); True when it was loaded. Never
    raises: a database not reachable yet is the first request's to report."""
    if connection.vendor != "postgresql":
        return False
    try:
        if kazakh_config() != KAZAKH_CONFIG:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector(%s::regconfig, 'мәслихаттың')", [KAZAKH_CONFIG])
            cursor.fetchone()
    except DatabaseError:
        logger.warning("search: the Kazakh dictionary could not be loaded before the first request")
        return False
    return True


def vendor() -> str:
    return connection.vendor


def _engine() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def write(ids: list[int]) -> None:
    """Fill the engine's structures for these (just inserted) rows."""
    if ids:
        _engine().write(ids)


def delete(ids: list[int]) -> None:
    if ids and connection.vendor != "postgresql":  # PostgreSQL: the vector goes with its row
        sqlite.delete(ids)


def clear_all() -> None:
    """Before every row of the index is deleted and written again."""
    _engine().clear_all()


def counts(parsed: ParsedQuery, language: str, filters: Filters) -> Counts:
    """Objects per kind (the kinds filter aside), exact up to COUNT_CAP (the kinds above it in
    `capped`, counted as COUNT_CAP)."""
    result: Counts = _engine().counts(parsed, language, filters)
    return result


def page(
    parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int, counts: Counts
) -> list[Row]:
    """The page of hits, after `counts` (of the same query and filters): whether titles go by
    trigrams, and the rows already read."""
    rows: list[Row] = _engine().page(parsed, language, filters, limit=limit, offset=offset, counts=counts)
    return rows
