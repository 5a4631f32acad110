"""The ActionLog event types the appeals app writes (`core.audit.log_action(event=...)`).

One member per use case, named `appeals.<what>`; a status change is logged as
`appeals.<the status reached>` (`STATUS_EVENTS`). The values are stored in `ActionLog.event`:
never rename one."""

from __future__ import annotations

from enum import StrEnum

from .choices import AppealStatus


class AppealLogEvent(StrEnum):
    SUBMITTED = "appeals.submitted"
    # status changes (see STATUS_EVENTS)
    ASSIGNED = "appeals.assigned"
    IN_PROGRESS = "appeals.in_progress"
    ANSWERED = "appeals.answered"
    FORWARDED = "appeals.forwarded"
    NOT_CONSIDERED = "appeals.not_considered"
    CLOSED = "appeals.closed"
    WITHDRAWN = "appeals.withdrawn"
    # other steps
    EXTENDED = "appeals.extended"
    NOTE = "appeals.note"
    RATED = "appeals.rated"
    PUBLICATION_REQUESTED = "appeals.publication_requested"
    PUBLICATION_WITHDRAWN = "appeals.publication_withdrawn"
    PUBLISHED = "appeals.published"
    STATS_REBUILT = "appeals.stats_rebuilt"


# The event of each status a workflow transition reaches (services._transition).
STATUS_EVENTS: dict[str, AppealLogEvent] = {
    AppealStatus.ASSIGNED: AppealLogEvent.ASSIGNED,
    AppealStatus.IN_PROGRESS: AppealLogEvent.IN_PROGRESS,
    AppealStatus.ANSWERED: AppealLogEvent.ANSWERED,
    AppealStatus.FORWARDED: AppealLogEvent.FORWARDED,
    AppealStatus.NOT_CONSIDERED: AppealLogEvent.NOT_CONSIDERED,
    AppealStatus.CLOSED: AppealLogEvent.CLOSED,
    AppealStatus.WITHDRAWN: AppealLogEvent.WITHDRAWN,
}
