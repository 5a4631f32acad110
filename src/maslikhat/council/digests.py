"""What the national council adds to the follows' digests (see maslikhat.core.digests): its
recommendations adopted at a meeting published in the period (counted from the meeting's
publication) and addressed to a body the follow covers (a report is due from it); for area and
body follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.digests import AREA, BODY, DigestScope, DigestSource, counted

from .models import Recommendation


def read(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    decisions = (
        Recommendation.objects.filter(
            meeting__status="published",
            meeting__published_at__gt=since,
            meeting__published_at__lte=until,
            reports__body_id__in=scope.body_ids,
        )
        .select_related("meeting", "council")
        .distinct()
        .order_by("-adopted_on", "number")
    )
    return counted(decisions)


SOURCES = (
    DigestSource(
        name="council.recommendations",
        label=_("Recommendations of the national council"),
        kinds=frozenset({AREA, BODY}),
        read=read,
        template="council/digest/items.txt",
        order=20,
    ),
)
