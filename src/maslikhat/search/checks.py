"""`check --deploy`: on PostgreSQL, say when Kazakh is searched without its dictionary."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import connection
from django.db.utils import DatabaseError


@checks.register(checks.Tags.database, deploy=True)
def kazakh_search_configuration(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if connection.vendor != "postgresql":
        return []
    from .engines import kazakh_configuration_exists

    try:
        present = kazakh_configuration_exists()
    except DatabaseError:
        return []  # no database to ask: other checks say so
    if present:
        return []
    return [
        checks.Warning(
            "The PostgreSQL text search configuration 'kazakh' is missing: Kazakh text is searched "
            "with 'simple' (no word forms).",
            hint="apt-get install hunspell-kk; sh deploy/kazakh-dictionary.sh; maslikhat search-rebuild",
            id="maslikhat.search.W001",
        )
    ]
