"""The ActionLog event types the council app writes (`core.audit.log_action(event=...)`).

One member per use case, named `council.<what>`; a proposal's status change is logged as
`council.proposal_<the status reached>` (`PROPOSAL_STATUS_EVENTS`). The values are stored in
`ActionLog.event`: never rename one."""

from __future__ import annotations

from enum import StrEnum

from .choices import ProposalStatus


class CouncilLogEvent(StrEnum):
    # meetings
    MEETING_CREATED = "council.meeting_created"
    MEETING_UPDATED = "council.meeting_updated"
    MEETING_PUBLISHED = "council.meeting_published"
    MEETING_CANCELLED = "council.meeting_cancelled"
    DOCUMENT_ADDED = "council.document_added"
    HISTORY_LOADED = "council.history_loaded"
    # recommendations and reports
    RECOMMENDATION_ADOPTED = "council.recommendation_adopted"
    REPORT_FILED = "council.report_filed"
    REPORT_AMENDED = "council.report_amended"
    # proposals
    PROPOSAL_SUBMITTED = "council.proposal_submitted"
    PROPOSAL_BACKED = "council.proposal_backed"
    PROPOSAL_NOTE = "council.proposal_note"
    # proposal status changes (see PROPOSAL_STATUS_EVENTS)
    PROPOSAL_UNDER_REVIEW = "council.proposal_under_review"
    PROPOSAL_ON_AGENDA = "council.proposal_on_agenda"
    PROPOSAL_INCLUDED = "council.proposal_included"
    PROPOSAL_DECLINED = "council.proposal_declined"
    PROPOSAL_WITHDRAWN = "council.proposal_withdrawn"
    PROPOSAL_SENT_ON = "council.proposal_sent_on"
    PROPOSAL_IMPLEMENTED = "council.proposal_implemented"
    PROPOSAL_PARTLY_IMPLEMENTED = "council.proposal_partly_implemented"
    PROPOSAL_NOT_IMPLEMENTED = "council.proposal_not_implemented"


# The event of each status a proposal's transition reaches (services._proposal_transition).
PROPOSAL_STATUS_EVENTS: dict[str, CouncilLogEvent] = {
    ProposalStatus.UNDER_REVIEW: CouncilLogEvent.PROPOSAL_UNDER_REVIEW,
    ProposalStatus.ON_AGENDA: CouncilLogEvent.PROPOSAL_ON_AGENDA,
    ProposalStatus.INCLUDED: CouncilLogEvent.PROPOSAL_INCLUDED,
    ProposalStatus.DECLINED: CouncilLogEvent.PROPOSAL_DECLINED,
    ProposalStatus.WITHDRAWN: CouncilLogEvent.PROPOSAL_WITHDRAWN,
    ProposalStatus.SENT_ON: CouncilLogEvent.PROPOSAL_SENT_ON,
    ProposalStatus.IMPLEMENTED: CouncilLogEvent.PROPOSAL_IMPLEMENTED,
    ProposalStatus.PARTLY_IMPLEMENTED: CouncilLogEvent.PROPOSAL_PARTLY_IMPLEMENTED,
    ProposalStatus.NOT_IMPLEMENTED: CouncilLogEvent.PROPOSAL_NOT_IMPLEMENTED,
}
