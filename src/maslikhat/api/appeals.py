"""Appeals API: citizens submit and follow appeals; staff work the inbox with a bearer token.

Adapters only: parse, check permission, call a service or selector, render.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, StringConstraints

from maslikhat.appeals import permissions, selectors, services
from maslikhat.appeals.choices import AppealKind
from maslikhat.appeals.limits import submission_attempt
from maslikhat.appeals.models import Appeal, Topic
from maslikhat.core.errors import DomainError, FieldErrors
from maslikhat.core.i18n import all_languages
from maslikhat.directory.models import Organization, Person

from .auth import bearer
from .errors import ErrorOut, ValidationErrorOut
from .schemas import MAX_OFFSET, ApiDate, Code, Id, Int64, SearchText, Text, clean_api_text

router = Router(tags=["appeals"])


def error(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message), **extra}, status=status)


def domain_error(exc: DomainError) -> JsonResponse:
    if isinstance(exc, FieldErrors):
        return error(
            422,
            "validation_error",
            _("Some fields are not valid."),
            errors=[{"field": f, "code": c, "message": str(m)} for f, c, m in exc.errors],
        )
    extra = {"field": exc.field} if exc.field else {}
    return error(exc.status, exc.code, str(exc.message), **extra)


# ------------------------------------------------------------------ schemas


# A tracking token as issued (url-safe base64); bounded, and through the one text rule.
TokenText = Annotated[str, StringConstraints(max_length=100), AfterValidator(clean_api_text)]

ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}


class ApplicantIn(Schema):
    full_name: Text = ""
    iin: Text = ""
    address: Text = ""
    phone: Text = ""
    email: Text = ""


class AppealIn(Schema):
    body_id: Id | None = None
    deputy_id: Id | None = None
    kind: Text
    topic: Text
    text: Text
    language: Text = "kk"
    applicant: ApplicantIn
    is_public: bool = False


class AppealCreated(Schema):
    registration_number: str
    token: str
    status: str
    registered_on: date
    due_on: date
    body_id: int
    tracking_path: str


class EventOut(Schema):
    at: str
    kind: str
    status: str
    text: str


class PublicationOut(Schema):
    # none | requested (awaiting the answer or staff approval) | published
    state: str
    published_at: str | None
    text: str  # the approved texts without personal data (empty until published)
    answer: str


class AppealCitizenOut(Schema):
    registration_number: str
    status: str
    kind: str
    topic: str
    body_id: int
    body_name: str
    deputy_id: int | None
    registered_on: date
    due_on: date
    text: str
    answer: str
    answered_on: date | None
    refusal_reason: str
    forwarded_to_id: int | None
    rating: int | None
    is_public: bool  # the applicant asked for publication (see `publication`)
    publication: PublicationOut
    events: list[EventOut]


class TokenIn(Schema):
    token: TokenText = ""


class RatingIn(Schema):
    token: TokenText = ""
    rating: Int64
    comment: Text = ""


class ComplaintIn(Schema):
    token: TokenText = ""
    text: Text


class ChoiceOut(Schema):
    code: str
    name: dict[str, str]


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


class FiguresOut(Schema):
    body_id: int
    period: dict[str, str | None]
    received: int
    answered: int
    answered_on_time: int
    answered_on_time_pct: float | None
    median_working_days: float | None
    overdue_now: int
    average_rating: float | None
    rated: int
    by_kind: dict[str, int]
    by_topic: dict[str, int]


# ------------------------------------------------------------------ helpers


def _citizen_out(appeal: Appeal) -> dict[str, Any]:
    return {
        "registration_number": appeal.registration_number,
        "status": appeal.status,
        "kind": appeal.kind,
        "topic": appeal.topic.code,
        "body_id": appeal.body_id,
        "body_name": appeal.body.name,
        "deputy_id": appeal.deputy_id,
        "registered_on": appeal.registered_on,
        "due_on": appeal.due_on,
        "text": appeal.text,
        "answer": appeal.answer_text,
        "answered_on": appeal.answered_on,
        "refusal_reason": appeal.refusal_reason,
        "forwarded_to_id": appeal.forwarded_to_id,
        "rating": appeal.rating,
        "is_public": appeal.publication_requested,
        "publication": _publication_out(appeal),
        "events": [
            {"at": e.created_at.isoformat(), "kind": e.kind, "status": e.to_status, "text": e.text}
            for e in appeal.events.all()
            if e.public
        ],
    }


def _publication_out(appeal: Appeal) -> dict[str, Any]:
    return {
        "state": appeal.publication_state,
        "published_at": appeal.published_at.isoformat() if appeal.published_at else None,
        "text": appeal.public_text,
        "answer": appeal.public_answer_text,
    }


def _created(appeal: Appeal, token: str) -> dict[str, Any]:
    return {
        "registration_number": appeal.registration_number,
        "token": token,
        "status": appeal.status,
        "registered_on": appeal.registered_on,
        "due_on": appeal.due_on,
        "body_id": appeal.body_id,
        "tracking_path": f"/{appeal.language}/appeals/{appeal.registration_number}/?token={token}",
    }


def _not_found() -> JsonResponse:
    return error(404, "not_found", _("No appeal with this number and token."))


def _citizen_appeal(number: str, token: str) -> Appeal | None:
    return selectors.appeal_for_citizen(number=number, token=token)


# ------------------------------------------------------------------ public


@router.get("/appeal-kinds", response=list[ChoiceOut], auth=None)
def appeal_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    from django.utils import translation

    out = []
    for value, _label in AppealKind.choices:
        names = {}
        for lang in ("kk", "ru", "en"):
            with translation.override(lang):
                names[lang] = str(AppealKind(value).label)
        out.append({"code": value, "name": names})
    return out


@router.get("/appeal-topics", response=list[ChoiceOut], auth=None)
def appeal_topics(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"code": t.code, "name": all_languages(t, "name")} for t in Topic.objects.filter(is_active=True)]


class RateLimitedOut(Schema):
    code: str
    message: str
    retry_after: int  # seconds


@router.post(
    "/appeals",
    response={201: AppealCreated, 422: ValidationErrorOut, 429: RateLimitedOut},
    auth=None,
)
def appeal_create(request: HttpRequest, payload: AppealIn) -> Any:
    # One decision with the page (appeals/limits.py): only an accepted appeal keeps its slot.
    with submission_attempt(request) as attempt:
        if not attempt.allowed:
            response = error(429, "rate_limited", attempt.message, retry_after=attempt.retry_after)
            response["Retry-After"] = str(attempt.retry_after)
            return response
        body = (
            Organization.objects.select_related("area").filter(pk=payload.body_id).first()
            if payload.body_id
            else None
        )
        deputy = Person.objects.filter(pk=payload.deputy_id).first() if payload.deputy_id else None
        if payload.body_id and body is None:
            return domain_error(FieldErrors([("body_id", "not_found", _("No such body."))]))
        if payload.deputy_id and deputy is None:
            return domain_error(FieldErrors([("deputy_id", "not_found", _("No such deputy."))]))
        try:
            # The service commits before it returns: the 201 is sent only after the commit.
            appeal, token = services.appeal_submit(
                actor=request.user,
                body=body,
                deputy=deputy,
                kind=payload.kind,
                topic_code=payload.topic,
                text=payload.text,
                language=payload.language,
                applicant=payload.applicant.dict(),
                is_public=payload.is_public,
            )
        except DomainError as exc:
            return domain_error(exc)
        attempt.accept()
    return Status(201, _created(appeal, token))


@router.get("/appeals/{number}", response={200: AppealCitizenOut, **ERRORS}, auth=None)
def appeal_get(request: HttpRequest, number: Code, token: TokenText = "") -> Any:
    appeal = _citizen_appeal(number, token)
    return _citizen_out(appeal) if appeal else _not_found()


def _citizen_action(number: str, token: str, run: Any) -> Any:
    appeal = _citizen_appeal(number, token)
    if appeal is None:
        return _not_found()
    try:
        result = run(appeal)
    except DomainError as exc:
        return domain_error(exc)
    if isinstance(result, HttpResponse | Status):
        return result
    return _citizen_out(_citizen_appeal(number, token))  # type: ignore[arg-type]


@router.post("/appeals/{number}/withdraw", response=AppealCitizenOut, auth=None)
def appeal_withdraw(request: HttpRequest, number: Code, payload: TokenIn, token: TokenText = "") -> Any:
    return _citizen_action(
        number, payload.token or token, lambda a: services.appeal_withdraw(actor=request.user, appeal=a)
    )


@router.post("/appeals/{number}/rating", response=AppealCitizenOut, auth=None)
def appeal_rating(request: HttpRequest, number: Code, payload: RatingIn, token: TokenText = "") -> Any:
    return _citizen_action(
        number,
        payload.token or token,
        lambda a: services.appeal_rate(
            actor=request.user, appeal=a, rating=payload.rating, comment=payload.comment
        ),
    )


@router.post("/appeals/{number}/complaint", response={201: AppealCreated}, auth=None)
def appeal_complaint(request: HttpRequest, number: Code, payload: ComplaintIn, token: TokenText = "") -> Any:
    def run(appeal: Appeal) -> Any:
        complaint, new_token = services.appeal_complain(actor=request.user, appeal=appeal, text=payload.text)
        return Status(201, _created(complaint, new_token))

    return _citizen_action(number, payload.token or token, run)


@router.get("/bodies/{body_id}/appeal-stats", response={200: FiguresOut, **ERRORS}, auth=None)
def appeal_stats(
    request: HttpRequest,
    body_id: Id,
    start: ApiDate | None = None,
    end: ApiDate | None = None,
) -> Any:
    if not Organization.objects.filter(pk=body_id).exists():
        return error(404, "not_found", _("No such body."))
    figures = selectors.body_figures(body_id=body_id, start=start, end=end)
    return {
        "body_id": body_id,
        "period": {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None},
        **figures.__dict__,
    }


# ------------------------------------------------------------------ staff


class InboxQuery(Schema):
    status: SearchText | None = None
    kind: SearchText | None = None
    topic: SearchText | None = None
    deputy_id: Id | None = None
    due_within: int | None = Field(None, ge=0, le=100)
    overdue: bool = False
    body_id: Id | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/inbox", response={200: InboxOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}, auth=bearer
)
def inbox(request: HttpRequest, filters: Query[InboxQuery]) -> Any:
    if not permissions.can_use_inbox(request.user):
        return error(403, "forbidden", _("The inbox is for maslikhat staff and deputies."))
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
        ),
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "items": [
            {
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
                "applicant": {
                    "full_name": a.applicant_name,
                    "iin": a.applicant_iin,
                    "address": a.applicant_address,
                    "phone": a.applicant_phone,
                    "email": a.applicant_email,
                },
                "publication_requested": a.publication_requested,
                "published": a.published_at is not None,
            }
            for a in page
        ],
    }


def _staff_action(request: HttpRequest, number: str, can: Any, run: Any) -> Any:
    appeal = Appeal.objects.select_related("body", "topic").filter(registration_number=number).first()
    if appeal is None or not permissions.can_view_appeal(request.user, appeal):
        return error(404, "not_found", _("No such appeal in your inbox."))
    if not can(request.user, appeal):
        return error(403, "forbidden", _("You may not do this with this appeal."))
    try:
        with transaction.atomic():
            result = run(appeal)
    except DomainError as exc:
        return domain_error(exc)
    return {
        "registration_number": result.registration_number,
        "status": result.status,
        "due_on": result.due_on,
    }


@router.post("/appeals/{number}/assign", response=StaffResult, auth=bearer)
def staff_assign(request: HttpRequest, number: Code, payload: AssignIn) -> Any:
    from django.contrib.auth import get_user_model

    def assign(appeal: Appeal) -> Appeal:
        # looked up after the permission check: no one else learns which usernames exist
        assignee = (
            get_user_model().objects.filter(username=payload.username).first()
            if payload.username
            else request.user
        )
        if assignee is None:
            raise FieldErrors([("username", "not_found", _("No such user."))])
        return services.appeal_assign(actor=request.user, appeal=appeal, assignee=assignee)

    return _staff_action(request, number, permissions.can_manage_appeal, assign)


@router.post("/appeals/{number}/start", response=StaffResult, auth=bearer)
def staff_start(request: HttpRequest, number: Code) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_answer_appeal,
        lambda a: services.appeal_start(actor=request.user, appeal=a),
    )


@router.post("/appeals/{number}/answer", response=StaffResult, auth=bearer)
def staff_answer(request: HttpRequest, number: Code, payload: AnswerIn) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_answer_appeal,
        lambda a: services.appeal_answer(actor=request.user, appeal=a, text=payload.text),
    )


@router.post("/appeals/{number}/forward", response=StaffResult, auth=bearer)
def staff_forward(request: HttpRequest, number: Code, payload: ForwardIn) -> Any:
    def forward(appeal: Appeal) -> Appeal:
        # the target is looked up after the permission check: a caller who may not act on the
        # appeal learns nothing about bodies
        target = Organization.objects.filter(pk=payload.body_id).first()
        if target is None:
            raise FieldErrors([("body_id", "not_found", _("No such body."))])
        return services.appeal_forward(
            actor=request.user, appeal=appeal, to_body=target, reason=payload.reason
        )

    return _staff_action(request, number, permissions.can_manage_appeal, forward)


@router.post("/appeals/{number}/extend", response=StaffResult, auth=bearer)
def staff_extend(request: HttpRequest, number: Code, payload: ExtendIn) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_extend(
            actor=request.user, appeal=a, until=payload.until, reason=payload.reason
        ),
    )


@router.post("/appeals/{number}/refuse", response=StaffResult, auth=bearer)
def staff_refuse(request: HttpRequest, number: Code, payload: ReasonIn) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_refuse(actor=request.user, appeal=a, reason=payload.reason),
    )


@router.post("/appeals/{number}/close", response=StaffResult, auth=bearer)
def staff_close(request: HttpRequest, number: Code) -> Any:
    return _staff_action(
        request,
        number,
        permissions.can_manage_appeal,
        lambda a: services.appeal_close(actor=request.user, appeal=a),
    )


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


@router.get(
    "/appeals/{number}/publication",
    response={200: PublicationProposalOut, 403: ErrorOut, 404: ErrorOut},
    auth=bearer,
)
def staff_publication_get(request: HttpRequest, number: Code) -> Any:
    """The publication of an appeal for those who approve it: its state and the texts to approve
    (the product's redaction proposal) or approved."""
    appeal = Appeal.objects.select_related("body").filter(registration_number=number).first()
    if appeal is None or not permissions.can_view_appeal(request.user, appeal):
        return error(404, "not_found", _("No such appeal in your inbox."))
    if not permissions.can_manage_appeal(request.user, appeal):
        return error(403, "forbidden", _("You may not do this with this appeal."))
    can_approve = (
        appeal.publication_requested
        and appeal.status in services.PUBLISHABLE_STATUSES
        and bool(appeal.answer_text)
    )
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
            actor=request.user, appeal=a, text=payload.text, answer_text=payload.answer_text
        ),
    )
