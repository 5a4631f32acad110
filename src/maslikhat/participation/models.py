"""Models of the participation app: residency, initiatives, participatory budgets, implementation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    ImplementationStatus,
    InitiativeCategory,
    InitiativeStatus,
    Phase,
    ProjectStatus,
    TallyMethod,
    VerificationMethod,
)

# ------------------------------------------------------------------ residency


class ResidentRecord(models.Model):
    """One line of an operator-imported residents list: only the keyed hash of the IIN."""

    iin_hash = models.CharField(_("IIN (keyed hash)"), max_length=64)
    kato_code = models.CharField(_("settlement KATO code"), max_length=9)
    source = models.CharField(_("source"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["iin_hash", "kato_code"], name="resident_record_unique")
        ]

    def __str__(self) -> str:
        return f"resident record {self.pk}"


class SmsMessage(models.Model):
    """The console/outbox SMS backend's store (the demo and tests read it)."""

    phone = models.CharField(_("phone (E.164)"), max_length=20, db_index=True)
    text = models.CharField(_("text"), max_length=480)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"SMS {self.pk}"


class PhoneCode(models.Model):
    """A one-time code sent to a phone; only its hash is kept."""

    # a user's codes go with the account (CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # the area claimed goes with its codes (CASCADE)
    area = models.ForeignKey("directory.Area", on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"phone code {self.pk}"


class Verification(models.Model):
    """ "Resident of area X" granted by one method, from a date until an expiry."""

    # a verification is the account's (CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residencies")
    # an area is never deleted while verifications point at it (PROTECT)
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=16, choices=VerificationMethod.choices)
    verified_at = models.DateTimeField(_("verified at"))
    expires_at = models.DateTimeField(_("expires at"))
    # staff who verified in person; kept when their account goes (SET_NULL)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document_note = models.CharField(_("document seen"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("ended at (moved)"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "area"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=VerificationMethod.values), name="verification_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("verified_at")), name="verification_expires_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.area_id} ({self.method})"


# ------------------------------------------------------------------ initiatives


class Initiative(models.Model):
    # the maslikhat it is addressed to stays while it has initiatives (PROTECT)
    body = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    # the settlement, district or city it is for (PROTECT)
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    # an optional settlement inside the area (PROTECT)
    place_area = models.ForeignKey(
        "directory.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # the author's account may go; the initiative stays (SET_NULL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    co_authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=10000)
    category = models.CharField(_("category"), max_length=16, choices=InitiativeCategory.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.SUBMITTED
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    threshold = models.PositiveIntegerField(_("supports needed"), null=True, blank=True)
    support_from = models.DateField(null=True, blank=True)
    support_until = models.DateField(null=True, blank=True)
    online_supports = models.PositiveIntegerField(default=0)
    paper_supports = models.PositiveIntegerField(default=0)
    reached_on = models.DateField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    # the first day the answer was late, recorded by the daily job (kept after a late answer)
    overdue_since = models.DateField(_("answer overdue since"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    plan_reference = models.CharField(
        _("agenda item or plan that carries it out"), max_length=300, blank=True
    )
    # the session's agenda item that carries it out; plan_reference stays for plans outside
    # sessions. SET_NULL: an agenda item removed from a session leaves the answer standing.
    agenda_item = models.ForeignKey(
        "proceedings.AgendaItem",
        verbose_name=_("session agenda item that carries it out"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[InitiativeStatus.REFUSED, InitiativeStatus.REJECTED, InitiativeStatus.PARTLY]
                )
                | ~Q(moderation_reason="", answer_text=""),
                name="initiative_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def supports(self) -> int:
        return self.online_supports + self.paper_supports


class InitiativePhoto(models.Model):
    # photos go with their initiative (CASCADE)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="participation/initiatives/")
    name = models.CharField(max_length=160)

    def __str__(self) -> str:
        return self.name


class Support(models.Model):
    # supports go with their initiative (CASCADE)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="support_rows")
    # a support is the account's (CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="support_once")]

    def __str__(self) -> str:
        return f"support {self.initiative_id}/{self.user_id}"


class PaperSignatures(models.Model):
    """A batch of paper signatures entered by staff; each batch is kept (the audit)."""

    # batches go with their initiative (CASCADE)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="paper_batches")
    count = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    # who entered them; the record stays (SET_NULL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.count} paper signatures"


# ------------------------------------------------------------------ participatory budgets


class BudgetProcess(models.Model):
    # the maslikhat whose staff run it (PROTECT)
    body = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    # the city or district whose residents vote (PROTECT)
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    total_amount = models.PositiveBigIntegerField(_("total amount, tenge"))
    cost_limit = models.PositiveBigIntegerField(_("project cost limit, tenge"))
    max_votes = models.PositiveSmallIntegerField(_("projects per voter"), default=3)
    method = models.CharField(max_length=16, choices=TallyMethod.choices, default=TallyMethod.GREEDY)
    min_share_pct = models.DecimalField(
        _("minimum share of the local budget, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    local_budget = models.PositiveBigIntegerField(_("local budget, tenge"), null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)
    applications_from = models.DateField()
    applications_until = models.DateField()
    review_until = models.DateField()
    revision_until = models.DateField()
    second_review_until = models.DateField()
    voting_from = models.DateField()
    voting_until = models.DateField()
    tally_until = models.DateField()
    tallied_at = models.DateTimeField(null=True, blank=True)
    # the phase as the daily job last moved it (phase_of() is the rule; this is its record)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.UPCOMING)
    voters = models.PositiveIntegerField(default=0)
    adult_population = models.PositiveIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        ordering = ["-voting_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=TallyMethod.values), name="process_method_valid"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="process_phase_valid"),
            models.CheckConstraint(
                condition=Q(applications_from__lte=models.F("applications_until"))
                & Q(applications_until__lte=models.F("review_until"))
                & Q(review_until__lte=models.F("revision_until"))
                & Q(revision_until__lte=models.F("second_review_until"))
                & Q(second_review_until__lt=models.F("voting_from"))
                & Q(voting_from__lte=models.F("voting_until"))
                & Q(voting_until__lte=models.F("tally_until")),
                name="process_phases_in_order",
            ),
            models.CheckConstraint(condition=Q(max_votes__gte=1), name="process_max_votes_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    # projects go with their process (CASCADE)
    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="projects")
    # the author may go; the project stays (SET_NULL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    object_ref = models.CharField(_("object (address)"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("description"), max_length=10000)
    category = models.CharField(max_length=40, blank=True)
    cost = models.PositiveBigIntegerField(_("cost, tenge"))
    # where the object is (optional; a point inside the process's area): drawn on the area's map
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED)
    review_feasible = models.BooleanField(null=True)
    review_legal = models.BooleanField(null=True)
    review_estimate = models.PositiveBigIntegerField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    votes = models.PositiveIntegerField(default=0)
    is_winner = models.BooleanField(default=False)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.UniqueConstraint(
                fields=["process", "author", "object_ref"], name="project_one_per_author_and_object"
            ),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.REJECTED) | ~Q(review_reason=""),
                name="project_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def price(self) -> int:
        return self.review_estimate or self.cost


class Ballot(models.Model):
    # ballots go with their process (CASCADE)
    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="ballots")
    # an online ballot is its voter's (CASCADE); paper ballots have none
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    paper = models.BooleanField(default=False)
    # staff who entered a paper ballot (SET_NULL keeps the ballot)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    projects = models.ManyToManyField(Project, related_name="ballots")
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user"], condition=Q(user__isnull=False), name="ballot_one_per_voter"
            ),
            models.CheckConstraint(
                condition=Q(paper=True, user__isnull=True) | Q(paper=False, user__isnull=False),
                name="ballot_paper_or_voter",
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


# ------------------------------------------------------------------ implementation


class Implementation(models.Model):
    # one record per accepted initiative or winning project (CASCADE with it)
    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="implementation"
    )
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="implementation"
    )
    # the responsible body (PROTECT)
    responsible = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=ImplementationStatus.choices, default=ImplementationStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    spent = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImplementationStatus.values), name="implementation_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="implementation_progress_pct"),
            models.CheckConstraint(
                condition=Q(initiative__isnull=True, project__isnull=False)
                | Q(initiative__isnull=False, project__isnull=True),
                name="implementation_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        target = self.initiative or self.project
        return str(target)


class ImplementationUpdate(models.Model):
    # updates go with their record (CASCADE)
    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    text = models.TextField(max_length=5000)
    progress = models.PositiveSmallIntegerField()
    spent = models.PositiveBigIntegerField()
    photo = models.FileField(upload_to="participation/implementation/", blank=True)
    # who wrote it (SET_NULL keeps the update)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.progress}%"
