"""Reads for the national council: each selector owns its joins (no N+1 queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from maslikhat.directory.models import Organization

from .choices import MeetingStatus, ProposalStatus, ReportStatus
from .models import (
    Meeting,
    MeetingParticipant,
    Proposal,
    ProposalEvent,
    Recommendation,
    RecommendationReport,
)
from .permissions import can_manage_council, can_view_proposal_internal

PUBLIC_MEETING = ~Q(status=MeetingStatus.DRAFT)


def meeting_list(*, user: Any = None, council: Organization | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("council", "chair").annotate(
        recommendation_count=Count("recommendations", distinct=True)
    )
    if not can_manage_council(user):
        qs = qs.filter(PUBLIC_MEETING)
    if council is not None:
        qs = qs.filter(council=council)
    return qs.order_by("-held_on", "-id")


def meeting_get(*, pk: int, user: Any = None) -> Meeting | None:
    qs = Meeting.objects.select_related("council", "chair").prefetch_related(
        Prefetch(
            "participants",
            queryset=MeetingParticipant.objects.select_related("person", "organization"),
        ),
        "agenda_items",
        "documents",
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.annotate(
                filed=Count("reports", filter=Q(reports__status=ReportStatus.FILED)),
                addressed=Count("reports"),
            ).order_by("number"),
        ),
        Prefetch("proposals", queryset=Proposal.objects.select_related("body")),
    )
    if not can_manage_council(user):
        qs = qs.filter(PUBLIC_MEETING)
    return qs.filter(pk=pk).first()


def proposal_list(
    *, body: Organization | None = None, status: str | None = None, council: Organization | None = None
) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("body", "council", "agenda_meeting", "recommendation")
    qs = qs.annotate(backer_count=Count("backers"))
    if body is not None:
        qs = qs.filter(Q(body=body) | Q(backers__body=body)).distinct()
    if status:
        qs = qs.filter(status=status)
    if council is not None:
        qs = qs.filter(council=council)
    return qs.order_by("-submitted_at", "-id")


def proposal_get(*, pk: int, user: Any = None) -> tuple[Proposal | None, bool]:
    """The proposal and whether the user sees its internal part (notes, documents)."""
    proposal = (
        Proposal.objects.select_related("body", "council", "agenda_meeting", "recommendation__meeting")
        .prefetch_related("backers__body", "documents")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        return None, False
    internal = can_view_proposal_internal(user, proposal)
    events = ProposalEvent.objects.filter(proposal=proposal).select_related("actor")
    if not internal:
        events = events.filter(public=True)
    proposal.visible_events = list(events)  # type: ignore[attr-defined]
    return proposal, internal


def recommendation_list(*, body: Organization | None = None, user: Any = None) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related("meeting", "council").annotate(
        filed=Count("reports", filter=Q(reports__status=ReportStatus.FILED), distinct=True),
        on_time=Count("reports", filter=Q(reports__on_time=True), distinct=True),
        addressed=Count("reports", distinct=True),
    )
    if not can_manage_council(user):
        qs = qs.filter(meeting__status=MeetingStatus.PUBLISHED)
    if body is not None:
        qs = qs.filter(reports__body=body)
    return qs.order_by("-adopted_on", "number")


def recommendation_get(*, pk: int, user: Any = None) -> Recommendation | None:
    qs = Recommendation.objects.select_related("meeting", "council").prefetch_related(
        Prefetch(
            "reports",
            # ordered by the area's code through a join; the area itself (with its boundary) is
            # never loaded
            queryset=RecommendationReport.objects.select_related("body").order_by(
                "body__kind", "body__area__iso_code", "body__name_en"
            ),
        ),
        Prefetch("proposals", queryset=Proposal.objects.select_related("body")),
    )
    if not can_manage_council(user):
        qs = qs.filter(meeting__status=MeetingStatus.PUBLISHED)
    return qs.filter(pk=pk).first()


def reports_of_body(*, body_ids: set[int]) -> QuerySet[RecommendationReport]:
    """A maslikhat's duties to report (published recommendations), pending first, soonest due first."""
    return (
        RecommendationReport.objects.filter(
            body_id__in=body_ids, recommendation__meeting__status=MeetingStatus.PUBLISHED
        )
        .select_related("recommendation", "recommendation__meeting", "body")
        .order_by("-status", "recommendation__due_on", "pk")
    )


def proposal_counts(*, council: Organization | None = None) -> dict[str, int]:
    qs = Proposal.objects.all()
    if council is not None:
        qs = qs.filter(council=council)
    counts = {s: 0 for s in ProposalStatus.values}
    for row in qs.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def open_meetings(*, council: Organization | None = None) -> QuerySet[Meeting]:
    """Meetings a proposal can be put on the agenda of (drafts and published, not cancelled)."""
    qs = Meeting.objects.exclude(status=MeetingStatus.CANCELLED).select_related("council")
    if council is not None:
        qs = qs.filter(council=council)
    return qs.order_by("-held_on")
