"""The stable codes of the participation app's refusals. Never rename one."""

from __future__ import annotations

from enum import StrEnum


class ParticipationErrorCode(StrEnum):
    NOT_RESIDENT = "not_resident"
    INVALID_PHONE = "invalid_phone"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    NOT_IN_LIST = "not_in_list"
    INVALID_IIN = "invalid_iin"
    NOT_A_MASLIKHAT_AREA = "not_a_maslikhat_area"
    EXCLUDED_TOPIC = "excluded_topic"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NOT_COLLECTING = "not_collecting"
    NOT_SUPPORTED = "not_supported"
    REASON_REQUIRED = "reason_required"
    PHASE_CLOSED = "phase_closed"
    OVER_LIMIT = "over_limit"
    OVER_BUDGET = "over_budget"
    NOT_IN_PROCESS = "not_in_process"
    OVER_COST_LIMIT = "over_cost_limit"
    DUPLICATE_APPLICATION = "duplicate_application"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_DATES = "invalid_dates"
    NOT_WINNER = "not_winner"
    OUTSIDE_AREA = "outside_area"
    INVALID_AGENDA_ITEM = "invalid_agenda_item"
