"""PostgreSQL full text: the `kazakh` configuration, the tsvectors and the ranked query.

`vector` is `setweight(to_tsvector(<config>, title), 'A') || setweight(to_tsvector(<config>,
text), 'B')` with the configuration of the row's language: `kazakh` (an ispell dictionary built
on Debian's hunspell-kk, then `simple` for the words it lacks) for Kazakh, `russian`, `english`;
a query is the OR of its websearch parse in each of them, so it is searched in every language at
once (one GIN index). Titles also match by trigram word similarity (`pg_trgm`): names and typos.
"""

# The SQL here is built from constants and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection

from ..query import ParsedQuery
from .common import LANGUAGE_BOOST, TABLE, Filters, Row, trigram_words, where_sql

KAZAKH_CONFIG = "kazakh"
KAZAKH_DICTIONARY = "kazakh_ispell"
# The files deploy/kazakh-dictionary.sh puts into PostgreSQL's tsearch_data.
KAZAKH_FILES = "kk_kz"


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


def config_case() -> tuple[str, list[str]]:
    return (
        "(CASE language WHEN 'kk' THEN %s WHEN 'ru' THEN 'russian' WHEN 'en' THEN 'english' "
        "ELSE 'simple' END)::regconfig",
        [kazakh_config()],
    )


def write(ids: list[int]) -> None:
    """Fill the tsvectors of these (just inserted) rows."""
    config, params = config_case()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET vector = "
            f"setweight(to_tsvector({config}, title), 'A') || "
            f"setweight(to_tsvector({config}, body), 'B') WHERE id = ANY(%s)",
            [*params, *params, ids],
        )


def matches_sql(parsed: ParsedQuery, language: str, filters: Filters) -> tuple[str, list[Any]]:
    """SQL of the matching rows, one per object (`id, kind, object_id, language, score`), before
    the kinds filter (the counts by kind ignore it)."""
    where, wparams = where_sql(filters, with_kinds=False)
    trigram = trigram_words(parsed)
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
