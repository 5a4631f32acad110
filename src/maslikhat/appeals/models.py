"""Appeals: a citizen's written appeal to a deputy or a maslikhat, its events and attachments.

The applicant's personal data (IIN, address, phone, email) lives only on Appeal and is shown
only to the staff and deputies handling it (permissions.can_view_personal_data).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maslikhat.core.i18n import localized
from maslikhat.core.models import ShownLifecycleEvent, TimeStampedModel
from maslikhat.core.storage import private_storage

from .applicant import Applicant
from .choices import AppealKind, AppealStatus, EventKind


class Topic(models.Model):
    """An admin-editable list of appeal topics with stable codes."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("appeal topic")
        verbose_name_plural = _("appeal topics")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class RegistrationCounter(models.Model):
    """The last registration number used by a body in a year: numbers are gapless because the
    counter is incremented in the same transaction that inserts the appeal."""

    # CASCADE: the counter is meaningless without its body.
    body = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="registration_counter_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last_number}"


class Appeal(TimeStampedModel):
    registration_number = models.CharField(_("registration number"), max_length=40, unique=True)
    # PROTECT: an appeal's addressee is never deleted; bodies are dissolved, not removed.
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("body"), on_delete=models.PROTECT, related_name="appeals"
    )
    # PROTECT: likewise for the deputy it was addressed to.
    deputy = models.ForeignKey(
        "directory.Person",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AppealKind.choices)
    # PROTECT: topics are deactivated, not deleted, once used.
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="appeals"
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    applicant_name = models.CharField(_("full name"), max_length=200)
    applicant_iin = models.CharField(_("IIN"), max_length=12)
    applicant_address = models.CharField(_("address"), max_length=300)
    applicant_phone = models.CharField(_("phone"), max_length=40)
    applicant_email = models.EmailField(_("email"))
    # SET_NULL: the appeal stays when the account that filed it is removed.
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    token_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField(_("received at"))
    registered_on = models.DateField(_("registered on"))
    due_on = models.DateField(_("due on"), db_index=True)
    original_due_on = models.DateField(_("original due date"))
    # SET_NULL: an assignee who leaves does not take the appeal with them.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_appeals",
    )
    answer_text = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_working_days = models.PositiveSmallIntegerField(_("working days to answer"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason"), blank=True)
    # SET_NULL: the forward target may be dissolved later; the event rows keep the history.
    forwarded_to = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # PROTECT: a forwarded appeal keeps the one it came from.
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwards",
    )
    # PROTECT: a complaint keeps the appeal it is about.
    complaint_about = models.ForeignKey(
        "self",
        verbose_name=_("complaint about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    # What the citizen asked for: publication of the appeal and its answer without personal
    # data. Nothing is public until staff approve the redacted texts below (published_at set);
    # the public readers go through selectors.public_appeals() only. The column keeps its old
    # name: appeals marked public before approval existed count as requested, not approved.
    publication_requested = models.BooleanField(
        _("publication requested"), default=False, db_column="is_public"
    )
    public_text = models.TextField(_("published text of the appeal"), blank=True, db_default="")
    public_answer_text = models.TextField(_("published text of the answer"), blank=True, db_default="")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # SET_NULL: the approval stays when the approving account is removed.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publication approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["body", "status", "due_on"]),
            # "overdue now" (scorecard, reminders) counts only the open appeals (choices.OPEN_STATUSES)
            models.Index(
                fields=["body", "due_on"],
                name="appeal_open_due_idx",
                condition=Q(status__in=["received", "registered", "assigned", "in_progress"]),
            ),
            # the public appeals of a body, newest publication first (selectors.public_appeals)
            models.Index(
                fields=["body", "-published_at"],
                name="appeal_published_idx",
                condition=Q(published_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AppealStatus.values), name="appeal_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=AppealKind.values), name="appeal_kind_valid"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="appeal_rating_range"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("registered_on")), name="appeal_due_after_registration"
            ),
            # published only on the citizen's request, with both approved texts
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (Q(publication_requested=True) & ~Q(public_text="") & ~Q(public_answer_text="")),
                name="appeal_published_requested",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number

    @property
    def applicant(self) -> Applicant:
        """The applicant's personal data as given (only for those who may see it)."""
        return Applicant.of_appeal(self)

    @property
    def is_published(self) -> bool:
        """The approved redacted version is on the public pages."""
        return self.published_at is not None

    @property
    def publication_state(self) -> str:
        """none, requested (awaiting the answer or the approval) or published."""
        if not self.publication_requested:
            return "none"
        return "published" if self.published_at is not None else "requested"


class AppealEvent(ShownLifecycleEvent):
    """One step in an appeal's life; `public` events are shown to the citizen."""

    # CASCADE: events belong to their appeal.
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)

    class Meta(ShownLifecycleEvent.Meta):
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="appeal_event_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind} {self.to_status}"

    @property
    def to_status_label(self) -> str:
        return str(AppealStatus(self.to_status).label) if self.to_status else ""

    @property
    def label(self) -> str:
        """What happened, in words: the status reached, or the kind (a publication event says
        which step: requested, request withdrawn, approved)."""
        if self.kind == EventKind.STATUS:
            return self.to_status_label
        if self.kind == EventKind.PUBLISHED:
            step = self.data.get("step") or ("requested" if self.data.get("public") else "withdrawn")
            return str(PUBLICATION_STEP_LABELS.get(step, EventKind.PUBLISHED.label))
        return str(self.get_kind_display())


PUBLICATION_STEP_LABELS = {
    "requested": _("publication requested"),
    "withdrawn": _("publication request withdrawn"),
    "approved": _("published without personal data"),
}


class AppealAttachment(models.Model):
    # CASCADE: files belong to their appeal.
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="appeals/%Y/%m/", storage=private_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    is_answer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class AppealStats(models.Model):
    """Monthly rollup per body, kind and topic, maintained by the services (never by scanning).

    `answer_days` is a histogram {working days to answer: count} so medians need no appeal rows.
    """

    # CASCADE: the rollup belongs to its body.
    body = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    kind = models.CharField(max_length=16, choices=AppealKind.choices)
    # CASCADE: a deleted topic takes its counters (topics are deactivated, not deleted, in practice).
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    answer_days = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("appeal statistics")
        verbose_name_plural = _("appeal statistics")
        constraints = [
            models.UniqueConstraint(fields=["body", "month", "kind", "topic"], name="appeal_stats_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.month:%Y-%m} {self.kind} {self.topic_id}"


# ---------------------------------------------------------------- the follow-up question (B)


class FollowupAnswer(models.TextChoices):
    YES = "yes", _("Yes, I got a satisfying reply")
    PARTLY = "partly", _("Partly")
    NO = "no", _("I got a reply, but it does not satisfy me")
    NO_REPLY = "no_reply", _("I got no reply")


class AppealFollowup(models.Model):
    """The question asked two weeks after the answer (or after the due date when no answer
    came): did the citizen get a satisfying reply? One row per appeal, created by the daily job
    when it emails the question (`followup.send_followups`) or by the citizen's answer on the
    tracking page (`followup.followup_answer`). Its answers are a scorecard figure."""

    # CASCADE: the question belongs to its appeal.
    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="followup")
    # The SHA-256 of the key in the emailed link: it opens the question only, not the appeal.
    token_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    asked_on = models.DateField(_("asked from"))
    emailed_at = models.DateTimeField(_("question emailed at"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=16, choices=FollowupAnswer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up question")
        verbose_name_plural = _("follow-up questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__in=[*FollowupAnswer.values, ""]), name="appeal_followup_answer_valid"
            ),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="appeal_followup_answered_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.answer or '-'}"


class AppealMonthStats(models.Model):
    """Monthly rollup per body (all kinds and topics together), maintained by the services with
    AppealStats: the scorecard reads one row per body and month. `answer_days` as in AppealStats."""

    # CASCADE: the rollup belongs to its body.
    body = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    answer_days = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("monthly appeal statistics")
        verbose_name_plural = _("monthly appeal statistics")
        constraints = [models.UniqueConstraint(fields=["body", "month"], name="appeal_month_stats_unique")]

    def __str__(self) -> str:
        return f"{self.body_id} {self.month:%Y-%m}"


class AppealOverdue(models.Model):
    """A body's open appeals whose due date is before `as_of` (the "overdue now" count as of
    that day). Kept current by the services (an appeal leaving the open statuses, an extension,
    a late registration) and moved forward once a day by `appeals.overdue` (figures.overdue_pass),
    which adds the appeals that crossed their due date since `as_of`. A reader on another day
    adds (or removes) those itself, so the count is exact whenever the pass last ran."""

    # CASCADE: the counter belongs to its body.
    body = models.OneToOneField(
        "directory.Organization", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    overdue = models.IntegerField(default=0)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("overdue appeals count")
        verbose_name_plural = _("overdue appeals counts")

    def __str__(self) -> str:
        return f"{self.body_id}: {self.overdue} on {self.as_of}"


class AppealAccessToken(models.Model):
    """A further private tracking link of an appeal, issued when anyone asks for the links of an
    address again (`links.tracking_links_resend`): it opens the appeal like the link of the
    registration email (`Appeal.token_hash`), which keeps working, so a stranger who knows the
    address cannot make the citizen's links stop working. Only the SHA-256 is stored. At most
    `access.MAX_EXTRA_TOKENS` per appeal (the oldest go first); the owner's "email me a new
    link" revokes them all with the main link (a leaked link is revoked that way)."""

    # CASCADE: a link belongs to its appeal.
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.created_at:%Y-%m-%d %H:%M}"
