"""Citizen-facing appeal pages: thin adapters over selectors and services."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.directory.models import Organization, Person

from . import followup as followups
from . import permissions, selectors, services
from .choices import AppealKind
from .forms import APPEAL_FIELDS, AppealForm, AttachmentsForm, ComplaintForm, FollowupForm, RatingForm
from .limits import SubmissionAttempt, submission_attempt
from .models import Appeal
from .rules import MAX_TEXT


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


def _typed(request: HttpRequest) -> dict[str, Any]:
    """What the citizen typed, to fill the form again (not validated: "edit", or a 429)."""
    typed: dict[str, Any] = {name: request.POST.get(name, "") for name in APPEAL_FIELDS}
    typed["is_public"] = request.POST.get("is_public") in ("on", "true", "1")
    return typed


def too_many(
    request: HttpRequest,
    attempt: SubmissionAttempt,
    *,
    body: Organization | None,
    deputy: Person | None,
) -> HttpResponse:
    """429: the form again with what the citizen typed (not validated: the limit is there so
    that validation is not hammered) and when to retry, in minutes."""
    form = AppealForm(
        initial={"language": (get_language() or "kk")[:2], **_typed(request)}, body=body, deputy=deputy
    )
    context = {"form": form, "body": body, "deputy": deputy, "limited": attempt}
    response = render(request, "appeals/new.html", context, status=429)
    response["Retry-After"] = str(attempt.retry_after)
    return response


def _form_page(request: HttpRequest, form: AppealForm) -> HttpResponse:
    context = {"form": form, "body": form.body, "deputy": form.deputy, "limit": MAX_TEXT}
    return render(request, "appeals/new.html", context)


def _preview_page(request: HttpRequest, form: AppealForm, files: AttachmentsForm) -> HttpResponse:
    context = {
        "form": form,
        "files": files,
        "body": form.body,
        "deputy": form.deputy,
        "target": form.target,
        "data": form.cleaned_data,
        "kind_label": form.choice_label("kind"),
        "topic_label": form.choice_label("topic"),
        "language_label": form.choice_label("language"),
        "hidden": [(name, form.cleaned_data.get(name, "")) for name in APPEAL_FIELDS if name != "is_public"],
    }
    return render(request, "appeals/preview.html", context)


@never_cache  # the citizen's own data (the preview shows the IIN): never kept by a cache
def new(request: HttpRequest) -> HttpResponse:
    """Write (GET), preview (POST: nothing is stored), edit (POST step=edit: the form again with
    what was typed) and confirm (POST step=confirm, with the attachments: the appeal is sent).
    Every rule is the service's, on the preview and again on the confirmation."""
    body, deputy = _target(request)
    if body is None and deputy is None:
        raise Http404
    language = (get_language() or "kk")[:2]
    if request.method != "POST":
        initial = {"language": language, "kind": AppealKind.APPLICATION}
        return _form_page(request, AppealForm(initial=initial, body=body, deputy=deputy))
    step = request.POST.get("step", "preview")
    if step == "edit":
        return _form_page(request, AppealForm(initial=_typed(request), body=body, deputy=deputy))
    form = AppealForm(request.POST, body=body, deputy=deputy)
    # Only an accepted appeal keeps its slot of the hourly limit; a form with errors, or a
    # preview, gives it back (see appeals/limits.py).
    with submission_attempt(request) as attempt:
        if not attempt.allowed:
            return too_many(request, attempt, body=body, deputy=deputy)
        if not form.is_valid():
            return _form_page(request, form)
        files = AttachmentsForm(request.POST, request.FILES) if step == "confirm" else AttachmentsForm()
        if step != "confirm" or not files.is_valid():
            return _preview_page(request, form, files)
        try:
            appeal, token = services.appeal_submit(
                actor=acting_user(request),
                body=body,
                deputy=deputy,
                files=files.cleaned_data["attachments"],
                **form.submission(),
            )
        except FieldErrors as exc:
            for field, _code, message in exc.errors:
                files.add_error("attachments" if field == "attachments" else None, str(message))
            return _preview_page(request, form, files)
        attempt.accept()
        return HttpResponseRedirect(_track_url(appeal, token) + "&new=1")


def _citizen_appeal(request: HttpRequest, number: str) -> tuple[Appeal, str]:
    token = request.POST.get("token") or request.GET.get("token") or ""
    appeal = selectors.appeal_for_citizen(number=number, token=token)
    if appeal is None:
        raise Http404
    return appeal, token


@never_cache
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
        # the follow-up question two weeks after the answer (or the due date)
        "can_followup": followups.can_answer_followup(appeal),
        "followup_answer": followups.answer_of(appeal),
        "followup_form": FollowupForm(),
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


@never_cache
@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """First a page that asks for confirmation (it cannot be undone); `confirm=1` withdraws."""
    if request.POST.get("confirm") != "1":
        appeal, token = _citizen_appeal(request, number)
        if permissions.can_withdraw(appeal):
            return render(request, "appeals/withdraw.html", {"appeal": appeal, "token": token})
    return _action(request, number, lambda a: services.appeal_withdraw(actor=acting_user(request), appeal=a))


@never_cache
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """The chosen rating is shown back for confirmation (it cannot be changed and feeds the
    public scorecard); `confirm=1` records it, `step=change` returns to the choice."""
    form = RatingForm(request.POST)
    confirmed = request.POST.get("confirm") == "1"

    def run(appeal: Appeal) -> Any:
        if not permissions.can_rate(appeal) or (confirmed and form.is_valid()):
            data: dict[str, Any] = form.cleaned_data if form.is_valid() else {"rating": None, "comment": ""}
            return services.appeal_rate(
                actor=acting_user(request),
                appeal=appeal,
                rating=data["rating"],
                comment=data["comment"],
            )
        token = request.POST.get("token", "")
        changing = request.POST.get("step") == "change"
        shown = RatingForm(initial=request.POST.dict()) if changing else form
        confirming = not changing and form.is_valid()
        context = {"appeal": appeal, "token": token, "form": shown, "confirming": confirming}
        return render(request, "appeals/rate.html", context)

    return _action(request, number, run)


@never_cache
def followup(request: HttpRequest, number: str) -> HttpResponse:
    """The follow-up question, opened with the emailed key or the tracking token; a POST
    records the answer (once) and shows the page again."""
    token = request.POST.get("token") or request.GET.get("token") or ""
    appeal = followups.appeal_for_followup(number=number, token=token)
    if appeal is None:
        raise Http404
    form = FollowupForm(request.POST or None)
    if request.method == "POST":
        try:
            form.is_valid()
            followups.followup_answer(
                actor=acting_user(request), appeal=appeal, answer=form.cleaned_data.get("answer") or ""
            )
        except FieldErrors as exc:
            form.add_error("answer", str(exc.errors[0][2]))
        except DomainError as exc:
            context = {"appeal": appeal, "token": token, "message": exc.message}
            return render(request, "appeals/error.html", context, status=exc.status)
        else:
            path = reverse("appeals:followup", kwargs={"number": appeal.registration_number})
            return HttpResponseRedirect(f"{path}?{urlencode({'token': token})}")
    context = {
        "appeal": appeal,
        "token": token,
        "form": form,
        "open": followups.can_answer_followup(appeal),
        "answer": followups.answer_of(appeal),
    }
    return render(request, "appeals/followup.html", context)


@never_cache
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


@never_cache
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
