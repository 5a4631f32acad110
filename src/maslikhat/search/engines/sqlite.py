"""SQLite FTS5: the table `search_fts` (unicode61 words: title, text and the row's kind; prefix
queries of light stems, ranked by bm25 with titles counting ten times, the kind only a filter)
and `search_trigram` (titles, trigram tokenizer: substrings).

A search reads a bounded part of them whatever their size: the page ranks the best
PAGE_CANDIDATES rows by bm25 (FTS5 sorts them itself), a kind's count stops at COUNT_ROWS rows
(the kind is a column of the FTS table, so a kind's matches are an intersection in the index),
and titles go by trigrams only when the words find fewer than TRIGRAM_WHEN_FEWER rows.
"""

# The SQL here is built from constants and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from maslikhat.core.search import kinds as registered_kinds

from ..query import ParsedQuery
from .common import (
    BODY_CANDIDATES,
    COUNT_CAP,
    COUNT_ROWS,
    LANGUAGE_BOOST,
    TABLE,
    TITLE_CANDIDATES,
    TRIGRAM_WHEN_FEWER,
    Counts,
    Filters,
    Row,
    trigram_words,
    where_sql,
)

PAGE_CANDIDATES = TITLE_CANDIDATES + BODY_CANDIDATES
BM25 = "bm25(search_fts, 10.0, 1.0, 0.0)"


def create_sqlite_tables(conn: Any) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title, body, kind, tokenize = 'unicode61 remove_diacritics 0')"
        )
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_trigram USING fts5(title, tokenize = 'trigram')"
        )


def drop_sqlite_tables(conn: Any) -> None:
    with conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_fts")
        cursor.execute("DROP TABLE IF EXISTS search_trigram")


def fill_sqlite_tables(conn: Any) -> None:
    """Every row of the index into the FTS5 tables (after they were created again)."""
    with conn.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO search_fts(rowid, title, body, kind) SELECT id, title, body, kind FROM {TABLE}"
        )
        cursor.execute(f"INSERT INTO search_trigram(rowid, title) SELECT id, title FROM {TABLE}")


def write(ids: list[int]) -> None:
    """Fill the FTS5 tables for these (just inserted) rows."""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT OR REPLACE INTO search_fts(rowid, title, body, kind) "
                f"SELECT id, title, body, kind FROM {TABLE} WHERE id IN ({marks})",
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


def _kinds_match(kinds: tuple[str, ...]) -> str:
    """An FTS5 filter on the kind column: `kind : ("news" OR "appeal")` (a kind's name is
    letters and underscores, a phrase of its parts for unicode61)."""
    return "kind : (" + " OR ".join('"' + k.replace('"', "") + '"' for k in kinds) + ")"


def _match(parsed: ParsedQuery, kinds: tuple[str, ...] = ()) -> str:
    """The query on the title and text only (never the kind column), and the kinds."""
    expr = "{title body} : (" + parsed.fts5() + ")"
    return f"({expr}) AND {_kinds_match(kinds)}" if kinds else expr


def _fts_from(where: str) -> str:
    """The FTS rows joined to the index's rows only when a filter needs those (FTS first)."""
    return (
        f" FROM search_fts CROSS JOIN {TABLE} d ON d.id = search_fts.rowid" if where else " FROM search_fts"
    )


def counts(parsed: ParsedQuery, language: str, filters: Filters) -> Counts:
    """Objects per kind, exact up to COUNT_CAP: a first sample of COUNT_ROWS matching rows;
    when it is not full it is every match, otherwise each kind is counted on its own (its
    column in the FTS table), up to COUNT_ROWS rows."""
    where, wparams = where_sql(filters, with_kinds=False)
    trigram = trigram_words(parsed)
    join = f" FROM search_fts CROSS JOIN {TABLE} d ON d.id = search_fts.rowid"
    sql = (
        f"WITH f AS MATERIALIZED (SELECT d.kind, d.object_id{join} WHERE search_fts MATCH %s{where} LIMIT %s)"
    )
    params: list[Any] = [_match(parsed), *wparams, COUNT_ROWS]
    every = "SELECT kind, object_id FROM f"
    if trigram:
        sql += (
            ", t AS MATERIALIZED (SELECT d.kind, d.object_id"
            f" FROM search_trigram CROSS JOIN {TABLE} d ON d.id = search_trigram.rowid"
            f" WHERE (SELECT count(*) FROM f) < %s AND search_trigram MATCH %s{where} LIMIT %s)"
        )
        params += [TRIGRAM_WHEN_FEWER, " AND ".join('"' + w + '"' for w in trigram), *wparams, COUNT_ROWS]
        every += " UNION ALL SELECT kind, object_id FROM t"
    known = list(registered_kinds())
    per_kind = " UNION ALL ".join(
        "SELECT %s AS kind, (SELECT json_array(count(DISTINCT object_id), count(*)) FROM"
        f" (SELECT d.object_id{join} WHERE search_fts MATCH %s{where} LIMIT %s)) AS n"
        for _ in known
    )
    sql += (
        " SELECT '' AS kind, json_array((SELECT count(*) FROM f), 0)"
        f" UNION ALL SELECT kind, json_array(count(DISTINCT object_id), 0) FROM ({every})"
        " WHERE (SELECT count(*) FROM f) < %s GROUP BY kind"
        f" UNION ALL SELECT kind, n FROM ({per_kind}) WHERE (SELECT count(*) FROM f) >= %s"
    )
    params.append(COUNT_ROWS)
    for kind in known:
        params += [kind, _match(parsed, (kind,)), *wparams, COUNT_ROWS]
    params.append(COUNT_ROWS)
    by_kind: dict[str, int] = {}
    capped: set[str] = set()
    found = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, pair in cursor.fetchall():
            n, rows = json.loads(pair)
            if not kind:
                found = int(n)
            elif rows >= COUNT_ROWS or n > COUNT_CAP:
                by_kind[kind] = COUNT_CAP
                capped.add(kind)
            elif n:
                by_kind[kind] = int(n)
    return Counts(by_kind, frozenset(capped), trigram=bool(trigram) and found < TRIGRAM_WHEN_FEWER)


def page(
    parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int, trigram: bool
) -> list[Row]:
    """The page of hits, ranked among the PAGE_CANDIDATES best rows by bm25 (the kinds are part
    of the FTS match; the other filters join the index's rows), with the titles found by
    trigrams when `trigram` (the counts found few); one row per object (the visitor's language
    first)."""
    where, wparams = where_sql(filters, with_kinds=False)
    words = trigram_words(parsed) if trigram else []
    sql = (
        "WITH c AS MATERIALIZED ("
        f" SELECT search_fts.rowid AS id, -{BM25} AS r{_fts_from(where)}"
        f" WHERE search_fts MATCH %s{where} ORDER BY {BM25} LIMIT %s),"
        " m0 AS (SELECT d.id, d.kind, d.object_id, d.language,"
        " c.r * d.weight * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
        f" FROM c CROSS JOIN {TABLE} d ON d.id = c.id"
    )
    params: list[Any] = [_match(parsed, filters.kinds), *wparams, PAGE_CANDIDATES, language, LANGUAGE_BOOST]
    if words:
        kinds, kparams = where_sql(Filters(kinds=filters.kinds), with_kinds=True)
        sql += (
            " UNION ALL SELECT d.id, d.kind, d.object_id, d.language,"
            " 0.5 * d.weight * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
            f" FROM search_trigram CROSS JOIN {TABLE} d ON d.id = search_trigram.rowid"
            f" WHERE search_trigram MATCH %s{where}{kinds} LIMIT %s"
        )
        tmatch = " AND ".join('"' + w + '"' for w in words)
        params += [language, LANGUAGE_BOOST, tmatch, *wparams, *kparams, PAGE_CANDIDATES]
    sql += (
        "), m AS (SELECT id, kind, object_id, language, MAX(score) AS score FROM m0 GROUP BY id),"
        " best AS (SELECT m.*, row_number() OVER (PARTITION BY kind, object_id"
        " ORDER BY (language = %s) DESC, score DESC, id) AS rn FROM m)"
        " SELECT id, kind, object_id, language, score FROM best WHERE rn = 1"
        " ORDER BY score DESC, id LIMIT %s OFFSET %s"
    )
    params += [language, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Row(int(i), k, int(o), lang, float(s or 0)) for i, k, o, lang, s in cursor.fetchall()]
