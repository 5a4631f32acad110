"""Citizen-facing appeal pages: thin adapters over selectors and services."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.directory.models import Organization, Person

from . import permissions, selectors, services
from .applicant import Applicant
from .error_codes import AppealErrorCode
from .forms import AppealForm, ComplaintForm, RatingForm
from .limits import SubmissionAttempt, submission_attempt
from .models import Appeal


def _track_url(appeal: Appeal, token: str) -> str:
    return reverse("appeals:track", kwargs={"number": appeal.registration_number}) + f"?token={token}"


def _target(request: HttpRequest) -> tuple[Organization | None, Person | None]:
    body_id, deputy_id = request.GET.get("body", ""), request.GET.get("deputy", "")
    body = deputy = None
    if body_id.isdigit():
        body = selectors.addressee_body(pk=int(body_id), maslikhat_only=True)
    if deputy_id.isdigit():
        deputy = selectors.addressee_deputy(pk=int(deputy_id))
    return body, deputy


def too_many(
    request: HttpRequest,
    attempt: SubmissionAttempt,
    *,
    body: Organization | None,
    deputy: Person | None,
) -> HttpResponse:
    """429: the form again with what the citizen typed (not validated: the limit is there so
    that validation is not hammered) and when to retry, in minutes."""
    typed = {name: value for name, value in request.POST.items() if name != "attachments"}
    form = AppealForm(initial={"language": (get_language() or "kk")[:2], **typed})
    context = {"form": form, "body": body, "deputy": deputy, "limited": attempt}
    response = render(request, "appeals/new.html", context, status=429)
    response["Retry-After"] = str(attempt.retry_after)
    return response


def new(request: HttpRequest) -> HttpResponse:
    body, deputy = _target(request)
    if body is None and deputy is None:
        raise Http404
    form = AppealForm(
        request.POST or None, request.FILES or None, initial={"language": (get_language() or "kk")[:2]}
    )
    if request.method == "POST":
        # Only an accepted appeal keeps its slot of the hourly limit; a form with errors gives
        # it back (see appeals/limits.py).
        with submission_attempt(request) as attempt:
            if not attempt.allowed:
                return too_many(request, attempt, body=body, deputy=deputy)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    appeal, token = services.appeal_submit(
                        actor=acting_user(request),
                        body=body,
                        deputy=deputy,
                        kind=data["kind"],
                        topic_code=data["topic"],
                        text=data["text"],
                        language=data["language"],
                        applicant=Applicant.of(data),
                        files=data["attachments"],
                        is_public=data["is_public"],
                    )
                except FieldErrors as exc:
                    form.add_service_errors(exc.errors)
                else:
                    attempt.accept()
                    return HttpResponseRedirect(_track_url(appeal, token) + "&new=1")
    return render(request, "appeals/new.html", {"form": form, "body": body, "deputy": deputy})


def _citizen_appeal(request: HttpRequest, number: str) -> tuple[Appeal, str]:
    token = request.POST.get("token") or request.GET.get("token") or ""
    appeal = selectors.appeal_for_citizen(number=number, token=token)
    if appeal is None:
        raise Http404
    return appeal, token


def track(request: HttpRequest, number: str) -> HttpResponse:
    appeal, token = _citizen_appeal(request, number)
    context: dict[str, Any] = {
        "appeal": appeal,
        "token": token,
        "is_new": request.GET.get("new") == "1",
        "events": [e for e in appeal.events.all() if e.public],
        "attachments": [a for a in appeal.attachments.all() if not a.is_answer],
        "answer_attachments": [a for a in appeal.attachments.all() if a.is_answer],
        # the buttons follow the services' own rules
        "can_withdraw": permissions.can_withdraw(appeal),
        "can_rate": permissions.can_rate(appeal),
        "can_complain": permissions.can_complain(appeal),
        "rating_form": RatingForm(),
        "complaint_form": ComplaintForm(),
        "working_days_left": selectors.working_days_left(appeal),
        # a request already made can always be withdrawn
        "can_publish": appeal.publication_requested or permissions.can_request_publication(appeal),
    }
    return render(request, "appeals/track.html", context)


def _action(request: HttpRequest, number: str, run: Any) -> HttpResponse:
    appeal, token = _citizen_appeal(request, number)
    try:
        result = run(appeal)
    except DomainError as exc:
        return render(
            request,
            "appeals/error.html",
            {"appeal": appeal, "token": token, "message": exc.message},
            status=exc.status,
        )
    if isinstance(result, HttpResponse):
        return result
    return HttpResponseRedirect(_track_url(appeal, token))


@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    return _action(request, number, lambda a: services.appeal_withdraw(actor=acting_user(request), appeal=a))


@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    form = RatingForm(request.POST)

    def run(appeal: Appeal) -> Any:
        if not form.is_valid():
            raise FieldErrors([("rating", AppealErrorCode.OUT_OF_RANGE, _("Rate the answer from 1 to 5."))])
        return services.appeal_rate(
            actor=acting_user(request),
            appeal=appeal,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )

    return _action(request, number, run)


@require_POST
def publish(request: HttpRequest, number: str) -> HttpResponse:
    """Ask for publication (public=1) or withdraw the request (public=0); the public version
    appears only once staff approve its redacted texts after the answer."""
    requested = request.POST.get("public") == "1"
    return _action(
        request,
        number,
        lambda a: services.appeal_publication_request(
            actor=acting_user(request), appeal=a, requested=requested
        ),
    )


@require_POST
def complain(request: HttpRequest, number: str) -> HttpResponse:
    form = ComplaintForm(request.POST)

    def run(appeal: Appeal) -> Any:
        if not form.is_valid():
            raise FieldErrors([("text", ErrorCode.REQUIRED, _("Write what is wrong with the answer."))])
        complaint, token = services.appeal_complain(
            actor=acting_user(request), appeal=appeal, text=form.cleaned_data["text"]
        )
        return HttpResponseRedirect(_track_url(complaint, token) + "&new=1")

    return _action(request, number, run)


def attachment(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    """A file of the appeal, for the citizen (token) or for those handling it."""
    from .permissions import can_view_appeal

    token = request.GET.get("token", "")
    appeal = selectors.appeal_for_citizen(number=number, token=token) if token else None
    if appeal is None:
        candidate = selectors.appeal_for_staff(number=number)
        if candidate is None or not can_view_appeal(request.user, candidate):
            raise Http404
        appeal = candidate
    att = appeal.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.original_name, content_type=att.content_type
    )
