"""The stable codes of the appeals app's refusals (the `code` of a DomainError and of each
FieldErrors entry). The values are the API's contract: never rename one. Codes every app shares
(`not_found`, `required`, `validation_error`, ...) are `core.errors.ErrorCode`."""

from __future__ import annotations

from enum import StrEnum


class AppealErrorCode(StrEnum):
    # submission
    ANONYMOUS_NOT_ALLOWED = "anonymous_not_allowed"
    IIN_INVALID = "iin_invalid"
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    NOT_A_DEPUTY = "not_a_deputy"
    DEPUTY_OF_OTHER_BODY = "deputy_of_other_body"
    NOT_A_MASLIKHAT = "not_a_maslikhat"
    # workflow
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    ASSIGNEE_NOT_ALLOWED = "assignee_not_allowed"
    FORWARD_TOO_LATE = "forward_too_late"
    FORWARD_SAME_BODY = "forward_same_body"
    NOT_OPEN = "not_open"
    NOT_LATER = "not_later"
    INVALID_DATE = "invalid_date"
    # publication
    NOT_PUBLISHABLE = "not_publishable"
    PUBLICATION_NOT_REQUESTED = "publication_not_requested"
    NOT_ANSWERED = "not_answered"
    # the citizen's rating and complaint
    OUT_OF_RANGE = "out_of_range"
    ALREADY_RATED = "already_rated"
    NOT_DECIDED = "not_decided"
    COMPLAINT_TOO_LATE = "complaint_too_late"
