"""Who may run a deputy's receptions, reports and inquiries: pure functions of the user and the
deputy. A deputy's office is the deputy themselves (the account linked to the person) and the
staff (and chair) of the apparatus of the maslikhat they sit in; administrators too."""

from __future__ import annotations

from typing import Any

from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.models import Person


def is_deputy_office(user: Any, deputy: Person, body_id: int | None) -> bool:
    """The deputy, their maslikhat's apparatus and chair, or an administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if deputy.user_id is not None and deputy.user_id == user.pk:
        return True
    return body_id is not None and body_id in directory_permissions.managed_body_ids(user)


def can_manage_receptions(user: Any, deputy: Person, body_id: int | None) -> bool:
    """Publish schedules, book for callers, see who booked, record visits."""
    return is_deputy_office(user, deputy, body_id)


def can_see_bookings(user: Any, deputy: Person, body_id: int | None) -> bool:
    """Personal data of those who booked: the deputy's office only."""
    return is_deputy_office(user, deputy, body_id)


def can_manage_reports(user: Any, deputy: Person, body_id: int | None) -> bool:
    return is_deputy_office(user, deputy, body_id)


def can_manage_inquiries(user: Any, deputy: Person, body_id: int | None) -> bool:
    return is_deputy_office(user, deputy, body_id)


def can_manage_akim_meetings(user: Any, body_id: int | None) -> bool:
    """Put akims' meetings with the population on the calendar: the maslikhat's apparatus and
    chair, or an administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return body_id is not None and body_id in directory_permissions.managed_body_ids(user)
