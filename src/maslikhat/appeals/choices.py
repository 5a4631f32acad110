"""Appeal kinds, statuses and the allowed transitions (Administrative Procedural and Process Code)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealKind(models.TextChoices):
    APPLICATION = "application", _("application")
    COMPLAINT = "complaint", _("complaint")
    PROPOSAL = "proposal", _("proposal")
    FEEDBACK = "feedback", _("feedback")
    REPORT = "report", _("report")
    REQUEST = "request", _("request for information")


class AppealStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    REGISTERED = "registered", _("registered")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    FORWARDED = "forwarded", _("forwarded to another body")
    NOT_CONSIDERED = "not_considered", _("not considered")
    WITHDRAWN = "withdrawn", _("withdrawn")


S = AppealStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.REGISTERED}),
    S.REGISTERED: frozenset(
        {S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.FORWARDED, S.NOT_CONSIDERED, S.WITHDRAWN}
    ),
    S.ASSIGNED: frozenset(
        {S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.FORWARDED, S.NOT_CONSIDERED, S.WITHDRAWN}
    ),
    S.IN_PROGRESS: frozenset({S.ASSIGNED, S.ANSWERED, S.FORWARDED, S.NOT_CONSIDERED, S.WITHDRAWN}),
    S.ANSWERED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.FORWARDED: frozenset(),
    S.NOT_CONSIDERED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Statuses in which the body still owes the citizen a decision.
OPEN_STATUSES = (S.RECEIVED, S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS)
# Statuses that end the body's consideration (an answer counts for the figures).
DECIDED_STATUSES = (S.ANSWERED, S.CLOSED)


class EventKind(models.TextChoices):
    STATUS = "status", _("status change")
    EXTENDED = "extended", _("deadline extended")
    NOTE = "note", _("internal note")
    RATED = "rated", _("answer rated")
    COMPLAINT_FILED = "complaint_filed", _("complaint filed")
    REMINDER = "reminder", _("reminder sent")
    PUBLISHED = "published", _("made public")


# Statutory figures (art. 76, 92); UNVERIFIED values are settings in DOMAIN.md's sense.
ANSWER_WORKING_DAYS = 15
FORWARD_WITHIN_WORKING_DAYS = 3
EXTENSION_MAX_MONTHS = 2
COMPLAINT_WITHIN_MONTHS = 3
REMIND_WHEN_WORKING_DAYS_LEFT = 3
