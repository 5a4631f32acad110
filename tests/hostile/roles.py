"""The roles of the authorization matrix and the sets of them its table uses."""

from __future__ import annotations

from .world import ROLES

__all__ = ["ROLES"]

ALL = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
LOGGED_IN = ALL - {"anonymous"}
ADMIN = frozenset({"admin"})
THIS_BODY = frozenset({"staff", "admin"})
# Staff of any body (the council's too) and deputies have an inbox; each sees its own appeals only.
INBOX = frozenset({"deputy", "staff", "other_staff", "council", "admin"})
# Pages of a maslikhat's own staff (a superuser acts for no maslikhat).
MASLIKHAT_STAFF = frozenset({"staff", "other_staff"})
COUNCIL = frozenset({"council", "admin"})
NEWSROOM = frozenset({"staff", "other_staff", "council", "admin"})
BACK_OFFICE = frozenset({"deputy", "staff", "other_staff", "council", "admin"})

# name -> requests: (method, path with {ids}, roles allowed, how: "" | "bearer" | "json")
Req = tuple[str, str, frozenset[str], str]

# A page needs the second factor from staff (STAFF_SECOND_FACTOR_REQUIRED) or not.
STAFF = "staff"
OPEN = "not staff"
