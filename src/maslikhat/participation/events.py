"""The ActionLog event types the participation app writes. Never rename a value."""

from __future__ import annotations

from enum import StrEnum


class ParticipationLogEvent(StrEnum):
    RESIDENTS_IMPORTED = "participation.residents_imported"
    CODE_SENT = "participation.code_sent"
    VERIFIED = "participation.verified"
    INITIATIVE_CREATED = "participation.initiative_created"
    INITIATIVE_PUBLISHED = "participation.initiative_published"
    INITIATIVE_REFUSED = "participation.initiative_refused"
    INITIATIVE_CLOSED = "participation.initiative_closed"
    INITIATIVE_ANSWERED = "participation.initiative_answered"
    PAPER_SIGNATURES = "participation.paper_signatures"
    PROCESS_CREATED = "participation.process_created"
    PROJECT_SUBMITTED = "participation.project_submitted"
    PROJECT_REVIEWED = "participation.project_reviewed"
    PAPER_BALLOT = "participation.paper_ballot"
    TALLIED = "participation.tallied"
    IMPLEMENTATION_UPDATED = "participation.implementation_updated"
    INITIATIVE_REACHED = "participation.initiative_reached"
    INITIATIVE_OVERDUE = "participation.initiative_overdue"
    PHASE_CHANGED = "participation.phase_changed"
