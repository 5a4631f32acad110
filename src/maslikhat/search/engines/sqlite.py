"""SQLite FTS5: the table `search_fts` (unicode61 words: title, text and the row's kind; prefix
queries of light stems, ranked by bm25 with titles counting ten times, the kind only a filter)
and `search_trigram` (titles, trigram tokenizer: substrings).

A search reads a bounded part of them whatever their size: the page ranks the best
TITLE_CANDIDATES title matches and BODY_CANDIDATES row matches by bm25, each among the newest
SCORED matches (FTS5 scores every row it sorts), the counts are common.bounded_counts' samples
(the kind is a column of the FTS table, so a kind's matches are an intersection in the index),
and titles go by trigrams only when the words find fewer than TRIGRAM_WHEN_FEWER rows.
"""

# The SQL here is built from constants and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection

from maslikhat.core.search import kinds as registered_kinds

from ..query import ParsedQuery
from .common import (
    BODY_CANDIDATES,
    COUNT_ROWS,
    LANGUAGE_BOOST,
    TABLE,
    TITLE_CANDIDATES,
    TRIGRAM_WHEN_FEWER,
    Counts,
    Filters,
    Row,
    bounded_counts,
    trigram_words,
    where_sql,
)

PAGE_CANDIDATES = TITLE_CANDIDATES + BODY_CANDIDATES
# matches scored by bm25 at most, the newest (FTS5 scores every row it sorts): for the title
# candidates, and for the candidates matching anywhere
SCORED = 3000
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


def _match(parsed: ParsedQuery, kinds: tuple[str, ...] = (), *, titles: bool = False) -> str:
    """The query on the title and text only (never the kind column), and the kinds; with
    `titles`, the rows whose title matches (and the whole row, when a word is excluded)."""
    query = parsed.fts5()
    expr = "{title body} : (" + query + ")"
    if titles:
        negated = any(t.negated for group in parsed.groups for t in group)
        expr = "{title} : (" + query + ")" + (f" AND ({expr})" if negated else "")
    return f"({expr}) AND {_kinds_match(kinds)}" if kinds else expr


def _fts_from(where: str) -> str:
    """The FTS rows joined to the index's rows only when a filter needs those (FTS first)."""
    return (
        f" FROM search_fts CROSS JOIN {TABLE} d ON d.id = search_fts.rowid" if where else " FROM search_fts"
    )


def counts(parsed: ParsedQuery, language: str, filters: Filters) -> Counts:
    """Objects per kind, exact up to COUNT_CAP (common.bounded_counts): samples of the matches,
    a kind's filter a column of the FTS table (an intersection in the index)."""
    where, wparams = where_sql(filters, with_kinds=False)
    words = trigram_words(parsed)

    def sample(kinds: tuple[str, ...] | None, limit: int, trigram: bool) -> list[tuple[int, str, int, bool]]:
        sql = (
            "WITH f AS MATERIALIZED (SELECT d.id, d.kind, d.object_id FROM search_fts CROSS JOIN"
            f" {TABLE} d ON d.id = search_fts.rowid WHERE search_fts MATCH %s{where} LIMIT %s)"
            " SELECT id, kind, object_id, 0 FROM f"
        )
        params: list[Any] = [_match(parsed, kinds or ()), *wparams, limit]
        if trigram:
            sql += (
                f" UNION ALL SELECT * FROM (SELECT d.id, d.kind, d.object_id, 1 FROM search_trigram"
                f" CROSS JOIN {TABLE} d ON d.id = search_trigram.rowid"
                f" WHERE (SELECT count(*) FROM f) < %s AND search_trigram MATCH %s{where} LIMIT %s)"
            )
            params += [TRIGRAM_WHEN_FEWER, " AND ".join('"' + w + '"' for w in words), *wparams, COUNT_ROWS]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(i), k, int(o), bool(t)) for i, k, o, t in cursor.fetchall()]

    return bounded_counts(sample, list(registered_kinds()), trigram=bool(words))


def page(
    parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int, counts: Counts
) -> list[Row]:
    """The page of hits, ranked among the best title and row matches by bm25 (the kinds are part
    of the FTS match; the other filters join the index's rows), with the titles found by
    trigrams when `trigram` (the counts found few); one row per object (the visitor's language
    first)."""
    where, wparams = where_sql(filters, with_kinds=False)
    words = trigram_words(parsed) if counts.trigram else []

    def best(limit: int) -> str:  # the best `limit` by bm25 among the newest SCORED matches
        return (
            f"SELECT id, r FROM (SELECT search_fts.rowid AS id, -{BM25} AS r{_fts_from(where)}"
            f" WHERE search_fts MATCH %s{where} ORDER BY search_fts.rowid DESC LIMIT {SCORED})"
            f" ORDER BY r DESC LIMIT {int(limit)}"
        )

    sql = (
        f"WITH t AS MATERIALIZED ({best(TITLE_CANDIDATES)}), b AS MATERIALIZED ({best(BODY_CANDIDATES)}),"
        " c AS (SELECT id, MAX(r) AS r FROM (SELECT * FROM t UNION ALL SELECT * FROM b) GROUP BY id),"
        " m0 AS (SELECT d.id, d.kind, d.object_id, d.language,"
        " c.r * d.weight * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
        f" FROM c CROSS JOIN {TABLE} d ON d.id = c.id"
    )
    params: list[Any] = [
        _match(parsed, filters.kinds, titles=True),
        *wparams,
        _match(parsed, filters.kinds),
        *wparams,
        language,
        LANGUAGE_BOOST,
    ]
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
