"""Roles and permissions, as pure functions of the user and the object.

Roles are not stored on accounts: they come from the memberships in force of the person
linked to the account (see selectors.current_memberships_of_user).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q

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


# A body's own sub-organizations, run by its staff; a district maslikhat under a region is not.
MANAGED_CHILD_KINDS = (OrganizationKind.STANDING_COMMISSION, OrganizationKind.APPARATUS)


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
        and organization.kind in MANAGED_CHILD_KINDS
    )


def manageable_organizations_q(user: Any) -> Q:
    """`can_manage_organization` as a query over Organization (the same rule, for querysets)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    managed = managed_body_ids(user)
    return Q(id__in=managed) | Q(parent_id__in=managed, kind__in=MANAGED_CHILD_KINDS)


def can_view_backoffice_organization(user: Any, organization: Organization) -> bool:
    if can_manage_organization(user, organization):
        return True
    return organization.id in deputy_body_ids(user)


# Roles that act for a body (or the council, or everything): they must use a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {Role.DEPUTY, Role.MASLIKHAT_STAFF, Role.MASLIKHAT_CHAIR, Role.COUNCIL_STAFF, Role.ADMIN}
)


def needs_second_factor(user: Any) -> bool:
    """The one decision of who must use a second factor (when STAFF_SECOND_FACTOR_REQUIRED):
    an account holding a staff, chair, deputy or council role from its memberships, or an
    administrator; also anyone who runs a body (a council chair, say) or sits in one.
    `is_staff` plays no part: it only opens Django's admin to a role-holder."""
    if not settings.STAFF_SECOND_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(user_roles(user) & SECOND_FACTOR_ROLES or managed_body_ids(user) or deputy_body_ids(user))


def can_see_review_flags(user: Any) -> bool:
    """Review flags on reference data (a unit the source does not vouch for, a pending
    boundary's note) are for operators: whoever may use the back office."""
    return can_access_backoffice(user)
