"""The stable codes of the deputies app's refusals (the `code` of a DomainError and of each
FieldErrors entry). The values are the API's contract: never rename one. Codes every app shares
(`required`, `invalid_choice`, `too_long`, ...) are `core.errors.ErrorCode`."""

from __future__ import annotations

from enum import StrEnum


class DeputiesErrorCode(StrEnum):
    NOT_A_DEPUTY = "not_a_deputy"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_TIME = "invalid_time"
    INVALID_NUMBER = "invalid_number"
    SLOT_PAST = "slot_past"
    SLOT_CANCELLED = "slot_cancelled"
    ALREADY_BOOKED = "already_booked"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    ALREADY_APPEALED = "already_appealed"
    BEFORE_MEETING = "before_meeting"
    INVALID_DATE = "invalid_date"
    NOT_THIS_MASLIKHAT = "not_this_maslikhat"
