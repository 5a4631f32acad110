"""Publication statuses, the allowed transitions and the kinds of publication events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


S = PublicationStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset({S.WITHDRAWN}),
    # A withdrawn publication may be corrected and published again.
    S.WITHDRAWN: frozenset({S.PUBLISHED}),
}
# Statuses in which the text may still be edited.
EDITABLE_STATUSES = (S.DRAFT, S.WITHDRAWN, S.PUBLISHED)


class PublicationEventKind(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("edited")
    STATUS = "status", _("status change")
