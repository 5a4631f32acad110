"""Roles and permissions, as pure functions of the user and the object.

Roles are not stored on accounts: they come from the memberships in force of the person
linked to the account (see selectors.current_memberships_of_user).
"""

from __future__ import annotations

from typing import Any

from .choices import DEPUTY_ROLES, MASLIKHAT_KINDS, OrganizationKind, PostRole
from .models import Membership, Organization
from .selectors import current_memberships_of_user


class Role:
    CITIZEN = "citizen"
    DEPUTY = "deputy"
    MASLIKHAT_STAFF = "maslikhat_staff"
    MASLIKHAT_CHAIR = "maslikhat_chair"
    COUNCIL_STAFF = "council_staff"
    ADMIN = "admin"


def _memberships(user: Any) -> list[Membership]:
    """Memberships of the user, cached on the user object for the request."""
    cached = getattr(user, "_maslikhat_memberships", None)
    if cached is None:
        cached = current_memberships_of_user(user=user)
        if getattr(user, "is_authenticated", False):
            user._maslikhat_memberships = cached
    return cached


def _served_body(m: Membership) -> Organization | None:
    """The maslikhat or council a staff membership serves."""
    org = m.organization
    if org.kind == OrganizationKind.APPARATUS:
        return org.parent
    return org


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = {Role.CITIZEN}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    for m in _memberships(user):
        body = _served_body(m)
        if m.role in DEPUTY_ROLES and m.organization.kind in MASLIKHAT_KINDS:
            roles.add(Role.DEPUTY)
        elif m.role in (PostRole.CHAIR, PostRole.SECRETARY) and m.organization.kind in MASLIKHAT_KINDS:
            roles.add(Role.MASLIKHAT_CHAIR)
        elif m.role == PostRole.STAFF and body is not None:
            if body.kind == OrganizationKind.NATIONAL_COUNCIL:
                roles.add(Role.COUNCIL_STAFF)
            elif body.kind in MASLIKHAT_KINDS:
                roles.add(Role.MASLIKHAT_STAFF)
    return roles


def managed_body_ids(user: Any) -> set[int]:
    """Bodies the user runs in the back office: staffed (via the apparatus) or chaired."""
    ids: set[int] = set()
    for m in _memberships(user):
        body = _served_body(m)
        if body is None:
            continue
        if m.role == PostRole.STAFF or m.role in (PostRole.CHAIR, PostRole.SECRETARY, PostRole.COUNCIL_CHAIR):
            ids.add(body.id)
    return ids


def deputy_body_ids(user: Any) -> set[int]:
    return {m.organization_id for m in _memberships(user) if m.role in DEPUTY_ROLES}


def can_access_backoffice(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and bool(managed_body_ids(user) or deputy_body_ids(user))


def can_manage_organization(user: Any, organization: Organization) -> bool:
    """Edit a body's directory entries: admins, and staff or chair of the body (or of its parent
    maslikhat, for its commissions and apparatus)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    managed = managed_body_ids(user)
    if organization.id in managed:
        return True
    return (
        organization.parent_id is not None
        and organization.parent_id in managed
        and organization.kind
        in (
            OrganizationKind.STANDING_COMMISSION,
            OrganizationKind.APPARATUS,
        )
    )


def can_view_backoffice_organization(user: Any, organization: Organization) -> bool:
    if can_manage_organization(user, organization):
        return True
    return organization.id in deputy_body_ids(user)
