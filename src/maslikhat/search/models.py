"""The public search index: one row per object, kind and language, only public content.

The rows are derived data: `services.index_rebuild` rebuilds them all from the providers
registered in `maslikhat.core.search`, `services.index_object` one object's. On PostgreSQL
`vector` holds the weighted tsvector (title A, text B) in the language's configuration; on
SQLite the text is mirrored into the FTS5 tables `search_fts` (words) and `search_trigram`
(substrings of titles), created by the migration.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TsVectorField(models.Field):
    """A PostgreSQL tsvector (an unused text column elsewhere); written by raw SQL only."""

    description = "text search vector"

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.BigIntegerField(_("object"))
    key = models.CharField(_("key"), max_length=80)
    language = models.CharField(_("language"), max_length=2)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    # SET_NULL: the index outlives nothing; the area's own re-index follows through the signals.
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "/<root id>/.../<area id>/": the area and the areas below it are one prefix
    area_path = models.CharField(_("area path"), max_length=255, blank=True, db_index=True)
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    weight = models.FloatField(_("weight"), default=1.0)
    vector = TsVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="search_document_unique"),
        ]
        indexes = [models.Index(fields=["kind", "date"], name="search_kind_date")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} [{self.language}]"


class SavedSearch(models.Model):
    """A citizen's saved query: new matches come in their digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    query = models.CharField(_("search"), max_length=200)
    kinds = models.CharField(_("kinds"), max_length=200, blank=True)  # comma-separated, "" = all
    area_code = models.CharField(_("area"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, default="kk")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The day up to which matches were sent (dated on or before it); new ones come after it.
    sent_until = models.DateField(_("sent until"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "query", "kinds", "area_code"], name="saved_search_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.query

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]
