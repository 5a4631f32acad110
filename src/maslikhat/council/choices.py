"""Kinds and statuses of the national council's work, and the allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("regular meeting")
    EXTENDED = "extended", _("extended meeting")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.DRAFT: frozenset({MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED}),
    MeetingStatus.PUBLISHED: frozenset({MeetingStatus.CANCELLED}),
    MeetingStatus.CANCELLED: frozenset(),
}


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("chairs the meeting")
    MEMBER = "member", _("council member")
    MASLIKHAT_CHAIR = "maslikhat_chair", _("head of a regional maslikhat, invited")
    INVITED = "invited", _("invited")


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("agenda")
    MINUTES = "minutes", _("minutes")
    REPORT = "report", _("report")
    OTHER = "other", _("other document")


class PolicyArea(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("local self-government")
    BUDGET = "budget", _("budget and finance")
    LAND = "land", _("land and agriculture")
    HOUSING = "housing", _("housing and utilities")
    SOCIAL = "social", _("social protection, health and education")
    INFRASTRUCTURE = "infrastructure", _("roads, transport and infrastructure")
    ENVIRONMENT = "environment", _("environment")
    ELECTIONS = "elections", _("elections and maslikhat status")
    OTHER = "other", _("other")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    ON_AGENDA = "on_agenda", _("on a meeting's agenda")
    INCLUDED = "included", _("included in the council's recommendations")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    SENT_ON = "sent_on", _("sent on")
    IMPLEMENTED = "implemented", _("implemented")
    PARTLY_IMPLEMENTED = "partly_implemented", _("partly implemented")
    NOT_IMPLEMENTED = "not_implemented", _("not implemented")


P = ProposalStatus
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    P.SUBMITTED: frozenset({P.UNDER_REVIEW, P.DECLINED, P.WITHDRAWN}),
    P.UNDER_REVIEW: frozenset({P.ON_AGENDA, P.INCLUDED, P.DECLINED, P.WITHDRAWN}),
    # back to review when taken off the agenda (the meeting is cancelled)
    P.ON_AGENDA: frozenset({P.UNDER_REVIEW, P.INCLUDED, P.DECLINED}),
    P.INCLUDED: frozenset({P.SENT_ON}),
    P.SENT_ON: frozenset({P.IMPLEMENTED, P.PARTLY_IMPLEMENTED, P.NOT_IMPLEMENTED}),
    P.DECLINED: frozenset(),
    P.WITHDRAWN: frozenset(),
    P.IMPLEMENTED: frozenset(),
    P.PARTLY_IMPLEMENTED: frozenset(),
    P.NOT_IMPLEMENTED: frozenset(),
}
OUTCOME_STATUSES = (P.IMPLEMENTED, P.PARTLY_IMPLEMENTED, P.NOT_IMPLEMENTED)
# Proposals the council has accepted (included in recommendations and beyond).
ACCEPTED_STATUSES = (P.INCLUDED, P.SENT_ON, *OUTCOME_STATUSES)
# Proposals still waiting for the council's decision; other maslikhats may co-sign them.
PENDING_STATUSES = (P.SUBMITTED, P.UNDER_REVIEW, P.ON_AGENDA)
# Proposals a recommendation may include (read from the transition map).
INCLUDABLE_STATUSES = tuple(s for s in P if P.INCLUDED in PROPOSAL_TRANSITIONS[s])


class SentTo(models.TextChoices):
    GOVERNMENT = "government", _("the Government")
    PARLIAMENT = "parliament", _("Parliament")


class ProposalEventKind(models.TextChoices):
    STATUS = "status", _("status change")
    BACKED = "backed", _("co-signed by a maslikhat")
    NOTE = "note", _("internal note")
    DOCUMENT = "document", _("document added")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("not yet reported")
    FILED = "filed", _("report filed")
