"""Synthetic demo data: which models can hold it, and whether this database holds any.

One answer for every place that must say so: the demo guard refuses production with it, and the
scorecard pages and every export mark their figures as synthetic while it is present, so nobody
publishes demo figures as real. A model takes part by having a boolean `is_demo` field: a new
module's synthetic rows are covered without an edit here.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, models

CACHE_KEY = "core:synthetic-data-present"
# The answer is read on every scorecard page and export; the demo is loaded or reset by commands
# that call `forget()`, so the time limit only bounds a change made some other way.
CACHE_SECONDS = 60
# Read first: where synthetic rows are most likely, so a demo database answers in one query.
LIKELY_FIRST = ("appeals", "directory")


def demo_models() -> list[type[models.Model]]:
    """Every installed model (users apart) whose rows can be synthetic demo data."""
    user_model = get_user_model()
    found = [
        model
        for model in apps.get_models()
        if model is not user_model and any(f.name == "is_demo" for f in model._meta.get_fields())
    ]
    order = {label: i for i, label in enumerate(LIKELY_FIRST)}
    return sorted(found, key=lambda m: order.get(m._meta.app_label, len(order)))


def synthetic_rows_present() -> bool:
    """Whether any synthetic demo record is in the database (read now, uncached): one query, an
    EXISTS per model (table and column names come from the models, quoted)."""
    quote = connection.ops.quote_name
    probes = []
    for model in demo_models():
        field = model._meta.get_field("is_demo")
        column = str(getattr(field, "column", "is_demo"))
        table = quote(model._meta.db_table)
        probes.append(f"EXISTS (SELECT 1 FROM {table} WHERE {quote(column)})")  # noqa: S608 - model names
    if not probes:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " OR ".join(probes))
        row = cursor.fetchone()
    return bool(row and row[0])


def synthetic_data_present() -> bool:
    """Whether any synthetic demo record is in the database (cached for CACHE_SECONDS)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = synthetic_rows_present()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return bool(found)


def forget() -> None:
    """Drop the cached answer (after the demo data was generated or removed)."""
    cache.delete(CACHE_KEY)
