"""Who may run participation for a maslikhat: its staff (pure functions over directory roles)."""

from __future__ import annotations

from typing import Any

from maslikhat.directory.models import Organization
from maslikhat.directory.permissions import can_manage_organization


def can_run_participation(user: Any, body: Organization) -> bool:
    """Moderate, enter paper signatures and ballots, review, tally, record implementation."""
    return can_manage_organization(user, body)
