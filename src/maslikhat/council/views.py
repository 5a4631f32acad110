"""Pages of the national council: the public record (meetings, recommendations and who reported,
proposals and their fate) and the working pages of council staff and maslikhats. Adapters only:
parse, check permission, call a service or selector, render."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.core.i18n import CONTENT_LANGUAGES
from maslikhat.core.uploads import UploadLike
from maslikhat.directory.models import Organization

from . import permissions, selectors, services
from .choices import (
    MEETING_TRANSITIONS,
    OUTCOME_STATUSES,
    PROPOSAL_TRANSITIONS,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    PolicyArea,
    ProposalStatus,
    SentTo,
)
from .error_codes import CouncilErrorCode

# The source lines of the real history (council.history) as catalogue entries: the meeting page
# shows `{% translate meeting.source %}`, so each reader sees the line in their language.
TRANSLATED_SOURCES = (
    gettext_noop(
        "Senate of the Parliament of the Republic of Kazakhstan, press release on the extended "
        "meeting of the Council on Interaction with Maslikhats, 19 October 2022 (summarised in "
        "the project's own words)"
    ),
)


def _texts(post: Any, field: str) -> dict[str, str]:
    return {code: post.get(f"{field}_{code}", "") for code in CONTENT_LANGUAGES}


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldErrors(
            [(field, CouncilErrorCode.INVALID_DATE, _("Enter a date as YYYY-MM-DD."))]
        ) from None


def _ids(post: Any, field: str) -> list[int]:
    return [int(i) for i in post.getlist(field) if i.isdigit()]


def _agenda(post: Any) -> list[dict[str, str]]:
    """Agenda items, one per line, in the language the form says they are written in."""
    language = post.get("agenda_language", "ru")
    if language not in CONTENT_LANGUAGES:
        language = "ru"
    return [{language: line} for line in post.get("agenda", "").splitlines() if line.strip()]


# ---------------------------------------------------------------- public record


def index(request: HttpRequest) -> HttpResponse:
    council = selectors.council_in_force()
    meetings = list(selectors.meeting_list(user=request.user)[:20])
    context = {
        "council": council,
        "meetings": meetings,
        "recommendations": list(selectors.recommendation_list(user=request.user)[:10]),
        "proposals": list(selectors.proposal_list()[:10]),
        "counts": selectors.proposal_counts(),
        "can_manage": permissions.can_manage_council(request.user),
        "acting": bool(permissions.acting_body_ids(request.user) - {council.pk if council else 0}),
    }
    return render(request, "council/index.html", context)


def meeting(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.meeting_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    can_manage = permissions.can_manage_council(request.user)
    context: dict[str, Any] = {
        "meeting": obj,
        "participants": list(obj.participants.all()),
        "can_manage": can_manage,
        "can_edit": can_manage and obj.status != MeetingStatus.CANCELLED,
        "can_publish": can_manage and MeetingStatus.PUBLISHED in MEETING_TRANSITIONS[obj.status],
        "error": error,
        "document_kinds": DocumentKind.choices,
    }
    if can_manage:
        context["includable"] = list(selectors.includable_proposals(council=obj.council))
        context["regional"] = selectors.maslikhats_in_force(obj.held_on, regional_only=True)
        context["all_maslikhats"] = selectors.maslikhats_in_force(obj.held_on)
    return render(request, "council/meeting.html", context, status=status)


def meeting_document(request: HttpRequest, pk: int, doc_id: int) -> FileResponse:
    doc = selectors.meeting_document_get(meeting_id=pk, pk=doc_id)
    if doc is None or not permissions.can_view_meeting(request.user, doc.meeting):
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])


def recommendations(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.recommendation_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "council/recommendations.html", {"page": page})


def recommendation(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    rec = selectors.recommendation_get(pk=pk, user=request.user)
    if rec is None:
        raise Http404
    reports = list(rec.reports.all())  # each with `overdue` (selectors.report_overdue)
    context = {
        "rec": rec,
        "reports": reports,
        "my_reports": [r for r in reports if permissions.can_file_report(request.user, r)],
        "error": error,
    }
    return render(request, "council/recommendation.html", context, status=status)


def proposals(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    body = selectors.organization_get(pk=request.GET.get("body"))
    qs = selectors.proposal_list(status=status if status in ProposalStatus.values else None, body=body)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "council/proposals.html",
        {"page": page, "statuses": ProposalStatus.choices, "status": status, "body": body},
    )


def proposal(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj, internal = selectors.proposal_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    user = request.user
    can_manage = permissions.can_manage_council(user)
    context = {
        "proposal": obj,
        "internal": internal,
        "events": obj.visible_events,  # type: ignore[attr-defined]
        "can_manage": can_manage,
        "can_withdraw": permissions.can_withdraw_proposal(user, obj)
        and ProposalStatus.WITHDRAWN in PROPOSAL_TRANSITIONS[obj.status],
        "can_back": selectors.co_sign_bodies(user=user, proposal=obj),
        "next": PROPOSAL_TRANSITIONS[obj.status],
        "meetings": list(selectors.open_meetings(council=obj.council)) if can_manage else [],
        "sent_to": SentTo.choices,
        "outcomes": [(s, ProposalStatus(s).label) for s in OUTCOME_STATUSES],
        "error": error,
    }
    return render(request, "council/proposal.html", context, status=status)


def proposal_document(request: HttpRequest, pk: int, doc_id: int) -> FileResponse:
    doc = selectors.proposal_document_get(proposal_id=pk, pk=doc_id)
    if doc is None or not permissions.can_view_proposal_internal(request.user, doc.proposal):
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)


# ---------------------------------------------------------------- council staff


def _require_council_staff(request: HttpRequest) -> None:
    if not permissions.can_manage_council(request.user):
        raise Http404


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    _require_council_staff(request)
    error = None
    if request.method == "POST":
        p = request.POST
        try:
            held_on = _date(p.get("held_on", ""), "held_on")
            obj = services.meeting_create(
                actor=request.user,
                held_on=held_on,
                kind=p.get("kind", ""),
                title=_texts(p, "title"),
                place=_texts(p, "place"),
                summary=_texts(p, "summary"),
                chair_title=_texts(p, "chair_title"),
                agenda=_agenda(p),
                invite_regional_chairs=p.get("invite") == "on",
                other_participants=p.get("others", "").splitlines(),
            )
        except DomainError as exc:
            error = exc
        else:
            return HttpResponseRedirect(reverse("council:meeting", args=[obj.pk]))
    return render(
        request,
        "council/meeting_form.html",
        {"error": error, "kinds": MeetingKind.choices, "f": request.POST, "languages": CONTENT_LANGUAGES},
        status=error.status if error else 200,
    )


@login_required
@require_POST
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_council_staff(request)
    obj = selectors.meeting_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    p, user = request.POST, request.user
    try:
        if action == "publish":
            services.meeting_publish(actor=user, meeting=obj)
        elif action == "update":
            services.meeting_update(
                actor=user,
                meeting=obj,
                summary=_texts(p, "summary"),
                minutes=_texts(p, "minutes"),
                outcomes=_texts(p, "outcomes"),
            )
        elif action == "cancel":
            services.meeting_cancel(actor=user, meeting=obj, reason=p.get("reason", ""))
        elif action == "document":
            upload = request.FILES.get("file")
            if upload is None:
                raise FieldErrors([("file", ErrorCode.REQUIRED, _("Choose a file."))])
            services.meeting_add_document(
                actor=user,
                meeting=obj,
                upload=cast(UploadLike, upload),
                title=p.get("title", ""),
                kind=p.get("kind", ""),
            )
        elif action == "recommend":
            scope = p.get("scope", "all")
            addressees: list[Organization] | None
            if scope == "all":
                addressees = None
            elif scope == "regional":
                addressees = selectors.maslikhats_in_force(obj.held_on, regional_only=True)
            else:
                addressees = selectors.organizations(ids=_ids(p, "addressees"))
            services.recommendation_adopt(
                actor=user,
                meeting=obj,
                title=_texts(p, "title"),
                text=_texts(p, "text"),
                due_on=_date(p.get("due_on", ""), "due_on"),
                addressees=addressees,
                proposals=selectors.proposals(ids=_ids(p, "proposals")),
            )
        else:
            raise Http404
    except DomainError as exc:
        return meeting(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("council:meeting", args=[pk]))


PROPOSAL_ACTIONS = {"review", "agenda", "decline", "send_on", "outcome", "note", "withdraw", "back"}


@login_required
@require_POST
def proposal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = selectors.proposal_for_action(pk=pk)
    if obj is None or action not in PROPOSAL_ACTIONS:
        raise Http404
    p, user = request.POST, request.user
    staff_only = action in {"review", "agenda", "decline", "send_on", "outcome", "note"}
    if staff_only and not (
        permissions.can_manage_council(user)
        or (action == "note" and permissions.can_view_proposal_internal(user, obj))
    ):
        raise Http404
    try:
        if action == "review":
            services.proposal_review(actor=user, proposal=obj)
        elif action == "agenda":
            target = selectors.open_meeting_get(council=obj.council, pk=p.get("meeting"))
            if target is None:
                raise FieldErrors([("meeting", ErrorCode.REQUIRED, _("Choose a meeting."))])
            services.proposal_put_on_agenda(actor=user, proposal=obj, meeting=target)
        elif action == "decline":
            services.proposal_decline(actor=user, proposal=obj, reason=p.get("reason", ""))
        elif action == "send_on":
            services.proposal_send_on(
                actor=user, proposal=obj, to=p.get("to", ""), on=_date(p.get("on", ""), "on")
            )
        elif action == "outcome":
            services.proposal_record_outcome(
                actor=user, proposal=obj, outcome=p.get("outcome", ""), note=p.get("note", "")
            )
        elif action == "note":
            services.proposal_add_note(actor=user, proposal=obj, text=p.get("text", ""))
        elif action == "withdraw":
            if not permissions.can_withdraw_proposal(user, obj):
                raise Http404
            services.proposal_withdraw(actor=user, proposal=obj)
        elif action == "back":
            body = selectors.organization_get(pk=p.get("body"))
            if body is None or not permissions.can_back_proposal(user, obj, body):
                raise Http404
            services.proposal_back(actor=user, proposal=obj, body=body)
    except DomainError as exc:
        return proposal(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("council:proposal", args=[pk]))


# ---------------------------------------------------------------- maslikhats


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A maslikhat's work with the council: its proposals and the reports it owes."""
    bodies = selectors.acting_maslikhats(user=request.user)
    if not bodies:
        raise Http404
    body_ids = {b.pk for b in bodies}
    return render(
        request,
        "council/mine.html",
        {
            "bodies": bodies,
            "proposals": list(selectors.proposal_list(proposed_by=body_ids)[:100]),
            # each with `overdue` (selectors.report_overdue)
            "reports": list(selectors.reports_of_body(body_ids=body_ids)[:200]),
        },
    )


@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    bodies = selectors.acting_maslikhats(user=request.user)
    if not bodies:
        raise Http404
    error = None
    if request.method == "POST":
        p = request.POST
        body = next((b for b in bodies if str(b.pk) == p.get("body")), None)
        try:
            if body is None or not permissions.can_submit_proposal(request.user, body):
                raise FieldErrors([("body", ErrorCode.REQUIRED, _("Choose your maslikhat."))])
            obj = services.proposal_submit(
                actor=request.user,
                body=body,
                title=p.get("title", ""),
                text=p.get("text", ""),
                language=p.get("language", ""),
                policy_area=p.get("policy_area", ""),
                law_concerned=p.get("law_concerned", ""),
                files=cast("list[UploadLike]", request.FILES.getlist("files")),
            )
        except DomainError as exc:
            error = exc
        else:
            return HttpResponseRedirect(reverse("council:proposal", args=[obj.pk]))
    return render(
        request,
        "council/proposal_form.html",
        {"bodies": bodies, "areas": PolicyArea.choices, "error": error, "f": request.POST},
        status=error.status if error else 200,
    )


@login_required
@require_POST
def report_file(request: HttpRequest, pk: int, report_id: int) -> HttpResponse:
    report = selectors.report_get(recommendation_id=pk, pk=report_id)
    if report is None or not permissions.can_file_report(request.user, report):
        raise Http404
    try:
        services.report_file(actor=request.user, report=report, text=request.POST.get("text", ""))
    except DomainError as exc:
        return recommendation(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("council:recommendation", args=[pk]) + f"#report-{report.body_id}")
