"""Who may manage a follow: pure functions."""

from __future__ import annotations

from typing import Any

from .models import Follow


def can_follow(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_follow(user: Any, follow: Follow) -> bool:
    """Only the follower (the unsubscribe token works without an account)."""
    return can_follow(user) and follow.user_id == user.pk
