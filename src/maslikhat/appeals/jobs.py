"""The appeals' background jobs (`JOBS`, registered by AppealsConfig.ready): the emails of
`emails.py` and the daily reminders. Idempotent: running them twice sends nothing twice.

Each reminder is recorded as an internal AppealEvent (kind "reminder") keyed by its type and the
due date it was about, so a re-run, or a run on two workers, finds it and skips.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from maslikhat.core.calendar import add_working_days
from maslikhat.core.emails import render_subject, render_text
from maslikhat.directory.choices import OrganizationKind, PostRole
from maslikhat.directory.models import Membership

from . import emails
from .choices import OPEN_STATUSES, REMIND_WHEN_WORKING_DAYS_LEFT, EventKind
from .followup import send_followups
from .models import Appeal, AppealEvent
from .rollups import overdue_pass

logger = logging.getLogger(__name__)


def _already(appeal: Appeal, kind: str) -> bool:
    return AppealEvent.objects.filter(
        appeal=appeal, kind=EventKind.REMINDER, data__type=kind, data__due_on=appeal.due_on.isoformat()
    ).exists()


def _staff_users(body_id: int) -> list[Any]:
    user_ids = (
        Membership.objects.current()
        .filter(
            role=PostRole.STAFF,
            organization__kind=OrganizationKind.APPARATUS,
            organization__parent_id=body_id,
            person__user__isnull=False,
        )
        .values_list("person__user_id", flat=True)
    )
    return list(get_user_model().objects.filter(id__in=list(user_ids), is_active=True))


def _chair_users(body_id: int) -> list[Any]:
    user_ids = (
        Membership.objects.current()
        .filter(
            role__in=[PostRole.CHAIR, PostRole.SECRETARY], organization_id=body_id, person__user__isnull=False
        )
        .values_list("person__user_id", flat=True)
    )
    return list(get_user_model().objects.filter(id__in=list(user_ids), is_active=True))


def _remind(appeal: Appeal, kind: str, recipients: list[Any]) -> bool:
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if _already(locked, kind):
            return False
        AppealEvent.objects.create(
            appeal=locked,
            kind=EventKind.REMINDER,
            public=False,
            data={"type": kind, "due_on": locked.due_on.isoformat(), "to": [u.pk for u in recipients]},
        )
    for user in recipients:
        if not user.email:
            continue
        with translation.override(user.preferred_language or "kk"):
            ctx = {"appeal": appeal, "kind": kind}
            subject = render_subject("appeals/email/reminder_subject.txt", ctx)
            body = render_text("appeals/email/reminder.txt", ctx)
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:  # the event row stays; a mail outage is logged, not fatal
            logger.exception("reminder %s for appeal id=%s not sent", kind, appeal.pk)
    return True


def send_due_reminders(today: date | None = None) -> dict[str, int]:
    """Remind assignees 3 working days before the due date, and chairs once an appeal is overdue."""
    day = today or timezone.localdate()
    soon = add_working_days(day, REMIND_WHEN_WORKING_DAYS_LEFT)
    sent = {"due_soon": 0, "overdue": 0}
    open_appeals = Appeal.objects.filter(status__in=OPEN_STATUSES).select_related("body", "assignee")
    for appeal in open_appeals.filter(due_on=soon):
        recipients = [appeal.assignee] if appeal.assignee else _staff_users(appeal.body_id)
        try:
            sent["due_soon"] += _remind(appeal, "due_soon", recipients)
        except IntegrityError:
            logger.warning("reminder race on appeal id=%s", appeal.pk)
    for appeal in open_appeals.filter(due_on__lt=day):
        sent["overdue"] += _remind(appeal, "overdue", _chair_users(appeal.body_id))
    return sent


def overdue_daily(today: date | None = None) -> int:
    """The "overdue now" daily pass, moving every body's maintained count to today (idempotent;
    the scorecard's periodic refresh runs it too)."""
    return overdue_pass(today or timezone.localdate())


JOBS: dict[str, Callable[..., Any]] = {
    "appeals.registered": emails.send_registered,
    "appeals.status": emails.send_status,
    "appeals.forwarded": emails.send_forwarded,
    "appeals.links": emails.send_links,  # tracking links emailed again (appeals/links.py)
    "appeals.reminders": send_due_reminders,
    "appeals.followups": send_followups,  # the follow-up question, daily and idempotent
    "appeals.overdue": overdue_daily,
}

# refdata wires its invalidation signals on import (the in-process reference data).
from . import refdata as _refdata  # noqa: E402,F401
