"""The two search engines behind one interface: PostgreSQL full text (`postgres`) and SQLite
FTS5 (`sqlite`); each module holds its engine's structures, writes and ranked query.

Both rank a row by relevance times its weight, the visitor's language a quarter up, and show
one result per object (the row in the visitor's language when the object has one).
"""

from __future__ import annotations

from types import ModuleType

from django.db import connection

from ..query import ParsedQuery
from . import postgres, sqlite
from .common import LANGUAGE_BOOST, TABLE, TRIGRAM_MIN, Filters, Row
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
    "KAZAKH_CONFIG",
    "KAZAKH_DICTIONARY",
    "KAZAKH_FILES",
    "LANGUAGE_BOOST",
    "TABLE",
    "TRIGRAM_MIN",
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
    "write",
]


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
    if connection.vendor != "postgresql":
        sqlite.clear_all()


def counts(parsed: ParsedQuery, language: str, filters: Filters) -> dict[str, int]:
    result: dict[str, int] = _engine().counts(parsed, language, filters)
    return result


def page(parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int) -> list[Row]:
    rows: list[Row] = _engine().page(parsed, language, filters, limit=limit, offset=offset)
    return rows
