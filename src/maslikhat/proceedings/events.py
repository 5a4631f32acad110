"""The ActionLog event types the proceedings app writes. The values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum

from .choices import DecisionStatus, SessionStatus


class ProceedingsLogEvent(StrEnum):
    CONVOCATION_CREATED = "proceedings.convocation_created"
    SESSION_PLANNED = "proceedings.session_planned"
    SESSION_CONVENED = "proceedings.session_convened"
    SESSION_IN_PROGRESS = "proceedings.session_in_progress"
    SESSION_CLOSED = "proceedings.session_closed"
    SESSION_CANCELLED = "proceedings.session_cancelled"
    SESSION_RESCHEDULED = "proceedings.session_rescheduled"
    ITEM_ADDED = "proceedings.item_added"
    ITEM_OUTCOME = "proceedings.item_outcome"
    ATTENDANCE_RECORDED = "proceedings.attendance_recorded"
    VOTE_OPENED = "proceedings.vote_opened"
    BALLOT_CAST = "proceedings.ballot_cast"
    VOTE_COUNTED = "proceedings.vote_counted"
    DECISION_ADOPTED = "proceedings.decision_adopted"
    DECISION_REGISTERED = "proceedings.decision_registered"
    DECISION_PUBLISHED = "proceedings.decision_published"
    DECISION_IN_FORCE = "proceedings.decision_in_force"
    DECISION_AMENDED = "proceedings.decision_amended"
    DECISION_REPEALED = "proceedings.decision_repealed"
    DRAFT_CREATED = "proceedings.draft_created"
    DRAFT_REVISED = "proceedings.draft_revised"
    DRAFT_PUBLISHED = "proceedings.draft_published"
    DRAFT_CLOSED = "proceedings.draft_closed"
    COMMENT_POSTED = "proceedings.comment_posted"
    COMMENT_SUPPORTED = "proceedings.comment_supported"
    COMMENT_MODERATED = "proceedings.comment_moderated"
    COMMENT_ANSWERED = "proceedings.comment_answered"
    RESULTS_PUBLISHED = "proceedings.results_published"
    SETTINGS_CHANGED = "proceedings.settings_changed"
    COMMISSION_MEETING_PLANNED = "proceedings.commission_meeting_planned"
    COMMISSION_MEETING_RESCHEDULED = "proceedings.commission_meeting_rescheduled"
    COMMISSION_ATTENDANCE_RECORDED = "proceedings.commission_attendance_recorded"
    COMMISSION_MEETING_HELD = "proceedings.commission_meeting_held"
    COMMISSION_MEETING_CANCELLED = "proceedings.commission_meeting_cancelled"
    ITEM_MATERIALS = "proceedings.item_materials"
    HEARING_ANNOUNCED = "proceedings.hearing_announced"
    HEARING_REGISTERED = "proceedings.hearing_registered"
    HEARING_UNREGISTERED = "proceedings.hearing_unregistered"
    HEARING_RECORD_PUBLISHED = "proceedings.hearing_record_published"
    HEARING_CANCELLED = "proceedings.hearing_cancelled"


SESSION_STATUS_EVENTS: dict[str, ProceedingsLogEvent] = {
    SessionStatus.CONVENED: ProceedingsLogEvent.SESSION_CONVENED,
    SessionStatus.IN_PROGRESS: ProceedingsLogEvent.SESSION_IN_PROGRESS,
    SessionStatus.CLOSED: ProceedingsLogEvent.SESSION_CLOSED,
    SessionStatus.CANCELLED: ProceedingsLogEvent.SESSION_CANCELLED,
}

DECISION_STATUS_EVENTS: dict[str, ProceedingsLogEvent] = {
    DecisionStatus.REGISTERED: ProceedingsLogEvent.DECISION_REGISTERED,
    DecisionStatus.PUBLISHED: ProceedingsLogEvent.DECISION_PUBLISHED,
    DecisionStatus.IN_FORCE: ProceedingsLogEvent.DECISION_IN_FORCE,
    DecisionStatus.AMENDED: ProceedingsLogEvent.DECISION_AMENDED,
    DecisionStatus.REPEALED: ProceedingsLogEvent.DECISION_REPEALED,
}
