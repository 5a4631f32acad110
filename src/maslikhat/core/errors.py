"""Domain errors: a stable machine-readable code, a translated message, an optional field.

A service raises them; the adapters map them once: the API through the DomainError handler of
`maslikhat.api.errors.install` (FieldErrors 422, NotAllowed 409, any other its `status`), the
pages by rendering the message. Codes are enums: the ones every app shares are `ErrorCode`
below, each app adds its own (`appeals.error_codes.AppealErrorCode`, ...). A code is a `StrEnum`,
so it is stored, compared and serialized as its plain string value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class ErrorCode(StrEnum):
    """Codes shared by every app and adapter."""

    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    VALIDATION_ERROR = "validation_error"
    REQUIRED = "required"
    INVALID_CHOICE = "invalid_choice"
    TOO_LONG = "too_long"
    FORBIDDEN = "forbidden"


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was changed.

    `data` (keyword arguments) is public: the API adds it to the JSON answer (a `retry_after`
    also becomes the Retry-After header)."""

    status = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None, **data: Any) -> None:
        super().__init__(str(message))
        self.code = str(code)
        self.message = message
        self.field = field
        self.data = data


class FieldErrors(DomainError):
    """Several input fields are wrong at once (HTTP 422)."""

    status = 422

    def __init__(self, errors: list[tuple[str, str, str | Promise]]) -> None:
        super().__init__(ErrorCode.VALIDATION_ERROR, errors[0][2] if errors else "invalid input")
        self.errors = [(f, str(c), m) for f, c, m in errors]  # (field, code, message)


class NotAllowed(DomainError):
    """The transition or action is not allowed in the object's current state (HTTP 409)."""

    status = 409
