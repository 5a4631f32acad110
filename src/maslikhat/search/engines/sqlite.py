"""SQLite FTS5: the table `search_fts` (unicode61 words, title and text; prefix queries of
light stems, ranked by bm25 with titles counting ten times) and `search_trigram` (titles,
trigram tokenizer: substrings).
"""

# The SQL here is built from constants and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection

from ..query import ParsedQuery
from .common import LANGUAGE_BOOST, TABLE, Filters, Row, trigram_words, where_sql


def create_sqlite_tables(conn: Any) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_trigram USING fts5(title, tokenize = 'trigram')"
        )


def drop_sqlite_tables(conn: Any) -> None:
    with conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_fts")
        cursor.execute("DROP TABLE IF EXISTS search_trigram")


def write(ids: list[int]) -> None:
    """Fill the FTS5 tables for these (just inserted) rows."""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT OR REPLACE INTO search_fts(rowid, title, body) "
                f"SELECT id, title, body FROM {TABLE} WHERE id IN ({marks})",
                chunk,
            )
            cursor.execute(
                f"INSERT OR REPLACE INTO search_trigram(rowid, title) "
                f"SELECT id, title FROM {TABLE} WHERE id IN ({marks})",
                chunk,
            )


def delete(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)
            cursor.execute(f"DELETE FROM search_trigram WHERE rowid IN ({marks})", chunk)


def clear_all() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_trigram")


def matches_sql(parsed: ParsedQuery, language: str, filters: Filters) -> tuple[str, list[Any]]:
    """SQL of the matching rows, one per object (`id, kind, object_id, language, score`), before
    the kinds filter (the counts by kind ignore it)."""
    where, wparams = where_sql(filters, with_kinds=False)
    trigram = trigram_words(parsed)
    match = parsed.fts5()
    sql = (
        "WITH m0 AS MATERIALIZED ("
        " SELECT d.id, d.kind, d.object_id, d.language,"
        " (-bm25(search_fts, 10.0, 1.0)) * d.weight"
        " * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
        f" FROM search_fts JOIN {TABLE} d ON d.id = search_fts.rowid"
        f" WHERE search_fts MATCH %s{where}"
    )
    params = [language, LANGUAGE_BOOST, match, *wparams]
    if trigram:
        tmatch = " AND ".join('"' + w + '"' for w in trigram)
        sql += (
            " UNION ALL SELECT d.id, d.kind, d.object_id, d.language,"
            " 0.5 * d.weight * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
            f" FROM search_trigram JOIN {TABLE} d ON d.id = search_trigram.rowid"
            f" WHERE search_trigram MATCH %s{where}"
        )
        params += [language, LANGUAGE_BOOST, tmatch, *wparams]
    sql += (
        "), m AS (SELECT id, kind, object_id, language, MAX(score) AS score FROM m0 GROUP BY id),"
        " best AS (SELECT m.*, row_number() OVER (PARTITION BY kind, object_id"
        " ORDER BY (language = %s) DESC, score DESC, id) AS rn FROM m)"
    )
    params.append(language)
    return sql, params


def counts(parsed: ParsedQuery, language: str, filters: Filters) -> dict[str, int]:
    sql, params = matches_sql(parsed, language, filters)
    with connection.cursor() as cursor:
        cursor.execute(sql + " SELECT kind, COUNT(*) FROM best WHERE rn = 1 GROUP BY kind", params)
        return {kind: int(n) for kind, n in cursor.fetchall()}


def page(parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int) -> list[Row]:
    sql, params = matches_sql(parsed, language, filters)
    kinds = ""
    if filters.kinds:
        kinds = " AND kind IN (" + ",".join(["%s"] * len(filters.kinds)) + ")"
        params = [*params, *filters.kinds]
    with connection.cursor() as cursor:
        cursor.execute(
            sql + f" SELECT id, kind, object_id, language, score FROM best WHERE rn = 1{kinds}"
            " ORDER BY score DESC, id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [Row(int(i), k, int(o), lang, float(s or 0)) for i, k, o, lang, s in cursor.fetchall()]
