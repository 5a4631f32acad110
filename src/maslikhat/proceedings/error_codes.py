"""The stable codes of the proceedings app's refusals. The values are the API's contract."""

from __future__ import annotations

from enum import StrEnum


class ProceedingsErrorCode(StrEnum):
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NOT_A_MASLIKHAT = "not_a_maslikhat"
    NUMBER_TAKEN = "number_taken"
    OUTSIDE_CONVOCATION = "outside_convocation"
    NOTICE_TOO_LATE = "notice_too_late"
    NO_AGENDA = "no_agenda"
    ITEM_UNDECIDED = "item_undecided"
    NOT_A_DEPUTY = "not_a_deputy"
    ALREADY_VOTED = "already_voted"
    VOTE_EXISTS = "vote_exists"
    VOTE_COUNTED = "vote_counted"
    NOT_IN_PROGRESS = "not_in_progress"
    NOT_ADOPTED = "not_adopted"
    DECISION_EXISTS = "decision_exists"
    INVALID_TEMPLATE = "invalid_template"
    TEXTS_IDENTICAL = "texts_identical"
    COMMENT_PERIOD_CLOSED = "comment_period_closed"
    COMMENT_PERIOD_OPEN = "comment_period_open"
    NO_SUCH_PARAGRAPH = "no_such_paragraph"
    OWN_COMMENT = "own_comment"
    UNANSWERED_COMMENTS = "unanswered_comments"
    INVALID_LINK = "invalid_link"
    INVALID_DATE = "invalid_date"
    NOT_A_COMMISSION = "not_a_commission"
    NOT_A_MEMBER = "not_a_member"
    NO_ATTENDANCE = "no_attendance"
    INVALID_TEXT = "invalid_text"
    REGISTRATION_CLOSED = "registration_closed"
    ALREADY_REGISTERED = "already_registered"
    HEARING_FULL = "hearing_full"
    HEARING_NOT_OVER = "hearing_not_over"
