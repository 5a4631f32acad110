"""A maslikhat's proceedings: convocations, sessions and their agendas, attendance and votes,
the decisions register, and draft decisions put to public comment.

Settings that differ between maslikhats (the number template, quorum and majority, the comment
period, the notice lead time) are one `ProceedingsSettings` row per body; without a row the
defaults below apply (the notice lead time is UNVERIFIED in law, hence a setting).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maslikhat.core.i18n import localized
from maslikhat.core.models import LifecycleEvent, TimeStampedModel

from .choices import (
    CommentStatus,
    DecisionStatus,
    DraftStatus,
    HearingStatus,
    InForceRule,
    ItemKind,
    ItemOutcome,
    LinkKind,
    MajorityBasis,
    MeetingStatus,
    Response,
    SessionKind,
    SessionStatus,
    Stance,
    VoteMethod,
    VoteOption,
    VoteResult,
)

DEFAULT_NUMBER_TEMPLATE = "{session}-{seq}"


class ProceedingsSettings(models.Model):
    """One maslikhat's rules of procedure, as the operator sets them."""

    # CASCADE: the settings mean nothing without their body.
    body = models.OneToOneField(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.CASCADE, related_name="+"
    )
    number_template = models.CharField(
        _("decision number template"),
        max_length=60,
        default=DEFAULT_NUMBER_TEMPLATE,
        help_text=_("Placeholders: {session}, {seq}, {convocation}, {year}."),
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"), default=3)
    majority_basis = models.CharField(
        _("majority of"), max_length=8, choices=MajorityBasis.choices, default=MajorityBasis.ELECTED
    )
    comment_working_days = models.PositiveSmallIntegerField(_("comment period (working days)"), default=10)
    notice_lead_days = models.PositiveSmallIntegerField(_("notice lead time (calendar days)"), default=10)
    commission_quorum_percent = models.PositiveSmallIntegerField(
        _("commission quorum: more than this share of members (%)"), default=50
    )
    report_lead_days = models.PositiveSmallIntegerField(
        _("the akim's reports and budgets reach the commissions this many days before the session"),
        default=21,
    )

    class Meta:
        verbose_name = _("rules of procedure")
        verbose_name_plural = _("rules of procedure")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="proceedings_quorum_fraction",
            ),
            models.CheckConstraint(
                condition=Q(majority_basis__in=MajorityBasis.values), name="proceedings_majority_valid"
            ),
            models.CheckConstraint(
                condition=Q(commission_quorum_percent__lt=100), name="proceedings_commission_quorum_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_id}: {self.number_template}"


class Convocation(TimeStampedModel):
    # PROTECT: a body's convocations are its record.
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("maslikhat"),
        on_delete=models.PROTECT,
        related_name="convocations",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date (exclusive)"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ["body_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="convocation_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="convocation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.number}"


class Session(TimeStampedModel):
    # PROTECT: sessions are the record of their convocation.
    convocation = models.ForeignKey(
        Convocation, verbose_name=_("convocation"), on_delete=models.PROTECT, related_name="sessions"
    )
    # PROTECT: the body is the convocation's (kept here to filter without a join).
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("maslikhat"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
        db_index=True,
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    livestream_url = models.URLField(_("livestream"), blank=True)
    notice = models.TextField(_("notice to deputies and the population"), blank=True)
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    # SET_NULL: history outlives accounts.
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("revision (iCalendar SEQUENCE)"), default=0)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["convocation", "number"], name="session_number_unique"),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="session_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=SessionKind.values), name="session_kind_valid"),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.PLANNED) | Q(status=SessionStatus.CANCELLED) | ~Q(notice=""),
                name="session_convened_has_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convocation.number}/{self.number}"

    @property
    def is_public(self) -> bool:
        return self.status != SessionStatus.PLANNED


class SessionEvent(LifecycleEvent):
    # CASCADE: events belong to their session.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        ordering = ["created_at", "id"]


class Reschedule(models.Model):
    """A move of a session after its notice: the history the public sees."""

    # CASCADE: the history belongs to its session.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reschedules")
    old_starts_at = models.DateTimeField(_("was"))
    new_starts_at = models.DateTimeField(_("now"))
    old_place = models.CharField(_("was held at"), max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    sequence = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rescheduling")
        verbose_name_plural = _("reschedulings")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["session", "sequence"], name="reschedule_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.sequence}"


class DraftDecision(TimeStampedModel):
    # PROTECT: a body's drafts are public record once published.
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("maslikhat"),
        on_delete=models.PROTECT,
        related_name="draft_decisions",
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500)
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    explanatory_note = models.TextField(_("explanatory note"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.PREPARING, db_index=True
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    comment_opens_on = models.DateField(_("comments from"), null=True, blank=True)
    comment_closes_on = models.DateField(
        _("comments until (inclusive)"), null=True, blank=True, db_index=True
    )
    results_text = models.TextField(_("changes made after the comments"), blank=True)
    results_published_at = models.DateTimeField(_("results report published at"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("draft decision")
        verbose_name_plural = _("draft decisions")
        ordering = ["-comment_opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DraftStatus.values), name="draft_status_valid"),
            models.CheckConstraint(
                condition=Q(status=DraftStatus.PREPARING) | Q(comment_closes_on__isnull=False),
                name="draft_published_has_period",
            ),
            models.CheckConstraint(
                condition=~Q(status=DraftStatus.REPORTED) | Q(results_published_at__isnull=False),
                name="draft_reported_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def is_public(self) -> bool:
        return self.status != DraftStatus.PREPARING


class DraftVersion(models.Model):
    # CASCADE: versions belong to their draft.
    draft = models.ForeignKey(DraftDecision, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draft_version_unique")]

    def __str__(self) -> str:
        return f"{self.draft_id} v{self.number}"


class Comment(models.Model):
    # CASCADE: comments belong to their draft.
    draft = models.ForeignKey(DraftDecision, on_delete=models.CASCADE, related_name="comments")
    # SET_NULL: a closed account's comments stay in the record (and in the results report).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("shown as"), max_length=200)
    language = models.CharField(_("language of the text commented"), max_length=2, default="kk")
    paragraph = models.PositiveSmallIntegerField(_("paragraph"), null=True, blank=True)
    text = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=8, choices=CommentStatus.choices, default=CommentStatus.SHOWN, db_index=True
    )
    moderation_reason = models.TextField(_("reason for hiding"), blank=True)
    response = models.CharField(_("answer"), max_length=10, choices=Response.choices, blank=True)
    response_reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CommentStatus.values), name="comment_status_valid"),
            models.CheckConstraint(
                condition=Q(response__in=[*Response.values, ""]), name="comment_response_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=CommentStatus.HIDDEN) | ~Q(moderation_reason=""),
                name="comment_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(response="") | ~Q(response_reason=""), name="comment_response_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft_id}#{self.pk}"


class CommentSupport(models.Model):
    # CASCADE: a stance belongs to its comment.
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="stances")
    # CASCADE: and to its account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support or opposition")
        verbose_name_plural = _("support and opposition")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_support_unique"),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="comment_stance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}/{self.user_id}: {self.stance}"


class AgendaItem(models.Model):
    # CASCADE: agenda items belong to their session.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    # SET_NULL: the rapporteur's name text keeps the record.
    rapporteur = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rapporteur_name = models.CharField(_("rapporteur"), max_length=300, blank=True)
    # SET_NULL: a dissolved commission's items keep their record.
    commission = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("responsible standing commission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # SET_NULL: the draft may be withdrawn; the item stays.
    draft = models.ForeignKey(
        DraftDecision,
        verbose_name=_("draft decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices, default=ItemKind.GENERAL)
    materials_received_on = models.DateField(
        _("report and draft reached the commissions on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="agenda_item_order_unique"),
            models.CheckConstraint(
                condition=Q(outcome__in=ItemOutcome.values), name="agenda_item_outcome_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="agenda_item_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class Attendance(models.Model):
    # CASCADE: attendance belongs to its session.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    # PROTECT: a deputy's record is kept.
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="session_attendance"
    )
    present = models.BooleanField(_("present"))
    reason = models.CharField(_("reason for absence"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.person_id}: {self.present}"


class Vote(models.Model):
    """The vote on one agenda item. Its counts and result are computed by the services from the
    ballots and the rules, never typed."""

    # CASCADE: the vote belongs to its item.
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="vote")
    method = models.CharField(_("method"), max_length=10, choices=VoteMethod.choices)
    elected = models.PositiveSmallIntegerField(_("deputies elected"))
    present = models.PositiveSmallIntegerField(_("deputies present"))
    yes = models.PositiveSmallIntegerField(_("yes"), default=0)
    no = models.PositiveSmallIntegerField(_("no"), default=0)
    abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    absent = models.PositiveSmallIntegerField(_("absent"), default=0)
    quorum = models.BooleanField(_("quorum"))
    result = models.CharField(_("result"), max_length=10, choices=VoteResult.choices, blank=True)
    closed_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    entered_by_operator = models.BooleanField(_("entered by an operator"), default=True)
    # SET_NULL: history outlives accounts.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(condition=Q(method__in=VoteMethod.values), name="vote_method_valid"),
            models.CheckConstraint(
                condition=Q(result__in=[*VoteResult.values, ""]), name="vote_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(closed_at__isnull=False), name="vote_result_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.result or '…'}"


class PersonVote(models.Model):
    # CASCADE: the roll belongs to its vote.
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    # PROTECT: a deputy's votes are kept.
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="session_votes")
    option = models.CharField(_("vote"), max_length=8, choices=VoteOption.choices)

    class Meta:
        verbose_name = _("deputy's vote")
        verbose_name_plural = _("deputies' votes")
        constraints = [
            models.UniqueConstraint(fields=["vote", "person"], name="person_vote_unique"),
            models.CheckConstraint(
                condition=Q(option__in=VoteOption.values), name="person_vote_option_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.person_id}: {self.option}"


class DecisionCounter(models.Model):
    """The last sequence number of a body's decisions in a convocation (gapless: incremented in
    the transaction that inserts the decision)."""

    # CASCADE: the counter means nothing without its convocation.
    convocation = models.OneToOneField(Convocation, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("decision counter")
        verbose_name_plural = _("decision counters")

    def __str__(self) -> str:
        return f"{self.convocation_id}: {self.last_number}"


class Decision(TimeStampedModel):
    # PROTECT: the register is the body's record.
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("maslikhat"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # PROTECT: likewise its convocation and session.
    convocation = models.ForeignKey(Convocation, on_delete=models.PROTECT, related_name="decisions")
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="decisions"
    )
    # SET_NULL: the agenda item may be edited away; the decision stays.
    item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision"
    )
    seq = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("number"), max_length=40, db_index=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    adopted_on = models.DateField(_("adopted on"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DecisionStatus.choices,
        default=DecisionStatus.ADOPTED,
        db_index=True,
    )
    is_normative = models.BooleanField(_("normative legal act"), default=False)
    registration_number = models.CharField(_("justice registration number"), max_length=40, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    published_on = models.DateField(_("first published on"), null=True, blank=True)
    published_where = models.CharField(_("published in"), max_length=300, blank=True)
    in_force_rule = models.CharField(
        _("comes into force"), max_length=20, choices=InForceRule.choices, default=InForceRule.ON_ADOPTION
    )
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-adopted_on", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["convocation", "seq"], name="decision_seq_unique"),
            models.UniqueConstraint(fields=["body", "number"], name="decision_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="decision_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(in_force_rule__in=InForceRule.values), name="decision_in_force_rule_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.REGISTERED) | ~Q(registration_number=""),
                name="decision_registered_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"№{self.number} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")


class DecisionLink(models.Model):
    """`source` amends or repeals `target`; shown on both."""

    # CASCADE: a link is a fact about both decisions.
    source = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=8, choices=LinkKind.choices)

    class Meta:
        verbose_name = _("link between decisions")
        verbose_name_plural = _("links between decisions")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="decision_link_unique"),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values), name="decision_link_kind_valid"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="decision_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class DecisionEvent(LifecycleEvent):
    # CASCADE: events belong to their decision.
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("decision event")
        verbose_name_plural = _("decision events")
        ordering = ["created_at", "id"]


class CommissionMeeting(TimeStampedModel):
    """A meeting of a maslikhat's standing commission (a directory Organization), with its agenda,
    the session agenda items it prepares, the attendance of its members and its minutes. The
    quorum (more than half of the members by default) is computed by the services, never typed."""

    # PROTECT: a commission's meetings are its record.
    commission = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("standing commission"),
        on_delete=models.PROTECT,
        related_name="commission_meetings",
    )
    # PROTECT: the maslikhat is the commission's parent (kept here to list without a join).
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    items = models.ManyToManyField(
        AgendaItem,
        verbose_name=_("session agenda items prepared"),
        blank=True,
        related_name="commission_meetings",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        db_index=True,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    members = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    quorum = models.BooleanField(_("quorum"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision (iCalendar SEQUENCE)"), default=0)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="commission_meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.HELD)
                | (Q(members__isnull=False) & Q(present__isnull=False) & Q(quorum__isnull=False)),
                name="commission_meeting_held_has_quorum",
            ),
            models.CheckConstraint(
                condition=Q(present__isnull=True) | Q(present__lte=models.F("members")),
                name="commission_meeting_present_within_members",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="commission_meeting_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commission_id} {self.starts_at:%Y-%m-%d}"


class CommissionAttendance(models.Model):
    # CASCADE: attendance belongs to its meeting.
    meeting = models.ForeignKey(CommissionMeeting, on_delete=models.CASCADE, related_name="attendance")
    # PROTECT: a member's record is kept.
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"))
    reason = models.CharField(_("reason for absence"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("commission attendance")
        verbose_name_plural = _("commission attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="commission_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.person_id}: {self.present}"


class PublicHearing(TimeStampedModel):
    """A public hearing a maslikhat announces (topic, date, place, optionally the draft it is
    about); signed-in residents register to speak, once each, until it begins; afterwards the
    staff publish its record."""

    # PROTECT: a body's hearings are its record.
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    topic_kk = models.CharField(_("topic (Kazakh)"), max_length=500, blank=True)
    topic_ru = models.CharField(_("topic (Russian)"), max_length=500, blank=True)
    topic_en = models.CharField(_("topic (English)"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    place = models.CharField(_("place"), max_length=300)
    # SET_NULL: the draft may be withdrawn; the hearing stays.
    draft = models.ForeignKey(
        DraftDecision,
        verbose_name=_("draft decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearings",
    )
    capacity = models.PositiveSmallIntegerField(_("speakers at most"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HearingStatus.choices,
        default=HearingStatus.ANNOUNCED,
        db_index=True,
    )
    record = models.TextField(_("record of the hearing"), blank=True)
    record_published_at = models.DateTimeField(_("record published at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision (iCalendar SEQUENCE)"), default=0)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("public hearing")
        verbose_name_plural = _("public hearings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=HearingStatus.values), name="hearing_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=HearingStatus.HELD)
                | (~Q(record="") & Q(record_published_at__isnull=False)),
                name="hearing_held_has_record",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="hearing_capacity_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=HearingStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="hearing_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def topic(self) -> str:
        return localized(self, "topic")


class HearingRegistration(models.Model):
    # CASCADE: a registration belongs to its hearing.
    hearing = models.ForeignKey(PublicHearing, on_delete=models.CASCADE, related_name="registrations")
    # SET_NULL: a closed account's registration stays in the hearing's record under its shown name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shown_name = models.CharField(_("name shown"), max_length=200)
    subject = models.CharField(_("what you will speak about"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("registration to speak")
        verbose_name_plural = _("registrations to speak")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "user"], name="hearing_registration_unique"),
            models.CheckConstraint(condition=~Q(shown_name=""), name="hearing_registration_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.hearing_id}: {self.shown_name}"
