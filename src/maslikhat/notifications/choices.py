from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowKind(models.TextChoices):
    AREA = "area", _("area")
    BODY = "body", _("body")
    TAG = "tag", _("topic")
    DEPUTY = "deputy", _("deputy")


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


# The foreign key that holds the target of each kind of follow.
TARGET_FIELD = {
    FollowKind.AREA: "area",
    FollowKind.BODY: "body",
    FollowKind.TAG: "tag",
    FollowKind.DEPUTY: "deputy",
}
