"""Indexes that keep a search's cost bounded at any size (PostgreSQL; nothing on SQLite):

- `search_title_vector_gin`: the titles' part of the vector (weight A), so that the rows whose
  title matches are found without reading every row matching anywhere;
- `search_kind_vector_gin` on (kind, vector) with btree_gin, replacing the vector's own index:
  a kind's matches are counted (up to a cap) from the index, whatever the other kinds hold.
  Without btree_gin (an extension not installed) the vector's own index stays.

The GIN indexes go without a pending list (fastupdate off): the index is read far more often
than written, and a search would otherwise scan the pending list through until a vacuum.
"""

from typing import Any

from django.db import migrations

TITLE_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_title_vector_gin ON search_searchdocument "
    "USING gin (ts_filter(vector, '{a}'::\"char\"[])) WITH (fastupdate = off)"
)
KIND_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_kind_vector_gin ON search_searchdocument USING gin (kind, vector) "
    "WITH (fastupdate = off)"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute(TITLE_INDEX)
        # no pending list: every search would read it through (up to 4 MB) until a vacuum
        cursor.execute("ALTER INDEX IF EXISTS search_title_trgm SET (fastupdate = off)")
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'")
        has = cursor.fetchone() is not None
        if not has:
            cursor.execute("SAVEPOINT btree_gin")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
            except Exception:  # not installed, or not allowed: the vector's own index stays
                cursor.execute("ROLLBACK TO SAVEPOINT btree_gin")
            else:
                cursor.execute("RELEASE SAVEPOINT btree_gin")
                has = True
        if has:
            cursor.execute(KIND_INDEX)
            cursor.execute("DROP INDEX IF EXISTS search_vector_gin")


def backwards(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_vector_gin ON search_searchdocument USING gin (vector)"
        )
        cursor.execute("DROP INDEX IF EXISTS search_kind_vector_gin")
        cursor.execute("DROP INDEX IF EXISTS search_title_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engines")]
    operations = [migrations.RunPython(forwards, backwards)]
