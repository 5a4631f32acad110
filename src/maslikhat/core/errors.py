"""Domain errors: a stable machine-readable code, a translated message, an optional field."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was changed."""

    status = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None, **data: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.data = data


class FieldErrors(DomainError):
    """Several input fields are wrong at once (HTTP 422)."""

    status = 422

    def __init__(self, errors: list[tuple[str, str, str | Promise]]) -> None:
        super().__init__("validation_error", errors[0][2] if errors else "invalid input")
        self.errors = errors  # (field, code, message)


class NotAllowed(DomainError):
    """The transition or action is not allowed in the object's current state (HTTP 409)."""

    status = 409
