"""The follow-up question (as WriteToThem asks it): two weeks after the answer, or two weeks
after the due date when no answer came, the citizen is asked whether they got a satisfying
reply (yes / partly / no / no reply at all).

- `followup_asked_on(appeal)`: the day the question opens (None: never asked, e.g. withdrawn).
- `can_answer_followup(appeal)`: the question is open and not answered yet (the tracking page
  shows the form exactly when `followup_answer` would accept it).
- `send_followups(today)`: the daily job (`appeals.followups`, `CELERY_BEAT_SCHEDULE`). It emails
  the question once per appeal, with a link whose key opens the question only; idempotent: the
  row's `emailed_at` is set under the appeal's row lock before the email goes, so a re-run or a
  second worker skips it. Only questions opened in the last `WINDOW_DAYS` are emailed (starting
  the job on old data does not write to citizens about appeals of years ago).
- `followup_answer(...)`: the citizen's answer, once; the scorecard figure
  `appeals_followup_satisfied_pct` (appeals/figures.py) counts the answers.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.audit import log_action
from maslikhat.core.errors import ErrorCode, FieldErrors, NotAllowed

from . import emails
from .choices import OPEN_STATUSES, AppealStatus
from .error_codes import AppealErrorCode as Code
from .models import Appeal, AppealFollowup, FollowupAnswer

AFTER_DAYS = 14
WINDOW_DAYS = 30
ANSWERED_STATUSES = (AppealStatus.ANSWERED, AppealStatus.CLOSED)


class FollowupLogEvent(StrEnum):
    """ActionLog event types of the follow-up question (never rename a value)."""

    ASKED = "appeals.followup_asked"
    ANSWERED = "appeals.followup_answered"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def followup_asked_on(appeal: Appeal) -> date | None:
    """Two weeks after the answer; for an appeal still awaiting it, two weeks after the due date;
    None for one that ended otherwise (withdrawn, forwarded, not considered)."""
    if appeal.status in ANSWERED_STATUSES and appeal.answered_on is not None:
        return appeal.answered_on + timedelta(days=AFTER_DAYS)
    if appeal.status in OPEN_STATUSES:
        return appeal.due_on + timedelta(days=AFTER_DAYS)
    return None


def _existing(appeal: Appeal) -> AppealFollowup | None:
    try:
        return appeal.followup
    except AppealFollowup.DoesNotExist:
        return None


def can_answer_followup(appeal: Appeal, today: date | None = None) -> bool:
    opens = followup_asked_on(appeal)
    if opens is None or (today or timezone.localdate()) < opens:
        return False
    found = _existing(appeal)
    return found is None or not found.answer


def answer_of(appeal: Appeal) -> str:
    """The label of the citizen's answer, or "" when none was given."""
    found = _existing(appeal)
    return str(FollowupAnswer(found.answer).label) if found is not None and found.answer else ""


def appeal_for_followup(*, number: str, token: str) -> Appeal | None:
    """The appeal of a number with its tracking token or the key of its emailed question."""
    from .access import tracking_q

    opens = tracking_q(token)
    if opens is None:
        return None
    return (
        Appeal.objects.select_related("body", "topic", "followup")
        .filter(registration_number=number)
        .filter(opens | Q(followup__token_hash=_hash(token)))
        .first()
    )


@transaction.atomic(durable=True)
def followup_answer(*, actor: Any, appeal: Appeal, answer: str) -> AppealFollowup:
    """Record the citizen's answer (once)."""
    if answer not in FollowupAnswer.values:
        message = _("Choose one of the answers.")
        raise FieldErrors(
            [("answer", ErrorCode.REQUIRED if not answer else ErrorCode.INVALID_CHOICE, message)]
        )
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    opens = followup_asked_on(locked)
    if opens is None or timezone.localdate() < opens:
        raise NotAllowed(Code.NOT_OPEN, _("This question is not open for this appeal."))
    row, _created = AppealFollowup.objects.get_or_create(appeal=locked, defaults={"asked_on": opens})
    if row.answer:
        raise NotAllowed(Code.ALREADY_RATED, _("You have already answered this question."))
    row.answer = answer
    row.answered_at = timezone.now()
    row.save(update_fields=["answer", "answered_at"])
    log_action(actor=actor, event=FollowupLogEvent.ANSWERED, target=locked, data={"answer": answer})
    return row


def _claim(appeal_id: int, today: date) -> tuple[Appeal, str] | None:
    """Mark the question emailed (under the appeal's lock) and return its new key; None when it
    was emailed or answered already, or is not due."""
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
        opens = followup_asked_on(appeal)
        if opens is None or opens > today:
            return None
        row, _created = AppealFollowup.objects.get_or_create(appeal=appeal, defaults={"asked_on": opens})
        if row.emailed_at is not None or row.answer:
            return None
        key = secrets.token_urlsafe(24)
        row.token_hash = _hash(key)
        row.emailed_at = timezone.now()
        row.save(update_fields=["token_hash", "emailed_at"])
        log_action(
            actor=None, event=FollowupLogEvent.ASKED, target=appeal, data={"asked_on": opens.isoformat()}
        )
    return appeal, key


def due_appeal_ids(today: date) -> list[int]:
    """Appeals whose question opened in the last WINDOW_DAYS and was not emailed or answered."""
    first = today - timedelta(days=AFTER_DAYS + WINDOW_DAYS)
    last = today - timedelta(days=AFTER_DAYS)
    answered = Q(status__in=ANSWERED_STATUSES, answered_on__gt=first, answered_on__lte=last)
    waiting = Q(status__in=OPEN_STATUSES, due_on__gt=first, due_on__lte=last)
    untouched = Q(followup__isnull=True) | Q(followup__emailed_at__isnull=True, followup__answer="")
    return list(
        Appeal.objects.filter(answered | waiting)
        .filter(untouched)
        .exclude(applicant_email="")
        .order_by("id")
        .values_list("id", flat=True)
    )


def send_followups(today: date | None = None) -> int:
    """The daily job: email every question that is due; returns how many were sent."""
    day = today or timezone.localdate()
    sent = 0
    for appeal_id in due_appeal_ids(day):
        claimed = _claim(appeal_id, day)
        if claimed is None:
            continue
        emails.send_followup(*claimed)
        sent += 1
    return sent
