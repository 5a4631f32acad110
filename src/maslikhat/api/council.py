"""National council API: meetings, proposals from maslikhats, recommendations and who reported.

Read-only. Anonymous callers get the public record; a caller identified by a bearer token (or a
session) who works for the council also sees draft meetings, and the proposing and co-signing
maslikhats and the council see a proposal's internal notes. A bearer token is optional, but one
that is presented must be valid: the one bearer authentication of the API (`auth.bearer`) answers
a bad one with the same 401 as on every other router. Adapters only: reads go through
`council.selectors`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router

from maslikhat.core.errors import ErrorCode
from maslikhat.council import selectors
from maslikhat.council.choices import MeetingKind, MeetingStatus, ParticipantRole, PolicyArea, ProposalStatus
from maslikhat.council.models import Meeting, Proposal, Recommendation

from .auth import bearer, no_bearer_token
from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import BodyRef, Id, Names, Out, PageQuery, body_ref, names

# `bearer` sets request.user to the token's account; without a token it stays the session's.
router = Router(tags=["council"], auth=[bearer, no_bearer_token])

LIST_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut}
DETAIL_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


# ------------------------------------------------------------------ schemas


class MeetingFilters(PageQuery):
    council: Id | None = Field(None, description="id of a national council (the Senate's or its successor)")


class ProposalFilters(PageQuery):
    status: ProposalStatus | None = None
    body: Id | None = Field(None, description="id of a maslikhat: proposals it made or co-signed")


class RecommendationFilters(PageQuery):
    body: Id | None = Field(None, description="id of a maslikhat: recommendations addressed to it")


class MeetingOut(Out):
    id: int
    council: BodyRef
    kind: MeetingKind
    status: MeetingStatus
    held_on: date
    title: Names
    place: Names
    chair_id: int | None = Field(description="id of the person who chaired it, when recorded")
    chair_title: Names
    published_at: datetime | None
    recommendation_count: int
    is_demo: bool


class ParticipantOut(Out):
    person_id: int | None
    name: str
    body: BodyRef | None
    role: ParticipantRole


class DocumentOut(Out):
    id: int
    title: str
    kind: str
    size: int
    url: str


class ReportOut(Out):
    body: BodyRef
    status: str
    filed_on: date | None
    on_time: bool | None
    text: str


class RecommendationOut(Out):
    id: int
    council: BodyRef
    meeting_id: int
    number: int
    title: Names
    text: Names
    adopted_on: date
    due_on: date
    addressed_to_all: bool
    addressed: int = Field(description="maslikhats that owe a report")
    filed: int = Field(description="reports filed")
    filed_on_time: int = Field(description="reports filed by the due date")
    is_demo: bool


class RecommendationDetailOut(RecommendationOut):
    reports: list[ReportOut]
    proposal_ids: list[int]


class MeetingDetailOut(MeetingOut):
    summary: Names
    minutes: Names
    outcomes: Names
    agenda: list[Names]
    participants: list[ParticipantOut]
    documents: list[DocumentOut]
    recommendations: list[RecommendationOut]
    proposal_ids: list[int]
    source: str


class EventOut(Out):
    at: datetime
    kind: str
    to_status: str
    text: str
    public: bool


class ProposalOut(Out):
    id: int
    council: BodyRef
    body: BodyRef
    backer_count: int
    title: str
    text: str
    language: str
    policy_area: PolicyArea
    law_concerned: str
    status: ProposalStatus
    submitted_on: date
    agenda_meeting_id: int | None
    recommendation_id: int | None
    decline_reason: str
    sent_to: str
    sent_on: date | None
    outcome_note: str
    is_demo: bool


class ProposalDetailOut(ProposalOut):
    backers: list[BodyRef]
    events: list[EventOut] = Field(description="public steps; internal notes only for those who may see them")


class MeetingPage(Out):
    items: list[MeetingOut]
    count: int


class ProposalPage(Out):
    items: list[ProposalOut]
    count: int


class RecommendationPage(Out):
    items: list[RecommendationOut]
    count: int


# ------------------------------------------------------------------ mapping (no queries)


def meeting_out(m: Meeting, **extra: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "council": body_ref(m.council),
        "kind": MeetingKind(m.kind),
        "status": MeetingStatus(m.status),
        "held_on": m.held_on,
        "title": names(m, "title"),
        "place": names(m, "place"),
        "chair_id": m.chair_id,
        "chair_title": names(m, "chair_title"),
        "published_at": m.published_at,
        "is_demo": m.is_demo,
        **extra,
    }


def recommendation_out(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "council": body_ref(r.council),
        "meeting_id": r.meeting_id,
        "number": r.number,
        "title": names(r, "title"),
        "text": names(r, "text"),
        "adopted_on": r.adopted_on,
        "due_on": r.due_on,
        "addressed_to_all": r.addressed_to_all,
        "addressed": r.addressed,  # type: ignore[attr-defined]
        "filed": r.filed,  # type: ignore[attr-defined]
        "filed_on_time": getattr(r, "on_time", 0),
        "is_demo": r.is_demo,
    }


def proposal_out(p: Proposal, **extra: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "council": body_ref(p.council),
        "body": body_ref(p.body),
        "backer_count": getattr(p, "backer_count", 0),
        "title": p.title,
        "text": p.text,
        "language": p.language,
        "policy_area": PolicyArea(p.policy_area),
        "law_concerned": p.law_concerned,
        "status": ProposalStatus(p.status),
        "submitted_on": p.submitted_on,
        "agenda_meeting_id": p.agenda_meeting_id,
        "recommendation_id": p.recommendation_id,
        "decline_reason": p.decline_reason,
        "sent_to": p.sent_to,
        "sent_on": p.sent_on,
        "outcome_note": p.outcome_note,
        "is_demo": p.is_demo,
        **extra,
    }


# ------------------------------------------------------------------ endpoints


@router.get(
    "/council/meetings",
    response={200: MeetingPage, **LIST_ERRORS},
    summary="Meetings of the national council",
)
def meetings(request: HttpRequest, f: Query[MeetingFilters]) -> MeetingPage:
    qs = selectors.meeting_list(user=request.user, council_id=f.council)
    items = [
        MeetingOut(**meeting_out(m, recommendation_count=getattr(m, "recommendation_count", 0)))
        for m in qs[f.offset : f.offset + f.limit]
    ]
    return MeetingPage(items=items, count=qs.count())


@router.get(
    "/council/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **DETAIL_ERRORS},
    summary="One meeting: agenda, participants, documents, recommendations",
)
def meeting_detail(request: HttpRequest, meeting_id: Path[Id]) -> MeetingDetailOut:
    m = selectors.meeting_get(pk=meeting_id, user=request.user)
    if m is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No published meeting with this id."))
    recs = list(m.recommendations.all())
    return MeetingDetailOut(
        **meeting_out(m, recommendation_count=len(recs)),
        summary=names(m, "summary"),
        minutes=names(m, "minutes"),
        outcomes=names(m, "outcomes"),
        agenda=[names(a, "title") for a in m.agenda_items.all()],
        participants=[
            ParticipantOut(
                person_id=p.person_id,
                name=p.display_name,
                body=body_ref(p.organization) if p.organization else None,
                role=ParticipantRole(p.role),
            )
            for p in m.participants.all()
        ],
        documents=[
            DocumentOut(
                id=d.pk,
                title=d.title,
                kind=d.kind,
                size=d.size,
                url=f"/{request.LANGUAGE_CODE}/council/meetings/{m.pk}/documents/{d.pk}/",
            )
            for d in m.documents.all()
        ],
        recommendations=[RecommendationOut(**recommendation_out(r)) for r in recs],
        proposal_ids=[p.pk for p in m.proposals.all()],
        source=m.source,
    )


@router.get(
    "/council/proposals",
    response={200: ProposalPage, **LIST_ERRORS},
    summary="Proposals from maslikhats to the national council and their fate",
)
def proposals(request: HttpRequest, f: Query[ProposalFilters]) -> ProposalPage:
    body = selectors.organization_get(pk=f.body)
    if f.body is not None and body is None:
        return ProposalPage(items=[], count=0)
    qs = selectors.proposal_list(status=f.status, body=body)
    items = [ProposalOut(**proposal_out(p)) for p in qs[f.offset : f.offset + f.limit]]
    return ProposalPage(items=items, count=qs.count())


@router.get(
    "/council/proposals/{proposal_id}",
    response={200: ProposalDetailOut, **DETAIL_ERRORS},
    summary="One proposal with its history",
)
def proposal_detail(request: HttpRequest, proposal_id: Path[Id]) -> ProposalDetailOut:
    p, _internal = selectors.proposal_get(pk=proposal_id, user=request.user)
    if p is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No proposal with this id."))
    backers = [body_ref(b.body) for b in p.backers.all()]
    return ProposalDetailOut(
        **proposal_out(p, backer_count=len(backers)),
        backers=backers,
        events=[
            EventOut(at=e.created_at, kind=e.kind, to_status=e.to_status, text=e.text, public=e.public)
            for e in p.visible_events  # type: ignore[attr-defined]
        ],
    )


@router.get(
    "/council/recommendations",
    response={200: RecommendationPage, **LIST_ERRORS},
    summary="Recommendations of the national council with how many maslikhats reported",
)
def recommendations(request: HttpRequest, f: Query[RecommendationFilters]) -> RecommendationPage:
    qs = selectors.recommendation_list(user=request.user, body_id=f.body)
    items = [RecommendationOut(**recommendation_out(r)) for r in qs[f.offset : f.offset + f.limit]]
    return RecommendationPage(items=items, count=qs.count())


@router.get(
    "/council/recommendations/{recommendation_id}",
    response={200: RecommendationDetailOut, **DETAIL_ERRORS},
    summary="One recommendation and every addressed maslikhat's report",
)
def recommendation_detail(request: HttpRequest, recommendation_id: Path[Id]) -> RecommendationDetailOut:
    r = selectors.recommendation_get(pk=recommendation_id, user=request.user)
    if r is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No published recommendation with this id."))
    reports = list(r.reports.all())
    return RecommendationDetailOut(
        **recommendation_out(r),
        reports=[
            ReportOut(
                body=body_ref(x.body), status=x.status, filed_on=x.filed_on, on_time=x.on_time, text=x.text
            )
            for x in reports
        ],
        proposal_ids=[p.pk for p in r.proposals.all()],
    )
