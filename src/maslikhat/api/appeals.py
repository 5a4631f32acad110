"""Appeals API for citizens: submit an appeal, follow it with its token, withdraw, rate, complain;
the kinds and topics to choose from and a body's appeal figures. The staff inbox is `api/inbox.py`,
the bearer token `api/auth.py`.

Adapters only: parse, look up (appeals.selectors), call a service, render. A refusal of a
service (`DomainError`) is not caught here: the API's handler (`api/errors.py`) answers it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import AfterValidator, StringConstraints

from maslikhat.appeals import refdata, selectors, services
from maslikhat.appeals.applicant import Applicant
from maslikhat.appeals.choices import AppealKind
from maslikhat.appeals.limits import submission_attempt
from maslikhat.appeals.models import Appeal
from maslikhat.core.actors import acting_user
from maslikhat.core.errors import ErrorCode, FieldErrors
from maslikhat.core.i18n import all_languages

from .auth import bearer, no_bearer_token
from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import ApiDate, Code, Id, Int64, Text, clean_api_text

router = Router(tags=["appeals"])

# Writes open to everyone act for the signed-in visitor when there is a session: the session's
# writes pass the CSRF check (api/auth.no_bearer_token), as the pages' forms do.
SESSION_OR_ANONYMOUS = [bearer, no_bearer_token]


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


def _citizen_appeal(number: str, token: str) -> Appeal:
    """The appeal when the number and the token match; a 404 otherwise (no way to tell which
    was wrong)."""
    appeal = selectors.appeal_for_citizen(number=number, token=token)
    if appeal is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No appeal with this number and token."))
    return appeal


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
    return [{"code": t.code, "name": all_languages(t, "name")} for t in selectors.topics()]


class RateLimitedOut(Schema):
    code: str
    message: str
    retry_after: int  # seconds


@router.post(
    "/appeals",
    response={201: AppealCreated, 401: ErrorOut, 422: ValidationErrorOut, 429: RateLimitedOut},
    auth=SESSION_OR_ANONYMOUS,
)
def appeal_create(request: HttpRequest, payload: AppealIn) -> Any:
    # One decision with the page (appeals/limits.py): only an accepted appeal keeps its slot.
    with submission_attempt(request) as attempt:
        if not attempt.allowed:
            raise ApiError(429, ErrorCode.RATE_LIMITED, attempt.message, retry_after=attempt.retry_after)
        # the addressee from the in-process reference data (appeals/refdata.py), no query
        body = refdata.body(payload.body_id) if payload.body_id else None
        deputy = selectors.addressee_deputy(pk=payload.deputy_id) if payload.deputy_id else None
        if payload.body_id and body is None:
            raise FieldErrors([("body_id", ErrorCode.NOT_FOUND, _("No such body."))])
        if payload.deputy_id and deputy is None:
            raise FieldErrors([("deputy_id", ErrorCode.NOT_FOUND, _("No such deputy."))])
        # The service is the outermost (durable) transaction: it has committed when it returns,
        # so the 201 below is sent only for an appeal that is stored.
        appeal, token = services.appeal_submit(
            actor=acting_user(request),
            body=body,
            deputy=deputy,
            kind=payload.kind,
            topic_code=payload.topic,
            text=payload.text,
            language=payload.language,
            applicant=Applicant(**payload.applicant.dict()),
            is_public=payload.is_public,
        )
        attempt.accept()
    return Status(201, _created(appeal, token))


@router.get("/appeals/{number}", response={200: AppealCitizenOut, **ERRORS}, auth=None)
def appeal_get(request: HttpRequest, number: Code, token: TokenText = "") -> Any:
    return _citizen_out(_citizen_appeal(number, token))


def _citizen_action(number: str, token: str, run: Any) -> Any:
    result = run(_citizen_appeal(number, token))
    if isinstance(result, HttpResponse | Status):
        return result
    return _citizen_out(_citizen_appeal(number, token))


@router.post("/appeals/{number}/withdraw", response=AppealCitizenOut, auth=SESSION_OR_ANONYMOUS)
def appeal_withdraw(request: HttpRequest, number: Code, payload: TokenIn, token: TokenText = "") -> Any:
    return _citizen_action(
        number,
        payload.token or token,
        lambda a: services.appeal_withdraw(actor=acting_user(request), appeal=a),
    )


@router.post("/appeals/{number}/rating", response=AppealCitizenOut, auth=SESSION_OR_ANONYMOUS)
def appeal_rating(request: HttpRequest, number: Code, payload: RatingIn, token: TokenText = "") -> Any:
    return _citizen_action(
        number,
        payload.token or token,
        lambda a: services.appeal_rate(
            actor=acting_user(request), appeal=a, rating=payload.rating, comment=payload.comment
        ),
    )


@router.post("/appeals/{number}/complaint", response={201: AppealCreated}, auth=SESSION_OR_ANONYMOUS)
def appeal_complaint(request: HttpRequest, number: Code, payload: ComplaintIn, token: TokenText = "") -> Any:
    def run(appeal: Appeal) -> Any:
        complaint, new_token = services.appeal_complain(
            actor=acting_user(request), appeal=appeal, text=payload.text
        )
        return Status(201, _created(complaint, new_token))

    return _citizen_action(number, payload.token or token, run)


@router.get("/bodies/{body_id}/appeal-stats", response={200: FiguresOut, **ERRORS}, auth=None)
def appeal_stats(
    request: HttpRequest,
    body_id: Id,
    start: ApiDate | None = None,
    end: ApiDate | None = None,
) -> Any:
    if not selectors.body_exists(pk=body_id):
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No such body."))
    figures = selectors.body_figures(body_id=body_id, start=start, end=end)
    return {
        "body_id": body_id,
        "period": {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None},
        **figures.__dict__,
    }
