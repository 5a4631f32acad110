"""The national council's work: meetings, proposals from maslikhats, recommendations and the
maslikhats' reports on them.

The council is an Organization of kind `national_council` (the Senate's Council on Interaction
with Maslikhats until 1 July 2026, its successor after): meetings and recommendations point to
the council that existed on their date, so history stays as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maslikhat.core.i18n import localized
from maslikhat.core.models import ShownLifecycleEvent, TimeStampedModel
from maslikhat.core.storage import private_storage

from .choices import (
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PolicyArea,
    ProposalEventKind,
    ProposalStatus,
    ReportStatus,
    SentTo,
)


class Meeting(TimeStampedModel):
    # PROTECT: a council's meetings are its record; councils are dissolved, not deleted.
    council = models.ForeignKey(
        "directory.Organization", verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT, db_index=True
    )
    held_on = models.DateField(_("date"), db_index=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    place_kk = models.CharField(_("place (Kazakh)"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (Russian)"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    # SET_NULL: the chair's person record may be merged or removed; the title text stays.
    chair = models.ForeignKey(
        "directory.Person",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_meetings",
    )
    chair_title_kk = models.CharField(_("chair's title (Kazakh)"), max_length=300, blank=True)
    chair_title_ru = models.CharField(_("chair's title (Russian)"), max_length=300, blank=True)
    chair_title_en = models.CharField(_("chair's title (English)"), max_length=300, blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    minutes_kk = models.TextField(_("minutes (Kazakh)"), blank=True)
    minutes_ru = models.TextField(_("minutes (Russian)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    outcomes_kk = models.TextField(_("outcomes (Kazakh)"), blank=True)
    outcomes_ru = models.TextField(_("outcomes (Russian)"), blank=True)
    outcomes_en = models.TextField(_("outcomes (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="meeting_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def place(self) -> str:
        return localized(self, "place")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def minutes(self) -> str:
        return localized(self, "minutes")

    @property
    def outcomes(self) -> str:
        return localized(self, "outcomes")

    @property
    def chair_title(self) -> str:
        return localized(self, "chair_title")

    @property
    def is_public(self) -> bool:
        return self.status != MeetingStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == MeetingStatus.PUBLISHED


class MeetingParticipant(models.Model):
    # CASCADE: participation belongs to its meeting.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    # SET_NULL: the name text keeps the record when a person row goes.
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="council_meetings"
    )
    # SET_NULL: likewise for the body the participant represented.
    organization = models.ForeignKey(
        "directory.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id is not None:
            return self.person.name  # type: ignore[union-attr]
        return self.name


class AgendaItem(models.Model):
    # CASCADE: agenda items belong to their meeting.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class MeetingDocument(models.Model):
    # CASCADE: documents belong to their meeting.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("kind"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(upload_to="council/meetings/%Y/", storage=private_storage)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Recommendation(TimeStampedModel):
    # PROTECT: recommendations are the council's record.
    council = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    # PROTECT: a recommendation keeps the meeting that adopted it.
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    adopted_on = models.DateField(_("adopted on"), db_index=True)
    due_on = models.DateField(_("reports due on"))
    addressed_to_all = models.BooleanField(_("addressed to all maslikhats"), default=False)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-adopted_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="recommendation_number_unique"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("adopted_on")), name="recommendation_due_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.adopted_on:%Y-%m-%d} №{self.number} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")


class RecommendationReport(models.Model):
    """One addressed maslikhat's duty to report on a recommendation, and its report."""

    # CASCADE: the duty exists only with its recommendation.
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="reports")
    # PROTECT: bodies are dissolved, not deleted.
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING, db_index=True
    )
    text = models.TextField(_("report"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    on_time = models.BooleanField(_("filed on time"), null=True, blank=True)
    # SET_NULL: history outlives accounts.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        ordering = ["recommendation_id", "body_id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "body"], name="recommendation_report_unique"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.PENDING, filed_at__isnull=True)
                | Q(status=ReportStatus.FILED, filed_at__isnull=False),
                name="report_filed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}/{self.body_id} {self.status}"

    @property
    def is_filed(self) -> bool:
        return self.status == ReportStatus.FILED


class Proposal(TimeStampedModel):
    """A maslikhat's proposal to the national council."""

    # PROTECT: a proposal keeps the council it went to.
    council = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    # PROTECT: and the maslikhat that made it.
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("proposing maslikhat"),
        on_delete=models.PROTECT,
        related_name="council_proposals",
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    policy_area = models.CharField(_("area of policy"), max_length=24, choices=PolicyArea.choices)
    law_concerned = models.CharField(_("law concerned"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"), db_index=True)
    # SET_NULL: the agenda may be rewritten; the event rows keep the history.
    agenda_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("on the agenda of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # SET_NULL: likewise for the recommendation it went into.
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("included in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    sent_to = models.CharField(_("sent to"), max_length=16, choices=SentTo.choices, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # SET_NULL: history outlives accounts.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("proposal to the council")
        verbose_name_plural = _("proposals to the council")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(policy_area__in=PolicyArea.values), name="proposal_policy_area_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
                name="proposal_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalBacker(models.Model):
    """Another maslikhat co-signing a proposal."""

    # CASCADE: a co-signature belongs to its proposal.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="backers")
    # PROTECT: bodies are dissolved, not deleted.
    body = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    backed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["backed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "body"], name="proposal_backer_unique")]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.body_id}"


class ProposalDocument(models.Model):
    # CASCADE: documents belong to their proposal.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="council/proposals/%Y/", storage=private_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ProposalEvent(ShownLifecycleEvent):
    """One step in a proposal's life; `public` events are on the public record, internal notes
    only for the council and the proposing and co-signing maslikhats."""

    # CASCADE: events belong to their proposal.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=ProposalEventKind.choices)
    # a proposal's statuses are longer than the base's 16 characters ("partly_implemented")
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)

    class Meta(ShownLifecycleEvent.Meta):
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProposalEventKind.values), name="proposal_event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind} {self.to_status}"

    @property
    def to_status_label(self) -> str:
        return str(ProposalStatus(self.to_status).label) if self.to_status else ""

    @property
    def label(self) -> str:
        """What happened: the status reached, or the kind of the step."""
        return self.to_status_label if self.kind == ProposalEventKind.STATUS else str(self.get_kind_display())
