"""Participation API: initiatives (support counts only, never who), budget processes, projects,
results and implementation; residents support and vote with a bearer token. Adapters only:
reads through `participation.selectors`, writes through `participation.services`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import ErrorCode
from maslikhat.directory.selectors import area_get
from maslikhat.participation import selectors, services
from maslikhat.participation.choices import ImplementationStatus, InitiativeCategory, InitiativeStatus
from maslikhat.participation.models import BudgetProcess, Implementation, Initiative, Project

from .auth import bearer
from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import BodyRef, Code, Id, Out, PageQuery, body_ref

router = Router(tags=["participation"])

LIST_ERRORS: dict[int, Any] = {422: ValidationErrorOut}
DETAIL_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class InitiativeFilters(PageQuery):
    area: Code | None = Field(None, description="code of an area: its initiatives and those below it")
    status: InitiativeStatus | None = None


class InitiativeOut(Out):
    id: int
    body: BodyRef
    area: str
    title: str
    text: str
    category: InitiativeCategory
    status: InitiativeStatus
    moderation_reason: str
    threshold: int | None
    supports_online: int
    supports_paper: int
    support_until: date | None
    reached_on: date | None
    answer_due: date | None
    answered_on: date | None
    overdue: bool
    answer: str
    plan_reference: str
    is_demo: bool


class InitiativePage(Out):
    items: list[InitiativeOut]
    count: int


class SupportOut(Out):
    supported: bool = Field(description="whether the caller supports it now")
    supports_online: int
    supports_paper: int
    status: InitiativeStatus


class ProjectOut(Out):
    id: int
    title: str
    text: str
    object_ref: str
    category: str
    cost: int
    status: str
    review_feasible: bool | None
    review_legal: bool | None
    review_estimate: int | None
    review_reason: str
    votes: int | None = Field(description="after the tally")
    is_winner: bool


class ProcessOut(Out):
    id: int
    body: BodyRef
    area: str
    title: str
    phase: str
    total_amount: int
    cost_limit: int
    max_votes: int
    method: str
    categories: list[str]
    applications_from: date
    applications_until: date
    review_until: date
    revision_until: date
    second_review_until: date
    voting_from: date
    voting_until: date
    tally_until: date
    is_demo: bool


class ProcessPage(Out):
    items: list[ProcessOut]
    count: int


class ProcessDetailOut(ProcessOut):
    projects: list[ProjectOut]


class ResultsOut(Out):
    process_id: int
    tallied_at: datetime
    voters: int
    adult_population: int | None
    turnout_pct: float | None
    spent: int
    share_pct: float | None
    below_min_share: bool
    winners: list[int]
    projects: list[ProjectOut]


class BallotIn(Schema):
    projects: list[Id] = Field(..., max_length=50)


class BallotOut(Out):
    process_id: int
    projects: list[int]


class UpdateOut(Out):
    on: date
    text: str
    progress: int
    spent: int


class ImplementationOut(Out):
    id: int
    title: str
    initiative_id: int | None
    project_id: int | None
    responsible: BodyRef
    status: ImplementationStatus
    progress: int
    spent: int
    updated_at: datetime


class ImplementationPage(Out):
    items: list[ImplementationOut]
    count: int


class ImplementationDetailOut(ImplementationOut):
    updates: list[UpdateOut]


def initiative_out(i: Initiative) -> InitiativeOut:
    today = timezone.localdate()
    return InitiativeOut(
        id=i.pk,
        body=body_ref(i.body),
        area=i.area.code,
        title=i.title,
        text=i.text,
        category=InitiativeCategory(i.category),
        status=InitiativeStatus(i.status),
        moderation_reason=i.moderation_reason,
        threshold=i.threshold,
        supports_online=i.online_supports,
        supports_paper=i.paper_supports,
        support_until=i.support_until,
        reached_on=i.reached_on,
        answer_due=i.answer_due,
        answered_on=i.answered_on,
        overdue=bool(
            i.answer_due
            and (
                (i.answered_on and i.answered_on > i.answer_due)
                or (not i.answered_on and today > i.answer_due)
            )
        ),
        answer=i.answer_text,
        plan_reference=i.plan_reference,
        is_demo=i.is_demo,
    )


def project_out(p: Project, *, tallied: bool) -> ProjectOut:
    return ProjectOut(
        id=p.pk,
        title=p.title,
        text=p.text,
        object_ref=p.object_ref,
        category=p.category,
        cost=p.price,
        status=p.status,
        review_feasible=p.review_feasible,
        review_legal=p.review_legal,
        review_estimate=p.review_estimate,
        review_reason=p.review_reason,
        votes=p.votes if tallied else None,
        is_winner=p.is_winner,
    )


def process_out(p: BudgetProcess) -> dict[str, Any]:
    return {
        "id": p.pk,
        "body": body_ref(p.body),
        "area": p.area.code,
        "title": p.title,
        "phase": services.phase_of(p),
        "total_amount": p.total_amount,
        "cost_limit": p.cost_limit,
        "max_votes": p.max_votes,
        "method": p.method,
        "categories": [str(c) for c in p.categories],
        "applications_from": p.applications_from,
        "applications_until": p.applications_until,
        "review_until": p.review_until,
        "revision_until": p.revision_until,
        "second_review_until": p.second_review_until,
        "voting_from": p.voting_from,
        "voting_until": p.voting_until,
        "tally_until": p.tally_until,
        "is_demo": p.is_demo,
    }


def implementation_out(m: Implementation) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "initiative_id": m.initiative_id,
        "project_id": m.project_id,
        "responsible": body_ref(m.responsible),
        "status": ImplementationStatus(m.status),
        "progress": m.progress,
        "spent": m.spent,
        "updated_at": m.updated_at,
    }


def _initiative(pk: int) -> Initiative:
    i = selectors.initiative_get(pk=pk)
    if i is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No public initiative with this id."))
    return i


def _process(pk: int) -> BudgetProcess:
    p = selectors.process_get(pk=pk)
    if p is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No budget process with this id."))
    return p


@router.get(
    "/participation/initiatives", response={200: InitiativePage, **LIST_ERRORS}, summary="Local initiatives"
)
def participation_initiatives(request: HttpRequest, f: Query[InitiativeFilters]) -> InitiativePage:
    area = area_get(code=f.area) if f.area else None
    if f.area and area is None:
        return InitiativePage(items=[], count=0)
    qs = selectors.initiative_list(area=area, status=f.status)
    return InitiativePage(
        items=[initiative_out(i) for i in qs[f.offset : f.offset + f.limit]], count=qs.count()
    )


@router.get(
    "/participation/initiatives/{initiative_id}",
    response={200: InitiativeOut, **DETAIL_ERRORS},
    summary="One initiative with its support counts (never who supported it)",
)
def participation_initiative(request: HttpRequest, initiative_id: Path[Id]) -> InitiativeOut:
    return initiative_out(_initiative(initiative_id))


def _support_answer(request: HttpRequest, initiative: Initiative) -> SupportOut:
    fresh = _initiative(initiative.pk)
    return SupportOut(
        supported=fresh.support_rows.filter(user=acting_user(request)).exists(),
        supports_online=fresh.online_supports,
        supports_paper=fresh.paper_supports,
        status=InitiativeStatus(fresh.status),
    )


@router.post(
    "/participation/initiatives/{initiative_id}/support",
    response={200: SupportOut, **WRITE_ERRORS},
    auth=bearer,
    summary="Support an initiative (once; a repeat changes nothing). Verified residents of its area.",
)
def participation_support(request: HttpRequest, initiative_id: Path[Id]) -> SupportOut:
    initiative = _initiative(initiative_id)
    services.initiative_support(actor=acting_user(request), initiative=initiative)
    return _support_answer(request, initiative)


@router.post(
    "/participation/initiatives/{initiative_id}/support/withdraw",
    response={200: SupportOut, **WRITE_ERRORS},
    auth=bearer,
    summary="Withdraw one's support while the initiative collects support",
)
def participation_support_withdraw(request: HttpRequest, initiative_id: Path[Id]) -> SupportOut:
    initiative = _initiative(initiative_id)
    services.initiative_withdraw_support(actor=acting_user(request), initiative=initiative)
    return _support_answer(request, initiative)


@router.get(
    "/participation/processes", response={200: ProcessPage, **LIST_ERRORS}, summary="Participatory budgets"
)
def participation_processes(request: HttpRequest, f: Query[PageQuery]) -> ProcessPage:
    qs = selectors.process_list()
    return ProcessPage(
        items=[ProcessOut(**process_out(p)) for p in qs[f.offset : f.offset + f.limit]], count=qs.count()
    )


@router.get(
    "/participation/processes/{process_id}",
    response={200: ProcessDetailOut, **DETAIL_ERRORS},
    summary="One participatory budget with its projects and their expert reviews",
)
def participation_process(request: HttpRequest, process_id: Path[Id]) -> ProcessDetailOut:
    p = _process(process_id)
    tallied = p.tallied_at is not None
    return ProcessDetailOut(
        **process_out(p),
        projects=[project_out(x, tallied=tallied) for x in selectors.project_list(process=p)],
    )


@router.get(
    "/participation/processes/{process_id}/results",
    response={200: ResultsOut, **DETAIL_ERRORS},
    summary="The tally: every admitted project's votes, the winners, turnout",
)
def participation_results(request: HttpRequest, process_id: Path[Id]) -> ResultsOut:
    r = selectors.results(process=_process(process_id))
    if r is None or r.process.tallied_at is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("The votes of this process are not counted yet."))
    return ResultsOut(
        process_id=r.process.pk,
        tallied_at=r.process.tallied_at,
        voters=r.voters,
        adult_population=r.process.adult_population,
        turnout_pct=r.turnout_pct,
        spent=r.spent,
        share_pct=r.share_pct,
        below_min_share=r.below_min_share,
        winners=[p.pk for p in r.winners],
        projects=[project_out(p, tallied=True) for p in r.projects],
    )


@router.post(
    "/participation/processes/{process_id}/ballot",
    response={200: BallotOut, **WRITE_ERRORS},
    auth=bearer,
    summary="Cast or change one's ballot (verified residents; 422 phase_closed outside the vote)",
)
def participation_ballot(request: HttpRequest, process_id: Path[Id], payload: BallotIn) -> BallotOut:
    p = _process(process_id)
    ballot = services.ballot_cast(actor=acting_user(request), process=p, project_ids=payload.projects)
    return BallotOut(process_id=p.pk, projects=sorted(ballot.projects.values_list("pk", flat=True)))


@router.get(
    "/participation/implementation",
    response={200: ImplementationPage, **LIST_ERRORS},
    summary="What became of accepted initiatives and winning projects",
)
def participation_implementations(request: HttpRequest, f: Query[PageQuery]) -> ImplementationPage:
    qs = selectors.implementation_list()
    items = [ImplementationOut(**implementation_out(m)) for m in qs[f.offset : f.offset + f.limit]]
    return ImplementationPage(items=items, count=qs.count())


@router.get(
    "/participation/implementation/{implementation_id}",
    response={200: ImplementationDetailOut, **DETAIL_ERRORS},
    summary="One implementation record with its timeline",
)
def participation_implementation(
    request: HttpRequest, implementation_id: Path[Id]
) -> ImplementationDetailOut:
    m = selectors.implementation_get(pk=implementation_id)
    if m is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No implementation record with this id."))
    return ImplementationDetailOut(
        **implementation_out(m),
        updates=[
            UpdateOut(on=u.on, text=u.text, progress=u.progress, spent=u.spent) for u in m.updates.all()
        ],
    )
