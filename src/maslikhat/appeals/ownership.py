"""Whose appeal is it: the one rule, a pure function of the account, its verified addresses and
the appeal. "My appeals" lists only what it accepts and its detail page opens only what it
accepts (selectors.owner_candidates merely narrows the rows to check)."""

from __future__ import annotations

from typing import Any

from .models import Appeal


def is_owner(user: Any, appeal: Appeal, *, emails: frozenset[str]) -> bool:
    """The appeal was made with this active account, or with an address of it that allauth marks
    verified (`emails`: selectors.verified_emails, lower-cased). An unverified address never
    counts: anyone can type someone else's address into a new account."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if appeal.applicant_user_id is not None and appeal.applicant_user_id == user.pk:
        return True
    return bool(appeal.applicant_email) and appeal.applicant_email.strip().lower() in emails
