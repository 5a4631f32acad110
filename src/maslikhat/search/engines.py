"""The two search engines behind one interface: PostgreSQL full text and SQLite FTS5.

PostgreSQL: `vector` is `setweight(to_tsvector(<config>, title), 'A') ||
setweight(to_tsvector(<config>, text), 'B')` with the configuration of the row's language:
`kazakh` (an ispell dictionary built on Debian's hunspell-kk, then `simple` for the words it
lacks) for Kazakh, `russian`, `english`; a query is the OR of its websearch parse in each of
them, so it is searched in every language at once (one GIN index). Titles also match by
trigram word similarity (`pg_trgm`): names and typos.

SQLite: the FTS5 table `search_fts` (unicode61 words, title and text; prefix queries of light
stems, ranked by bm25 with titles counting ten times) and `search_trigram` (titles, trigram
tokenizer: substrings).

Both rank a row by relevance times its weight, the visitor's language a quarter up, and show
one result per object (the row in the visitor's language when the object has one).
"""

# The SQL here is built from constants and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from .query import ParsedQuery

TABLE = "search_searchdocument"
KAZAKH_CONFIG = "kazakh"
KAZAKH_DICTIONARY = "kazakh_ispell"
# The files deploy/kazakh-dictionary.sh puts into PostgreSQL's tsearch_data.
KAZAKH_FILES = "kk_kz"
LANGUAGE_BOOST = 1.25
TRIGRAM_MIN = 3  # the shortest word looked up by trigrams


def vendor() -> str:
    return connection.vendor


# ------------------------------------------------------------------ PostgreSQL configuration


def kazakh_configuration_exists(conn: Any = None) -> bool:
    conn = conn or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [KAZAKH_CONFIG])
        return cursor.fetchone() is not None


def ensure_configuration(conn: Any = None) -> bool:
    """Create the `kazakh` configuration when the dictionary files are installed (and pg_trgm);
    True when it exists afterwards. Safe to run again; on SQLite nothing to do."""
    conn = conn or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    if kazakh_configuration_exists(conn):
        return True
    from django.db import transaction

    try:
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(
                f"CREATE TEXT SEARCH DICTIONARY {KAZAKH_DICTIONARY} "
                f"(TEMPLATE = ispell, DictFile = {KAZAKH_FILES}, AffFile = {KAZAKH_FILES})"
            )
            # loading checks the files: a missing one fails here, not at the first search
            cursor.execute(f"SELECT ts_lexize('{KAZAKH_DICTIONARY}', 'мәслихат')")
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {KAZAKH_CONFIG} (COPY = simple)")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {KAZAKH_CONFIG} "
                f"ALTER MAPPING FOR word, hword, hword_part WITH {KAZAKH_DICTIONARY}, simple"
            )
    except Exception:  # the dictionary files are not installed: Kazakh uses `simple`
        _CONFIG_CACHE.pop(conn.alias, None)
        return False
    _CONFIG_CACHE.pop(conn.alias, None)
    return True


_CONFIG_CACHE: dict[str, str] = {}


def kazakh_config() -> str:
    """The configuration Kazakh text is indexed with: `kazakh`, or `simple` without it."""
    alias = connection.alias
    if alias not in _CONFIG_CACHE:
        _CONFIG_CACHE[alias] = KAZAKH_CONFIG if kazakh_configuration_exists() else "simple"
    return _CONFIG_CACHE[alias]


def _pg_config_case() -> tuple[str, list[str]]:
    return (
        "(CASE language WHEN 'kk' THEN %s WHEN 'ru' THEN 'russian' WHEN 'en' THEN 'english' "
        "ELSE 'simple' END)::regconfig",
        [kazakh_config()],
    )


# ------------------------------------------------------------------ SQLite tables


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


# ------------------------------------------------------------------ writing


def write(ids: list[int]) -> None:
    """Fill the engine's structures for these (just inserted) rows."""
    if not ids:
        return
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            config, params = _pg_config_case()
            cursor.execute(
                f"UPDATE {TABLE} SET vector = "
                f"setweight(to_tsvector({config}, title), 'A') || "
                f"setweight(to_tsvector({config}, body), 'B') WHERE id = ANY(%s)",
                [*params, *params, ids],
            )
            return
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk)).replace("?", "%s")
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
    if not ids or vendor() == "postgresql":
        return  # the vector goes with its row
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)
            cursor.execute(f"DELETE FROM search_trigram WHERE rowid IN ({marks})", chunk)


def clear_all() -> None:
    if vendor() == "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_trigram")


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    area_path: str = ""
    body_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    object_id: int
    language: str
    score: float


def _where(filters: Filters, *, with_kinds: bool) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if with_kinds and filters.kinds:
        clauses.append("d.kind IN (" + ",".join(["%s"] * len(filters.kinds)) + ")")
        params.extend(filters.kinds)
    if filters.area_path:
        clauses.append("d.area_path LIKE %s")
        params.append(filters.area_path + "%")
    if filters.body_id is not None:
        clauses.append("d.organization_id = %s")
        params.append(filters.body_id)
    if filters.date_from is not None:
        clauses.append("d.date >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        clauses.append("d.date <= %s")
        params.append(filters.date_to)
    return "".join(f" AND {c}" for c in clauses), params


def _trigram_words(parsed: ParsedQuery) -> list[str]:
    """Words for the trigram match: a single alternative without exclusions, long enough."""
    if len(parsed.groups) != 1 or any(t.negated for t in parsed.groups[0]):
        return []
    words = parsed.words
    return words if words and all(len(w) >= TRIGRAM_MIN for w in words) else []


def _matches_sql(parsed: ParsedQuery, language: str, filters: Filters) -> tuple[str, list[Any]]:
    """SQL of the matching rows, one per object (`id, kind, object_id, language, score`), before
    the kinds filter (the counts by kind ignore it)."""
    where, wparams = _where(filters, with_kinds=False)
    trigram = _trigram_words(parsed)
    if vendor() == "postgresql":
        text = parsed.websearch()
        kk = kazakh_config()
        phrase = " ".join(trigram)
        trigram_sql = "OR %s <%% d.title" if trigram else ""
        similarity = "word_similarity(%s, d.title)" if trigram else "0"
        sql = (
            "WITH q AS (SELECT (websearch_to_tsquery(%s::regconfig, %s)"
            " || websearch_to_tsquery('russian', %s) || websearch_to_tsquery('english', %s)) AS tsq),"
            " m AS (SELECT d.id, d.kind, d.object_id, d.language,"
            f" (ts_rank(d.vector, q.tsq, 1) + 0.3 * {similarity}) * d.weight"
            " * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
            f" FROM {TABLE} d, q WHERE (d.vector @@ q.tsq {trigram_sql}){where}),"
            " best AS (SELECT m.*, row_number() OVER (PARTITION BY kind, object_id"
            " ORDER BY (language = %s) DESC, score DESC, id) AS rn FROM m)"
        )
        params: list[Any] = [kk, text, text, text]
        if trigram:
            params.append(phrase)
        params += [language, LANGUAGE_BOOST]
        if trigram:
            params.append(phrase)
        params += [*wparams, language]
        return sql, params
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
    sql, params = _matches_sql(parsed, language, filters)
    with connection.cursor() as cursor:
        cursor.execute(sql + " SELECT kind, COUNT(*) FROM best WHERE rn = 1 GROUP BY kind", params)
        return {kind: int(n) for kind, n in cursor.fetchall()}


def page(parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int) -> list[Row]:
    sql, params = _matches_sql(parsed, language, filters)
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
