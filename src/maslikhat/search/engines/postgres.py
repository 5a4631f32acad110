"""PostgreSQL full text: the `kazakh` configuration, the tsvectors and the ranked query.

`vector` is `setweight(to_tsvector(<config>, title), 'A') || setweight(to_tsvector(<config>,
text), 'B')` with the configuration of the row's language: `kazakh` (an ispell dictionary built
on Debian's hunspell-kk, then `simple` for the words it lacks) for Kazakh, `russian`, `english`;
a query is the OR of its websearch parse in each of them, so it is searched in every language at
once (one GIN index). A word typed wrong stands for the most similar words of the titles (`pg_trgm`
on their distinct words, `WORDS`): names and typos.
"""

# The SQL here is built from constants and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection

from maslikhat.core.search import kinds as registered_kinds

from ..query import FOLD_FROM, FOLD_TO, ParsedQuery, fold
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

KAZAKH_CONFIG = "kazakh"
KAZAKH_DICTIONARY = "kazakh_ispell"
# The files deploy/kazakh-dictionary.sh puts into PostgreSQL's tsearch_data.
KAZAKH_FILES = "kk_kz"
# The titles' part of `vector` (weight A), with its own GIN index (migration 0003): the
# expression must stay exactly this for the planner to use the index.
TITLE_VECTOR = "ts_filter(d.vector, '{a}'::\"char\"[])"


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


# The words of the titles (lower case, as the `simple` parser splits them) and their folded
# spelling (query.fold's letters, not its Latin i), with a trigram index (GiST: nearest first)
# on the latter: a word typed wrong is looked up among a few thousand distinct words, not among
# every title (pg_trgm's advice), and the titles that hold the words found come from the title
# vector's GIN index. Only added to: a word no title holds any more finds nothing (`clear_all`,
# before a rebuild, empties it).
WORDS = "search_title_word"
SIMILAR_WORDS = 5  # the words a typed word stands for, the most similar first
WORDS_SQL = (
    f"INSERT INTO {WORDS} (word, folded) SELECT DISTINCT w, translate(w, '{FOLD_FROM}', '{FOLD_TO}')"
    " FROM (SELECT unnest(tsvector_to_array(to_tsvector('simple', d.title))) AS w"
    f" FROM {TABLE} d WHERE d.id = ANY(%s)) x WHERE char_length(w) BETWEEN 3 AND 60"
    # in one order: two writers adding the same words wait for each other, never deadlock
    " ORDER BY 1 ON CONFLICT (word) DO NOTHING"
)


def write(ids: list[int]) -> None:
    """Fill the tsvectors of these (just inserted) rows, and add their titles' words."""
    config, params = config_case()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET vector = "
            f"setweight(to_tsvector({config}, title), 'A') || "
            f"setweight(to_tsvector({config}, body), 'B') WHERE id = ANY(%s)",
            [*params, *params, ids],
        )
        cursor.execute(WORDS_SQL, [ids])


def clear_all() -> None:
    """Before every row is written again: the titles' words go too."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {WORDS}")


def _similar_tsq(words: list[str]) -> tuple[str, list[Any]]:
    """Titles holding, for every word, one of the SIMILAR_WORDS title words most similar to it
    (trigrams of the folded spellings, pg_trgm's `%` threshold): a tsquery of those words in
    every configuration, NULL (nothing) when a word has none."""
    parts: list[str] = []
    params: list[Any] = []
    for word in words:
        folded = fold(word)
        parts.append(
            "(SELECT websearch_to_tsquery(%s::regconfig, s.t) || websearch_to_tsquery('russian', s.t)"
            " || websearch_to_tsquery('english', s.t) FROM (SELECT string_agg(w.word, ' or ') AS t"
            f" FROM (SELECT word FROM {WORDS} WHERE folded %% %s ORDER BY folded <-> %s, word"
            f" LIMIT {SIMILAR_WORDS}) w) s)"
        )
        params += [kazakh_config(), folded, folded]
    return "(" + " && ".join(parts) + ")", params


def _tsq(parsed: ParsedQuery) -> tuple[str, list[Any]]:
    """The query in every language's configuration at once, written out where it is used (not
    a CTE): its values are literals (client-side binding), so the planner folds it into a
    constant and estimates each use from the lexemes' statistics (a seq scan that stops early
    for a common word, the GIN index for a rare one)."""
    text = parsed.websearch()
    return (
        "(websearch_to_tsquery(%s::regconfig, %s)"
        " || websearch_to_tsquery('russian', %s) || websearch_to_tsquery('english', %s))",
        [kazakh_config(), text, text, text],
    )


def counts(parsed: ParsedQuery, language: str, filters: Filters) -> Counts:
    """Objects per kind, exact up to COUNT_CAP (common.bounded_counts): a sample of the matches
    (one bitmap of the GIN index), then each kind still undecided on its own, up to COUNT_ROWS
    rows, on the (kind, vector) index: a rare kind's few entries are skipped through the
    words' lists, well under a millisecond, where a kinds' list would intersect whole bitmaps."""
    where, wparams = where_sql(filters, with_kinds=False)
    words = trigram_words(parsed)
    tsq, tparams = _tsq(parsed)

    def sample(kinds: tuple[str, ...] | None, limit: int, trigram: bool) -> list[tuple[int, str, int, bool]]:
        if kinds:
            sql = " UNION ALL ".join(
                f"(SELECT d.id, d.kind, d.object_id, false FROM {TABLE} d"
                f" WHERE d.kind = %s AND d.vector @@ {tsq}{where} LIMIT %s)"
                for _ in kinds
            )
            params: list[Any] = []
            for kind in kinds:
                params += [kind, *tparams, *wparams, COUNT_ROWS]
        else:
            sql = (
                f"WITH f AS MATERIALIZED (SELECT d.id, d.kind, d.object_id FROM {TABLE} d"
                f" WHERE d.vector @@ {tsq}{where} LIMIT %s) SELECT id, kind, object_id, false FROM f"
            )
            params = [*tparams, *wparams, limit]
            if trigram:
                similar, sparams = _similar_tsq(words)
                sql += (
                    f" UNION ALL (SELECT d.id, d.kind, d.object_id, true FROM {TABLE} d"
                    f" WHERE (SELECT count(*) FROM f) < %s AND {TITLE_VECTOR} @@ {similar}{where} LIMIT %s)"
                )
                params += [TRIGRAM_WHEN_FEWER, *sparams, *wparams, COUNT_ROWS]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(i), k, int(o), bool(t)) for i, k, o, t in cursor.fetchall()]

    return bounded_counts(sample, list(registered_kinds()), trigram=bool(words))


def page(
    parsed: ParsedQuery, language: str, filters: Filters, *, limit: int, offset: int, counts: Counts
) -> list[Row]:
    """The page of hits, ranked among a bounded set of candidates: up to TITLE_CANDIDATES rows
    whose title matches (their own GIN index on the title's weight-A part), and, from the rows
    the counts read (`counts.matched`, not read again), up to BODY_CANDIDATES matching anywhere
    and the titles found by trigrams; one row per object (the visitor's language first)."""
    where, wparams = where_sql(filters, with_kinds=True)
    words = trigram_words(parsed) if counts.trigram else []
    phrase = " ".join(words)
    wanted = set(filters.kinds)
    body = [i for i, kind in counts.matched if not wanted or kind in wanted][:BODY_CANDIDATES]
    titles = [i for i, kind in counts.by_trigram if not wanted or kind in wanted][:TITLE_CANDIDATES]
    tsq, tparams = _tsq(parsed)
    # a title that matches is a row that matches, unless a word is excluded (it may be in the text)
    negated = any(t.negated for group in parsed.groups for t in group)
    also = f" AND d.vector @@ {tsq}" if negated else ""
    sql = (
        "WITH c AS MATERIALIZED ("
        f"(SELECT d.id FROM {TABLE} d WHERE {TITLE_VECTOR} @@ {tsq}{also}{where} LIMIT %s)"
        " UNION SELECT unnest(%s::bigint[]))"
    )
    params: list[Any] = [*tparams, *(tparams if also else []), *wparams, TITLE_CANDIDATES, body + titles]
    similarity = "word_similarity(%s, d.title)" if words else "0"
    sql += (
        ", m AS (SELECT d.id, d.kind, d.object_id, d.language,"
        f" (ts_rank(d.vector, {tsq}, 1) + 0.3 * {similarity}) * d.weight"
        " * (CASE WHEN d.language = %s THEN %s ELSE 1.0 END) AS score"
        f" FROM c JOIN {TABLE} d ON d.id = c.id),"
        " best AS (SELECT m.*, row_number() OVER (PARTITION BY kind, object_id"
        " ORDER BY (language = %s) DESC, score DESC, id) AS rn FROM m)"
        " SELECT id, kind, object_id, language, score FROM best WHERE rn = 1"
        " ORDER BY score DESC, id LIMIT %s OFFSET %s"
    )
    params += tparams
    if words:
        params.append(phrase)
    params += [language, LANGUAGE_BOOST, language, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Row(int(i), k, int(o), lang, float(s or 0)) for i, k, o, lang, s in cursor.fetchall()]
