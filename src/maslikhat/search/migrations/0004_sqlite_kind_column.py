"""SQLite: `search_fts` gets the row's kind as a column, so that a kind's matches (its count,
a page of one kind) are an intersection inside the FTS index; created again and refilled from
the index's rows. Nothing on PostgreSQL (migration 0003)."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from maslikhat.search.engines import sqlite

    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS search_fts")
        sqlite.create_sqlite_tables(conn)
        with conn.cursor() as cursor:
            cursor.execute("DELETE FROM search_trigram")
        sqlite.fill_sqlite_tables(conn)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_bounded_search")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
