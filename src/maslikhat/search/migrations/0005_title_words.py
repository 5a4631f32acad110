"""PostgreSQL: the titles' distinct words (`engines.postgres.WORDS`) with a trigram index on
their folded spelling (GiST: the nearest words first, read in order, LIMIT 5 of them; a GIN
index would be passed over for a scan of every word), filled from the index's rows and analyzed; a word typed wrong is looked up there
instead of by trigrams over every title, whose index (`search_title_trgm`) goes. Nothing on
SQLite (its `search_trigram` table of titles stays)."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    from maslikhat.search.engines import postgres

    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {postgres.WORDS} (word text PRIMARY KEY, folded text NOT NULL)"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS search_title_word_trgm ON {postgres.WORDS}"
            " USING gist (folded gist_trgm_ops)"
        )
        cursor.execute("SELECT min(id), max(id) FROM search_searchdocument")
        low, high = cursor.fetchone()
        step = 50_000
        for start in range(low or 0, (high or -1) + 1, step):
            cursor.execute(postgres.WORDS_SQL, [list(range(start, start + step))])
        cursor.execute(f"ANALYZE {postgres.WORDS}")
        cursor.execute("DROP INDEX IF EXISTS search_title_trgm")


def backwards(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_title_word")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_title_trgm ON search_searchdocument "
            "USING gin (title gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sqlite_kind_column")]
    operations = [migrations.RunPython(forwards, backwards)]
