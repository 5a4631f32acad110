"""The stable codes of the council app's refusals (the `code` of a DomainError and of each
FieldErrors entry). The values are the API's contract: never rename one. Codes every app shares
(`required`, `invalid_choice`, `too_long`, ...) are `core.errors.ErrorCode`."""

from __future__ import annotations

from enum import StrEnum


class CouncilErrorCode(StrEnum):
    # meetings
    NO_COUNCIL = "no_council"
    MEETING_CANCELLED = "meeting_cancelled"
    PUBLISHED = "published"
    HAS_RECOMMENDATIONS = "has_recommendations"
    INVALID_DATE = "invalid_date"
    # recommendations and reports
    BEFORE_MEETING = "before_meeting"
    NOT_A_MASLIKHAT = "not_a_maslikhat"
    NOT_INCLUDABLE = "not_includable"
    NOT_PUBLISHED = "not_published"
    # proposals
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    OWN_PROPOSAL = "own_proposal"
    DECIDED = "decided"
    ALREADY_BACKED = "already_backed"
    INVALID_MEETING = "invalid_meeting"
    BEFORE_SUBMISSION = "before_submission"
    INVALID_RECOMMENDATION = "invalid"
    BEFORE_DECISION = "before_decision"
