"""The one way services write to the ActionLog.

`event` is a member of the writing app's event enum (`appeals.events.AppealLogEvent`, ...), a
`StrEnum` whose value `<app>.<what>` is what the row stores."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .actors import user_or_none
from .models import ActionLog, Visibility


def log_action(
    *,
    actor: Any,
    event: str,
    target: models.Model | None = None,
    visibility: str = Visibility.INTERNAL,
    data: dict[str, Any] | None = None,
) -> ActionLog:
    """Write one ActionLog row. `actor` is a user or None (a system job)."""
    return ActionLog.objects.create(
        actor=user_or_none(actor),
        event=str(event),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        visibility=visibility,
        data=data or {},
    )
