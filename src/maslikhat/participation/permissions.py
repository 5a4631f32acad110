"""Who may run participation for a maslikhat: its staff (pure functions over directory roles)."""

from __future__ import annotations

from typing import Any

from maslikhat.directory.models import Organization
from maslikhat.directory.permissions import can_manage_organization


def can_run_participation(user: Any, body: Organization) -> bool:
    """Moderate, enter paper signatures and ballots, review, tally, record implementation."""
    return can_manage_organization(user, body)


def can_verify_in_person(user: Any) -> bool:
    """Open the in-person verification screen: staff of some maslikhat, or an administrator.
    Which areas they may verify is decided per area by `can_run_participation` (in the service)."""
    from maslikhat.directory.choices import MASLIKHAT_KINDS
    from maslikhat.directory.permissions import managed_body_ids

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    ids = managed_body_ids(user)
    return bool(ids) and Organization.objects.filter(pk__in=ids, kind__in=MASLIKHAT_KINDS).exists()
