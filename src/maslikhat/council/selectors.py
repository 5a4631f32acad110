"""Reads for the national council: each selector owns its joins (no N+1 queries). Pages and the
API read only through these functions (they never build a queryset themselves)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization

from .choices import INCLUDABLE_STATUSES, MeetingStatus, ProposalStatus, ReportStatus
from .models import (
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    Proposal,
    ProposalDocument,
    ProposalEvent,
    Recommendation,
    RecommendationReport,
)
from .permissions import (
    acting_body_ids,
    can_back_proposal,
    can_manage_council,
    can_view_proposal_internal,
    is_co_signable,
)

PUBLIC_MEETING = ~Q(status=MeetingStatus.DRAFT)


# ---------------------------------------------------------------- councils and maslikhats


def council_in_force(on: date | None = None) -> Organization | None:
    """The national council in office on a date (the newest one founded by then)."""
    return (
        Organization.objects.filter(kind=OrganizationKind.NATIONAL_COUNCIL)
        .current(on)
        .order_by("-founding_date")
        .first()
    )


def maslikhats_in_force(on: date | None = None, *, regional_only: bool = False) -> list[Organization]:
    kinds = [OrganizationKind.REGIONAL_MASLIKHAT] if regional_only else list(MASLIKHAT_KINDS)
    return list(Organization.objects.filter(kind__in=kinds).current(on).order_by("pk"))


def organization_get(*, pk: Any) -> Organization | None:
    """A body by id (a maslikhat filter, a co-signing body); None for an unknown or no id."""
    if pk is None or not str(pk).isdigit():
        return None
    return Organization.objects.filter(pk=int(pk)).first()


def organizations(*, ids: Iterable[int]) -> list[Organization]:
    """The bodies with these ids (the addressees a form chose), unknown ids left out."""
    return list(Organization.objects.filter(pk__in=list(ids)).order_by("pk"))


def acting_maslikhats(*, user: Any) -> list[Organization]:
    """The maslikhats the user acts for (chair or apparatus staff), by name."""
    ids = acting_body_ids(user)
    if not ids:
        return []
    return list(Organization.objects.filter(pk__in=ids, kind__in=MASLIKHAT_KINDS).order_by("name_en"))


# ---------------------------------------------------------------- meetings


def meeting_list(
    *, user: Any = None, council: Organization | None = None, council_id: int | None = None
) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("council", "chair").annotate(
        recommendation_count=Count("recommendations", distinct=True)
    )
    if not can_manage_council(user):
        qs = qs.filter(PUBLIC_MEETING)
    if council is not None:
        qs = qs.filter(council=council)
    if council_id is not None:
        qs = qs.filter(council_id=council_id)
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


def meeting_document_get(*, meeting_id: int, pk: int) -> MeetingDocument | None:
    return MeetingDocument.objects.select_related("meeting").filter(pk=pk, meeting_id=meeting_id).first()


def open_meetings(*, council: Organization | None = None) -> QuerySet[Meeting]:
    """Meetings a proposal can be put on the agenda of (drafts and published, not cancelled)."""
    qs = Meeting.objects.exclude(status=MeetingStatus.CANCELLED).select_related("council")
    if council is not None:
        qs = qs.filter(council=council)
    return qs.order_by("-held_on")


def open_meeting_get(*, council: Organization, pk: Any) -> Meeting | None:
    """One of `open_meetings(council=...)` by id (the meeting a form chose), or None."""
    if pk is None or not str(pk).isdigit():
        return None
    return open_meetings(council=council).filter(pk=int(pk)).first()


# ---------------------------------------------------------------- proposals


def proposal_list(
    *,
    body: Organization | None = None,
    status: str | None = None,
    council: Organization | None = None,
    proposed_by: Iterable[int] | None = None,
) -> QuerySet[Proposal]:
    """Proposals, newest first; `body`: made or co-signed by it; `proposed_by`: made by one of
    these bodies."""
    qs = Proposal.objects.select_related("body", "council", "agenda_meeting", "recommendation")
    qs = qs.annotate(backer_count=Count("backers"))
    if body is not None:
        qs = qs.filter(Q(body=body) | Q(backers__body=body)).distinct()
    if status:
        qs = qs.filter(status=status)
    if council is not None:
        qs = qs.filter(council=council)
    if proposed_by is not None:
        qs = qs.filter(body_id__in=list(proposed_by))
    return qs.order_by("-submitted_at", "-id")


def includable_proposals(*, council: Organization) -> QuerySet[Proposal]:
    """Proposals a recommendation adopted at a meeting of this council may include."""
    return proposal_list(council=council).filter(status__in=INCLUDABLE_STATUSES)


def proposals(*, ids: Iterable[int]) -> list[Proposal]:
    """The proposals with these ids (those a form chose), unknown ids left out."""
    return list(Proposal.objects.filter(pk__in=list(ids)).order_by("pk"))


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


def proposal_for_action(*, pk: int) -> Proposal | None:
    """A proposal about to be acted on (its body and council joined, its co-signers fetched
    for the permission checks)."""
    return (
        Proposal.objects.select_related("body", "council").prefetch_related("backers").filter(pk=pk).first()
    )


def proposal_document_get(*, proposal_id: int, pk: int) -> ProposalDocument | None:
    return ProposalDocument.objects.select_related("proposal").filter(pk=pk, proposal_id=proposal_id).first()


def co_sign_bodies(*, user: Any, proposal: Proposal) -> list[Organization]:
    """The maslikhats the user may co-sign this proposal for now: none once the council has
    decided on it (`permissions.is_co_signable`), else each maslikhat the user acts for that
    `permissions.can_back_proposal` allows and that has not co-signed it yet."""
    if not is_co_signable(proposal):
        return []
    backed = {b.body_id for b in proposal.backers.all()}
    return [
        body
        for body in acting_maslikhats(user=user)
        if body.pk not in backed and can_back_proposal(user, proposal, body)
    ]


def proposal_counts(*, council: Organization | None = None) -> dict[str, int]:
    qs = Proposal.objects.all()
    if council is not None:
        qs = qs.filter(council=council)
    counts = {s: 0 for s in ProposalStatus.values}
    for row in qs.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


# ---------------------------------------------------------------- recommendations and reports


def report_overdue(today: date | None = None) -> Case:
    """The one rule of an overdue report, as an expression: not filed, and its recommendation's
    deadline has passed. Every report a selector returns carries it as `overdue`."""
    day = today or timezone.localdate()
    return Case(
        When(Q(status=ReportStatus.PENDING, recommendation__due_on__lt=day), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _report_counts() -> dict[str, Count]:
    return {
        "filed": Count("reports", filter=Q(reports__status=ReportStatus.FILED), distinct=True),
        "on_time": Count("reports", filter=Q(reports__on_time=True), distinct=True),
        "addressed": Count("reports", distinct=True),
    }


def recommendation_list(
    *, body: Organization | None = None, body_id: int | None = None, user: Any = None
) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related("meeting", "council").annotate(**_report_counts())
    if not can_manage_council(user):
        qs = qs.filter(meeting__status=MeetingStatus.PUBLISHED)
    if body is not None:
        qs = qs.filter(reports__body=body)
    if body_id is not None:
        qs = qs.filter(reports__body_id=body_id)
    return qs.order_by("-adopted_on", "number")


def recommendation_get(*, pk: int, user: Any = None) -> Recommendation | None:
    """One recommendation with its counts (`filed`, `on_time`, `addressed`), every report (each
    with `overdue`) and the proposals it includes."""
    qs = (
        Recommendation.objects.select_related("meeting", "council")
        .annotate(**_report_counts())
        .prefetch_related(
            Prefetch(
                "reports",
                # ordered by the area's code through a join; the area itself (with its boundary)
                # is never loaded
                queryset=RecommendationReport.objects.select_related("body")
                .annotate(overdue=report_overdue())
                .order_by("body__kind", "body__area__iso_code", "body__name_en"),
            ),
            Prefetch("proposals", queryset=Proposal.objects.select_related("body")),
        )
    )
    if not can_manage_council(user):
        qs = qs.filter(meeting__status=MeetingStatus.PUBLISHED)
    return qs.filter(pk=pk).first()


def reports_of_body(*, body_ids: set[int]) -> QuerySet[RecommendationReport]:
    """A maslikhat's duties to report (published recommendations), pending first, soonest due
    first; each with `overdue`."""
    return (
        RecommendationReport.objects.filter(
            body_id__in=body_ids, recommendation__meeting__status=MeetingStatus.PUBLISHED
        )
        .select_related("recommendation", "recommendation__meeting", "body")
        .annotate(overdue=report_overdue())
        .order_by("-status", "recommendation__due_on", "pk")
    )


def report_get(*, recommendation_id: int, pk: int) -> RecommendationReport | None:
    return (
        RecommendationReport.objects.select_related("recommendation")
        .filter(pk=pk, recommendation_id=recommendation_id)
        .first()
    )
