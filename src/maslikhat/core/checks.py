"""System checks of the production deployment (`maslikhat check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db.utils import DatabaseError


@register(Tags.security, deploy=True)
def no_demo_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    from .startup import startup_problems

    try:
        problems = startup_problems()
    except DatabaseError:
        return []
    return [Error(p, id="maslikhat.E001") for p in problems]
