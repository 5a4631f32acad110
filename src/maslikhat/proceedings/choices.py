"""Statuses, kinds and their transition maps for sessions, votes, decisions and drafts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("regular session")
    EXTRAORDINARY = "extraordinary", _("extraordinary session")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONVENED = "convened", _("convened")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


S = SessionStatus
SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED: frozenset({S.CONVENED, S.CANCELLED}),
    S.CONVENED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Sessions the public sees (a planned one has no notice yet).
PUBLIC_SESSION_STATUSES = (S.CONVENED, S.IN_PROGRESS, S.CLOSED, S.CANCELLED)


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("not yet decided")
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("rejected")
    NOTED = "noted", _("taken note of")
    WITHDRAWN = "withdrawn", _("withdrawn")
    POSTPONED = "postponed", _("postponed")


class VoteMethod(models.TextChoices):
    OPEN = "open", _("open vote")
    ROLL_CALL = "roll_call", _("roll-call vote")
    SECRET = "secret", _("secret ballot")


class VoteOption(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstain")
    ABSENT = "absent", _("absent")


class VoteResult(models.TextChoices):
    PASSED = "passed", _("adopted")
    FAILED = "failed", _("not adopted")
    NO_QUORUM = "no_quorum", _("no quorum")


class MajorityBasis(models.TextChoices):
    ELECTED = "elected", _("a majority of the elected deputies")
    PRESENT = "present", _("a majority of the deputies present")


class DecisionStatus(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    REGISTERED = "registered", _("registered with the justice bodies")
    PUBLISHED = "published", _("published")
    IN_FORCE = "in_force", _("in force")
    AMENDED = "amended", _("amended")
    REPEALED = "repealed", _("repealed")


D = DecisionStatus
DECISION_TRANSITIONS: dict[str, frozenset[str]] = {
    D.ADOPTED: frozenset({D.REGISTERED, D.PUBLISHED, D.REPEALED}),
    D.REGISTERED: frozenset({D.PUBLISHED, D.REPEALED}),
    D.PUBLISHED: frozenset({D.IN_FORCE, D.REPEALED}),
    D.IN_FORCE: frozenset({D.AMENDED, D.REPEALED}),
    D.AMENDED: frozenset({D.AMENDED, D.REPEALED}),
    D.REPEALED: frozenset(),
}


class InForceRule(models.TextChoices):
    ON_ADOPTION = "on_adoption", _("on adoption")
    ON_DATE = "on_date", _("on a given date")
    AFTER_PUBLICATION = "after_publication", _("10 calendar days after first publication")


class LinkKind(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPEALS = "repeals", _("repeals")


class DraftStatus(models.TextChoices):
    PREPARING = "preparing", _("being prepared")
    OPEN = "open", _("open for comment")
    CLOSED = "closed", _("comment period over")
    REPORTED = "reported", _("results report published")


DS = DraftStatus
DRAFT_TRANSITIONS: dict[str, frozenset[str]] = {
    DS.PREPARING: frozenset({DS.OPEN}),
    DS.OPEN: frozenset({DS.CLOSED}),
    DS.CLOSED: frozenset({DS.REPORTED}),
    DS.REPORTED: frozenset(),
}
PUBLIC_DRAFT_STATUSES = (DS.OPEN, DS.CLOSED, DS.REPORTED)


class CommentStatus(models.TextChoices):
    SHOWN = "shown", _("shown")
    HIDDEN = "hidden", _("hidden by a moderator")


class Stance(models.TextChoices):
    SUPPORT = "support", _("support")
    OPPOSE = "oppose", _("oppose")


class Response(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY = "partly", _("partly accepted")
    REJECTED = "rejected", _("rejected")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


class HearingStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    HELD = "held", _("record published")
    CANCELLED = "cancelled", _("cancelled")


class ItemKind(models.TextChoices):
    GENERAL = "general", _("other question")
    AKIM_REPORT = "akim_report", _("the akim's report on the plan, programme or budget")
    BUDGET = "budget", _("budget")


# Items whose report and draft reach the commissions ahead of the session (a warning when late).
REPORT_KINDS = (ItemKind.AKIM_REPORT, ItemKind.BUDGET)
