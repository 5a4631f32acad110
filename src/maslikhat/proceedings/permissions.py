"""Who may run a maslikhat's proceedings, and who may comment: pure functions.

A maslikhat's apparatus staff and its chair or secretary (`directory.permissions.managed_body_ids`)
run its sessions, votes, register and drafts; a superuser may act for any maslikhat. Any
signed-in, active account may comment on a draft open for comment and support or oppose others'
comments.
"""

from __future__ import annotations

from typing import Any

from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization

from .models import Comment, DraftDecision, Session


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_proceedings(user: Any, body: Organization) -> bool:
    """Plan and convene sessions, record attendance and votes, adopt decisions and keep the
    register, publish drafts and their results reports, moderate comments."""
    if not _active(user) or body.kind not in MASLIKHAT_KINDS:
        return False
    return bool(user.is_superuser or body.pk in directory_permissions.managed_body_ids(user))


def can_view_session(user: Any, session: Session) -> bool:
    return session.is_public or can_manage_proceedings(user, session.body)


def can_view_draft(user: Any, draft: DraftDecision) -> bool:
    return draft.is_public or can_manage_proceedings(user, draft.body)


def can_comment(user: Any, draft: DraftDecision) -> bool:
    """Whether the account may write (the period itself is the service's rule)."""
    return _active(user) and draft.is_public


def can_support(user: Any, comment: Comment) -> bool:
    return _active(user) and comment.author_id != user.pk


def can_manage_commission(user: Any, commission: Organization) -> bool:
    """A standing commission's meetings are run by its maslikhat's staff (or a superuser)."""
    parent = commission.parent
    if commission.kind != OrganizationKind.STANDING_COMMISSION or parent is None:
        return False
    return can_manage_proceedings(user, parent)


def can_register_to_speak(user: Any) -> bool:
    """Any signed-in, active account (whether registration is open is the service's rule)."""
    return _active(user)
