"""Base models, accounts, the audit log and the working-day override table."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class LifecycleEvent(models.Model):
    """Base of the tables that record the steps of an object's life (one row per step, never
    changed): appeals' `AppealEvent`, and the same columns as the council's `ProposalEvent` and
    news' `PublicationEvent`. A subclass adds the foreign key to its object (CASCADE, with
    `related_name="events"`), its `kind` (a CharField with its own TextChoices and a
    CheckConstraint) and its Meta (verbose names, constraints; ordering oldest first). A
    subclass may redeclare `from_status`/`to_status` when its statuses are longer."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    # SET_NULL: history outlives accounts.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class ShownLifecycleEvent(LifecycleEvent):
    """A LifecycleEvent that may be shown outside the back office (`public`: to the citizen, to
    the public record) and carries a text (a reason, a note)."""

    public = models.BooleanField(default=True)
    text = models.TextField(blank=True)

    class Meta(LifecycleEvent.Meta):
        abstract = True


class User(AbstractUser):
    """An account. Roles are not stored here: they come from directory memberships."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="kk"
    )
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")


class ActionLog(models.Model):
    """Who did what to which object, when; written by every write service."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # SET_NULL: the log outlives the account that acted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.CharField(_("event"), max_length=64, db_index=True)
    # PROTECT: a content type is never deleted while log rows point at it.
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "internal"]), name="actionlog_visibility_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.target_repr}"


class CalendarOverride(TimeStampedModel):
    """An operator's correction to the holiday calendar for one date."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off (not a working day)")
        WORKING_DAY = "working_day", _("working day (e.g. a working Saturday)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["day_off", "working_day"]), name="calendaroverride_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class ApiToken(models.Model):
    """A bearer token for the staff API. Only a hash is stored; the token is shown once.

    A token is valid while it is neither expired nor revoked, its account is active, and the
    account's password is the one it was issued under (`auth_hash`, as Django does for sessions).
    """

    # CASCADE: a token is worthless without its account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=32, blank=True)
    # The session the token was requested from (when the request carried the same account's
    # session): logging out of that session revokes it.
    session_key = models.CharField(_("session"), max_length=40, blank=True, db_index=True)
    # The account's session auth hash (an HMAC of the password hash) when issued: a password
    # changed by any path invalidates the token.
    auth_hash = models.CharField(max_length=128, blank=True)
    with_second_factor = models.BooleanField(_("issued with a second factor"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token of {self.user_id}"
