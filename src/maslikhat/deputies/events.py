"""The ActionLog event types the deputies app writes (`core.audit.log_action(event=...)`).

The values are stored in `ActionLog.event`: never rename one."""

from __future__ import annotations

from enum import StrEnum


class DeputiesLogEvent(StrEnum):
    SCHEDULE_CREATED = "deputies.schedule_created"
    SLOT_CANCELLED = "deputies.slot_cancelled"
    BOOKED = "deputies.booked"
    WAITLISTED = "deputies.waitlisted"
    BOOKING_CANCELLED = "deputies.booking_cancelled"
    BOOKING_PROMOTED = "deputies.booking_promoted"
    ATTENDANCE_RECORDED = "deputies.attendance_recorded"
    VISIT_RECORDED = "deputies.visit_recorded"
    QUESTION_TO_APPEAL = "deputies.question_to_appeal"
    REPORT_ANNOUNCED = "deputies.report_announced"
    REPORT_QUESTION_ASKED = "deputies.report_question_asked"
    REPORT_PUBLISHED = "deputies.report_published"
    REPORT_CANCELLED = "deputies.report_cancelled"
    INQUIRY_REGISTERED = "deputies.inquiry_registered"
    INQUIRY_ANSWERED = "deputies.inquiry_answered"
    INQUIRY_WITHDRAWN = "deputies.inquiry_withdrawn"
    INQUIRY_LINKED = "deputies.inquiry_linked"
    AKIM_MEETING_ANNOUNCED = "deputies.akim_meeting_announced"
    AKIM_MEETING_HELD = "deputies.akim_meeting_held"
    AKIM_MEETING_CANCELLED = "deputies.akim_meeting_cancelled"
