"""News: publications by any body (the national council, a maslikhat) in three languages,
with tags for the reform or topic they explain and the areas they concern.

Which news concern an area (see selectors.area_news): a publication concerns the areas it is
tagged with, or, when it is tagged with none, the area of its body (the national council's
area is the country). An area's news are the publications concerning the area itself or any
area above it, so the national council's country-wide news reach every area.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maslikhat.core.i18n import localized
from maslikhat.core.models import TimeStampedModel

from .choices import PublicationEventKind, PublicationStatus


class Tag(models.Model):
    """A reform or topic that publications explain, e.g. "local self-government reform"."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("news tag")
        verbose_name_plural = _("news tags")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Publication(TimeStampedModel):
    # PROTECT: a body's publications are its public record; bodies are dissolved, not deleted.
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    # Public media in the default storage; served through news:photo (only once published).
    photo = models.FileField(_("photo"), upload_to="news/%Y/%m/", blank=True)
    photo_content_type = models.CharField(max_length=40, blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    published_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="publications")
    areas = models.ManyToManyField(
        "directory.Area", verbose_name=_("areas concerned"), blank=True, related_name="publications"
    )
    # SET_NULL: the publication outlives the account that wrote it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values), name="publication_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=PublicationStatus.PUBLISHED)
                | Q(published_at__isnull=False, published_on__isnull=False),
                name="publication_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class PublicationEvent(models.Model):
    """One step in a publication's life: created, edited, published, withdrawn."""

    # CASCADE: events belong to their publication.
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PublicationEventKind.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    # SET_NULL: history outlives accounts.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PublicationEventKind.values), name="publication_event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind} {self.to_status}"
