"""Who may see and act on appeals: pure functions of the user and the appeal."""

from __future__ import annotations

from typing import Any

from maslikhat.directory import permissions as directory_permissions

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
    """An assignee works for the body: its staff or chair, or one of its deputies."""
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
