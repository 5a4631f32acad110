"""What the appeals add to the follows' digests (see maslikhat.core.digests): public answered
appeals published in the period (staff approved the redacted texts; `selectors.public_appeals`
is the one public reader), to the bodies an area or body follow covers, or to the followed
deputy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.digests import AREA, BODY, DEPUTY, DigestScope, DigestSource, counted

from . import selectors


def read(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if scope.kind == DEPUTY:
        appeals = selectors.public_appeals(
            deputy_id=scope.deputy_id or -1, published_after=since, published_until=until
        )
    elif scope.body_ids:
        appeals = selectors.public_appeals(
            body_ids=list(scope.body_ids), published_after=since, published_until=until
        )
    else:
        return 0, []
    return counted(appeals)


SOURCES = (
    DigestSource(
        name="appeals.published",
        label=_("Answered public appeals"),
        kinds=frozenset({AREA, BODY, DEPUTY}),
        read=read,
        template="appeals/digest/items.txt",
        order=30,
    ),
)
