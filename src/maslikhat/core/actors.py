"""Who acts: the signed-in user, or None (an anonymous visitor or a system job).

Adapters pass `actor=acting_user(request)` to the services; services and the audit log store
`user_or_none(actor)` in their `actor`/`*_by` columns."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def user_or_none(actor: Any) -> Any | None:
    """The user when `actor` is a signed-in account; None for an anonymous user or None."""
    return actor if getattr(actor, "is_authenticated", False) else None


def acting_user(request: HttpRequest) -> Any | None:
    """The account behind a request (session or bearer token), or None."""
    return user_or_none(getattr(request, "user", None))
