"""Appeals API for those handling them (bearer token, `api/auth.py`): the inbox, the workflow
actions on one appeal, and the approval of its public version.

Adapters only: parse, look up (appeals.selectors), check the permission (appeals.permissions),
call a service, render. A refusal of a service (`DomainError`) is not caught here: the API's
handler (`api/errors.py`) answers it. The services commit their own transaction.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from maslikhat.appeals import permissions, selectors, services
from maslikhat.appeals.models import Appeal
from maslikhat.core.actors import acting_user
from maslikhat.core.errors import ErrorCode, FieldErrors

from .appeals import ApplicantIn
from .auth import bearer
from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import MAX_OFFSET, ApiDate, Code, Id, SearchText, Text

router = Router(tags=["appeals"])


# ------------------------------------------------------------------ schemas


class InboxQuery(Schema):
    status: SearchText | None = None
    kind: SearchText | None = None
    topic: SearchText | None = None
    deputy_id: Id | None = None
    due_within: int | None = Field(None, ge=0, le=100)
    overdue: bool = False
    body_id: Id | None = None
    # as on the staff page: open, closed or all appeals; a number or the applicant's name; the order
    state: Literal["open", "closed", "all"] = "all"
    q: SearchText | None = None
    sort: Literal["due", "-due", "received", "-received", "number", "-number"] = "due"
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class InboxItem(Schema):
    registration_number: str
    status: str
    kind: str
    topic: str
    body_id: int
    deputy_id: int | None
    assignee: str | None
    registered_on: date
    due_on: date
    working_days_left: int | None
    text: str
    applicant: ApplicantIn
    # the answer will be public once staff approve its redacted version
    publication_requested: bool
    published: bool


class InboxOut(Schema):
    items: list[InboxItem]
    count: int


class AssignIn(Schema):
    username: Text | None = None


class AnswerIn(Schema):
    text: Text


class ForwardIn(Schema):
    body_id: Id
    reason: Text


class ExtendIn(Schema):
    until: ApiDate
    reason: Text


class ReasonIn(Schema):
    reason: Text


class StaffResult(Schema):
    registration_number: str
    status: str
    due_on: date


class PublicationIn(Schema):
    text: Text
    answer_text: Text


class PublicationProposalOut(Schema):
    registration_number: str
    state: str  # none | requested | published
    can_approve: bool  # requested and answered
    published_at: str | None
    # the approved texts once published, else (when it can be approved) the proposed redaction
    text: str
    answer_text: str


# ------------------------------------------------------------------ helpers


def _inbox_item(a: Appeal) -> dict[str, Any]:
    return {
        "registration_number": a.registration_number,
        "status": a.status,
        "kind": a.kind,
        "topic": a.topic.code,
        "body_id": a.body_id,
        "deputy_id": a.deputy_id,
        "assignee": a.assignee.username if a.assignee else None,
        "registered_on": a.registered_on,
        "due_on": a.due_on,
        "working_days_left": selectors.working_days_left(a),
        "text": a.text,
        "applicant": asdict(a.applicant),
        "publication_requested": a.publication_requested,
        "published": a.published_at is not None,
    }


def _appeal_for(request: HttpRequest, number: str, can: Any) -> Appeal:
    """The appeal when the caller may see it (404 otherwise: no one learns which numbers exist)
    and may do this with it (403)."""
    appeal = selectors.appeal_for_staff(number=number)
    if appeal is None or not permissions.can_view_appeal(request.user, appeal):
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No such appeal in your inbox."))
    if not can(request.user, appeal):
        raise ApiError(403, ErrorCode.FORBIDDEN, _("You may not do this with this appeal."))
    return appeal


def _staff_action(request: HttpRequest, number: str, can: Any, run: Any) -> dict[str, Any]:
    result = run(_appeal_for(request, number, can))
    return {
        "registration_number": result.registration_number,
        "status": result.status,
        "due_on": result.due_on,
    }


# ------------------------------------------------------------------ endpoints


@router.get(
    "/inbox", response={200: InboxOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}, auth=bearer
)
def inbox(request: HttpRequest, filters: Query[InboxQuery]) -> Any:
    if not permissions.can_use_inbox(request.user):
        raise ApiError(403, ErrorCode.FORBIDDEN, _("The inbox is for maslikhat staff and deputies."))
    qs = selectors.inbox(
        user=request.user,
        filters=selectors.InboxFilters(
            status=filters.status,
            kind=filters.kind,
            topic=filters.topic,
            deputy_id=filters.deputy_id,
            due_within=filters.due_within,
            overdue=filters.overdue,
            body_id=filters.body_id,
            state=filters.state,
            q=(filters.q or "").strip()[:50] or None,
            sort=filters.sort,
        ),
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_inbox_item(a) for a in page]}


@router.post("/appeals/{number}/assign", response=StaffResult, auth=bearer)
def staff_assign(request: HttpRequest, number: Code, payload: AssignIn) -> Any:
    def assign(appeal: Appeal) -> Appeal:
        # looked up after the permission check: no one else learns which usernames exist
        assignee = selectors.user_get(username=payload.username) if payload.username else request.user
        if assignee is None:
            raise FieldErrors([("username", ErrorCode.NOT_FOUND, _("No such user."))])
        return services.appeal_assign(actor=acting_user(request), appeal=appeal, assignee=assignee)

    return _staff_action(request, number, permissions.can_manage_appeal, assign)


@router.post("/appeals/{number}/start", response=StaffResult, auth=bearer)
def staff_start(request: HttpRequest, number: Code) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_answer_appeal,
        lambda a: services.appeal_start(actor=acting_user(request), appeal=a),
    )


@router.post("/appeals/{number}/answer", response=StaffResult, auth=bearer)
def staff_answer(request: HttpRequest, number: Code, payload: AnswerIn) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_answer_appeal,
        lambda a: services.appeal_answer(actor=acting_user(request), appeal=a, text=payload.text),
    )


@router.post("/appeals/{number}/forward", response=StaffResult, auth=bearer)
def staff_forward(request: HttpRequest, number: Code, payload: ForwardIn) -> Any:
    def forward(appeal: Appeal) -> Appeal:
        # the target is looked up after the permission check: a caller who may not act on the
        # appeal learns nothing about bodies
        target = selectors.addressee_body(pk=payload.body_id)
        if target is None:
            raise FieldErrors([("body_id", ErrorCode.NOT_FOUND, _("No such body."))])
        return services.appeal_forward(
            actor=acting_user(request), appeal=appeal, to_body=target, reason=payload.reason
        )

    return _staff_action(request, number, permissions.can_manage_appeal, forward)


@router.post("/appeals/{number}/extend", response=StaffResult, auth=bearer)
def staff_extend(request: HttpRequest, number: Code, payload: ExtendIn) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_extend(
            actor=acting_user(request), appeal=a, until=payload.until, reason=payload.reason
        ),
    )


@router.post("/appeals/{number}/refuse", response=StaffResult, auth=bearer)
def staff_refuse(request: HttpRequest, number: Code, payload: ReasonIn) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_refuse(actor=acting_user(request), appeal=a, reason=payload.reason),
    )


@router.post("/appeals/{number}/close", response=StaffResult, auth=bearer)
def staff_close(request: HttpRequest, number: Code) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_close(actor=acting_user(request), appeal=a),
    )


@router.get(
    "/appeals/{number}/publication",
    response={200: PublicationProposalOut, 403: ErrorOut, 404: ErrorOut},
    auth=bearer,
)
def staff_publication_get(request: HttpRequest, number: Code) -> Any:
    """The publication of an appeal for those who approve it: its state and the texts to approve
    (the product's redaction proposal) or approved."""
    appeal = _appeal_for(request, number, permissions.can_manage_appeal)
    can_approve = permissions.can_approve_publication(appeal)
    text = answer = ""
    if appeal.published_at is not None:
        text, answer = appeal.public_text, appeal.public_answer_text
    elif can_approve:
        text, answer = services.publication_proposal(appeal)
    return {
        "registration_number": appeal.registration_number,
        "state": appeal.publication_state,
        "can_approve": can_approve,
        "published_at": appeal.published_at.isoformat() if appeal.published_at else None,
        "text": text,
        "answer_text": answer,
    }


@router.post("/appeals/{number}/publication", response=StaffResult, auth=bearer)
def staff_publication(request: HttpRequest, number: Code, payload: PublicationIn) -> Any:
    """Approve the redacted texts (edited from the proposal): they become the public version."""
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_publication_approve(
            actor=acting_user(request), appeal=a, text=payload.text, answer_text=payload.answer_text
        ),
    )
