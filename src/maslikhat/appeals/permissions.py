"""Who may see and act on appeals: pure functions of the user and the appeal."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from maslikhat.core.calendar import add_working_days
from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization

from .choices import (
    COMPLAINT_WITHIN_MONTHS,
    FORWARD_WITHIN_WORKING_DAYS,
    OPEN_STATUSES,
    TRANSITIONS,
    AppealStatus,
)
from .models import Appeal


def _handles_body(user: Any, body_id: int) -> bool:
    return body_id in directory_permissions.managed_body_ids(user)


def _is_addressed_deputy(user: Any, appeal: Appeal) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return False
    return appeal.deputy_id == person.pk or (appeal.assignee_id is not None and appeal.assignee_id == user.pk)


def can_view_appeal(user: Any, appeal: Appeal) -> bool:
    """Staff (and chair) of the addressed body, the deputy it is addressed or assigned to, admins."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _handles_body(user, appeal.body_id) or _is_addressed_deputy(user, appeal)


def can_view_personal_data(user: Any, appeal: Appeal) -> bool:
    """IIN, address, phone, email: only those handling the appeal."""
    return can_view_appeal(user, appeal)


def can_manage_appeal(user: Any, appeal: Appeal) -> bool:
    """Assign, forward, extend, refuse, close: staff and chair of the body, admins."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or _handles_body(user, appeal.body_id))


def can_answer_appeal(user: Any, appeal: Appeal) -> bool:
    """Start and answer: those who manage it, and the deputy it is addressed or assigned to."""
    return can_manage_appeal(user, appeal) or (
        getattr(user, "is_authenticated", False) and user.is_active and _is_addressed_deputy(user, appeal)
    )


def can_be_assigned(user: Any, appeal: Appeal) -> bool:
    """An assignee works for the body: its staff or chair, or one of its deputies.

    This is about the person receiving the appeal (`services.appeal_assign` checks it); who may
    assign is `can_manage_appeal`, on the staff page, in the API and in the admin alike."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _handles_body(user, appeal.body_id) or appeal.body_id in directory_permissions.deputy_body_ids(
        user
    )


def can_use_inbox(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        user.is_superuser
        or directory_permissions.managed_body_ids(user)
        or directory_permissions.deputy_body_ids(user)
    )


# ---------------------------------------------------------------- the applicant's own actions
#
# What the citizen may do with their appeal depends only on the appeal: the tracking page shows
# a button exactly when the service would accept it, and the service refuses with these same
# functions (appeals.services: appeal_withdraw, appeal_rate, appeal_complain,
# appeal_publication_request).

# answered (or closed after the answer): the answer can be rated and published
PUBLISHABLE_STATUSES = (AppealStatus.ANSWERED, AppealStatus.CLOSED)
RATEABLE_STATUSES = PUBLISHABLE_STATUSES
# decided: answered, closed or refused; a complaint can be filed about it
DECIDED_STATUSES = (AppealStatus.ANSWERED, AppealStatus.CLOSED, AppealStatus.NOT_CONSIDERED)


def can_withdraw(appeal: Appeal) -> bool:
    """Only an appeal that is not yet answered can be withdrawn (and the transition map allows it)."""
    return appeal.status in OPEN_STATUSES and AppealStatus.WITHDRAWN in TRANSITIONS[appeal.status]


def can_rate(appeal: Appeal) -> bool:
    """An answered appeal, once."""
    return appeal.status in RATEABLE_STATUSES and appeal.rating is None


def complaint_deadline(appeal: Appeal) -> date:
    """The last day for a complaint about the answer or refusal (art. 92: three months)."""
    decided_on = appeal.answered_on or timezone.localtime(appeal.updated_at).date()
    return decided_on + relativedelta(months=COMPLAINT_WITHIN_MONTHS)


def can_complain(appeal: Appeal, today: date | None = None) -> bool:
    """A decided appeal, within three months of the decision."""
    return appeal.status in DECIDED_STATUSES and (today or timezone.localdate()) <= complaint_deadline(appeal)


def can_request_publication(appeal: Appeal) -> bool:
    """An appeal that is answered or awaiting its answer (one that will never be answered cannot
    be published; a request already made can always be withdrawn)."""
    return appeal.status in (*OPEN_STATUSES, *PUBLISHABLE_STATUSES)


def has_publishable_answer(appeal: Appeal) -> bool:
    """Answered (or closed after the answer) with an answer text: what a publication needs."""
    return appeal.status in PUBLISHABLE_STATUSES and bool(appeal.answer_text)


def can_approve_publication(appeal: Appeal) -> bool:
    """Staff may approve the redacted texts: the applicant asked, and the answer is there
    (who may approve is `can_manage_appeal`)."""
    return appeal.publication_requested and has_publishable_answer(appeal)


# ---------------------------------------------------------------- the staff's actions
#
# One function per question, asked by the staff page (to show a verb) and by the service (to
# accept it): whether the transition map lets the appeal take the step, whether its deadline still
# allows it, and who may take it. The services check the same map (`services._check` reads
# TRANSITIONS), the same open statuses (`appeal_extend`) and `forward_deadline`
# (`appeal_forward`); tests/appeals/test_inbox_ux.py tries every action in every status against
# the service.


def may_become(appeal: Appeal, to: str) -> bool:
    """The transition map allows the step from the appeal's status."""
    return to in TRANSITIONS[appeal.status]


def is_open(appeal: Appeal) -> bool:
    """Under consideration: the body still owes a decision (extensions, deadlines)."""
    return appeal.status in OPEN_STATUSES


def forward_deadline(appeal: Appeal) -> date:
    """The last day to forward an appeal outside the body's competence (3 working days from
    registration, art. 76)."""
    return add_working_days(appeal.registered_on, FORWARD_WITHIN_WORKING_DAYS)


def can_be_forwarded(appeal: Appeal, today: date | None = None) -> bool:
    return may_become(appeal, AppealStatus.FORWARDED) and (today or timezone.localdate()) <= forward_deadline(
        appeal
    )


# The bodies an appeal may be forwarded to: state bodies that consider citizens' appeals.
FORWARD_TARGET_KINDS = (
    *MASLIKHAT_KINDS,
    OrganizationKind.AKIMAT,
    OrganizationKind.PARLIAMENT_CHAMBER,
)


def can_receive_forwarded(body: Organization, today: date | None = None) -> bool:
    """A competent state body in office (a maslikhat, an akimat, a chamber of parliament)."""
    return body.kind in FORWARD_TARGET_KINDS and body.in_force(today)


def staff_actions(user: Any, appeal: Appeal, today: date | None = None) -> frozenset[str]:
    """The verbs the staff page offers this user on this appeal (the names of `staff_views.act`)."""
    manage = can_manage_appeal(user, appeal)
    answer = manage or can_answer_appeal(user, appeal)
    actions: set[str] = set()
    if manage and may_become(appeal, AppealStatus.ASSIGNED):
        actions.add("assign")
    if answer and may_become(appeal, AppealStatus.IN_PROGRESS):
        actions.add("start")
    if answer and may_become(appeal, AppealStatus.ANSWERED):
        actions.add("answer")
    if manage and is_open(appeal):
        actions.add("extend")
    if manage and can_be_forwarded(appeal, today):
        actions.add("forward")
    if manage and may_become(appeal, AppealStatus.NOT_CONSIDERED):
        actions.add("refuse")
    if manage and may_become(appeal, AppealStatus.CLOSED):
        actions.add("close")
    return frozenset(actions)
