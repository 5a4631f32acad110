"""Production refuses to run on a database unfit for it (synthetic data, accounts whose password
is public).

Core knows no app above it: the apps that can make a database unfit register a check here
(`register_startup_check`, from their AppConfig.ready); the demo app registers the one for its
synthetic data and accounts (`maslikhat.demo.guard`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

StartupCheck = Callable[[], list[str]]
_CHECKS: list[StartupCheck] = []


def register_startup_check(check: StartupCheck) -> None:
    """Add a check returning what makes the database unfit for production (idempotent)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def startup_problems() -> list[str]:
    """What makes this database unfit for production (empty when it is fit)."""
    return [problem for check in _CHECKS for problem in check()]


def guard() -> None:
    """Called when a production process starts (WSGI, `maslikhat serve`)."""
    if not settings.PRODUCTION:
        return
    try:
        problems = startup_problems()
    except DatabaseError:
        logger.warning("startup check skipped: the database is not reachable yet")
        return
    if problems:
        raise ImproperlyConfigured("Production mode refuses to start: " + "; ".join(problems))
