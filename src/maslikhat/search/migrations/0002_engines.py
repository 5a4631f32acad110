"""The engines' structures: on PostgreSQL pg_trgm, the `kazakh` configuration (when the
hunspell-kk files are installed; see deploy/kazakh-dictionary.sh), the GIN indexes; on SQLite
the FTS5 tables."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from maslikhat.search import engines

    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        engines.ensure_configuration(conn)
        with conn.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_vector_gin ON search_searchdocument USING gin (vector)"
            )
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_title_trgm ON search_searchdocument "
                "USING gin (title gin_trgm_ops)"
            )
    elif conn.vendor == "sqlite":
        engines.create_sqlite_tables(conn)


def backwards(apps: Any, schema_editor: Any) -> None:
    from maslikhat.search import engines

    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_vector_gin")
            cursor.execute("DROP INDEX IF EXISTS search_title_trgm")
    elif conn.vendor == "sqlite":
        engines.drop_sqlite_tables(conn)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
