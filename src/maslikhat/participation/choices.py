"""Methods, statuses and phases of participation, and the allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("in person, identity document seen by staff")
    RESIDENTS_LIST = "residents_list", _("matched against the residents list")
    SMS_CODE = "sms_code", _("one-time code to a phone number")


ALL_METHODS = frozenset(VerificationMethod.values)


class InitiativeCategory(models.TextChoices):
    ROADS = "roads", _("roads and transport")
    YARDS = "yards", _("yards, parks and playgrounds")
    UTILITIES = "utilities", _("water, heating and lighting")
    SOCIAL = "social", _("schools, health and social services")
    ENVIRONMENT = "environment", _("environment and cleanliness")
    OTHER = "other", _("other")


class InitiativeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting moderation")
    REFUSED = "refused", _("refused at moderation")
    COLLECTING = "collecting", _("collecting support")
    NOT_REACHED = "not_reached", _("threshold not reached")
    REACHED = "reached", _("threshold reached, awaiting the answer")
    ACCEPTED = "accepted", _("accepted")
    PARTLY = "partly", _("partly accepted")
    REJECTED = "rejected", _("rejected")


S = InitiativeStatus
INITIATIVE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.COLLECTING, S.REFUSED}),
    S.REFUSED: frozenset(),
    S.COLLECTING: frozenset({S.REACHED, S.NOT_REACHED}),
    S.NOT_REACHED: frozenset(),
    S.REACHED: frozenset({S.ACCEPTED, S.PARTLY, S.REJECTED}),
    S.ACCEPTED: frozenset(),
    S.PARTLY: frozenset(),
    S.REJECTED: frozenset(),
}
ANSWER_STATUSES = (S.ACCEPTED, S.PARTLY, S.REJECTED)
PUBLIC_STATUSES = tuple(s for s in InitiativeStatus.values if s != S.SUBMITTED)


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("not started")
    APPLICATIONS = "applications", _("applications")
    REVIEW = "review", _("expert review")
    REVISION = "revision", _("revision by authors")
    SECOND_REVIEW = "second_review", _("second review")
    VOTING = "voting", _("voting")
    TALLY = "tally", _("tally")
    FINISHED = "finished", _("finished")


class TallyMethod(models.TextChoices):
    GREEDY = "greedy", _("approval within the budget (greedy by votes)")
    EQUAL_SHARES = "equal_shares", _("method of equal shares")


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    FEASIBLE = "feasible", _("admitted to the vote")
    REJECTED = "rejected", _("not admitted")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    STOPPED = "stopped", _("stopped")
