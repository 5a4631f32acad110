"""Production refuses to run with synthetic data or accounts whose password is public."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)


def demo_problems() -> list[str]:
    """What makes this database unfit for production (empty when it is fit)."""
    from django.contrib.auth import get_user_model

    from maslikhat.appeals.models import Appeal
    from maslikhat.demo.accounts import DEMO_PASSWORD
    from maslikhat.directory.models import Area, Organization, Person

    problems = []
    if (
        Organization.objects.filter(is_demo=True).exists()
        or Person.objects.filter(is_demo=True).exists()
        or Area.objects.filter(is_demo=True).exists()
        or Appeal.objects.filter(is_demo=True).exists()
    ):
        problems.append(
            "synthetic demo data is present (run `maslikhat demo-data --reset` on a copy, not here)"
        )
    users = get_user_model().objects.filter(is_active=True)
    if users.filter(is_demo=True).exists():
        problems.append("demo accounts are present")
    elif any(u.check_password(DEMO_PASSWORD) for u in users.filter(is_staff=True)[:500]):
        problems.append("a staff account uses the public demo password")
    return problems


def guard() -> None:
    """Called when a production process starts (WSGI, `maslikhat serve`)."""
    if not settings.PRODUCTION:
        return
    try:
        problems = demo_problems()
    except DatabaseError:
        logger.warning("startup check skipped: the database is not reachable yet")
        return
    if problems:
        raise ImproperlyConfigured("Production mode refuses to start: " + "; ".join(problems))
