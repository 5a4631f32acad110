"""Who may write and publish news: pure functions of the user and the body or publication.

Council staff publish for their council, maslikhat staff and chair for their own maslikhat
(both through directory.permissions.managed_body_ids), admins for any body.
"""

from __future__ import annotations

from typing import Any

from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization

from .models import Publication

PUBLISHING_KINDS = (OrganizationKind.NATIONAL_COUNCIL, *MASLIKHAT_KINDS)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_publish_for_body(user: Any, body: Organization) -> bool:
    """Write, edit, publish and withdraw the news of a body."""
    if not _active(user) or body.kind not in PUBLISHING_KINDS:
        return False
    if user.is_superuser:
        return True
    return body.id in directory_permissions.managed_body_ids(user)


def can_edit_publication(user: Any, publication: Publication) -> bool:
    return can_publish_for_body(user, publication.body)


def can_view_publication(user: Any, publication: Publication) -> bool:
    """Published news are public; drafts and withdrawn ones only for those who edit them."""
    return publication.is_public or can_edit_publication(user, publication)


def can_use_newsroom(user: Any) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser or directory_permissions.managed_body_ids(user))
