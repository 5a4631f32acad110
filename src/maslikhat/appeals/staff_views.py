"""Staff pages: the inbox of a maslikhat apparatus or a deputy, and one appeal with its actions."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.core.uploads import UploadLike

from . import permissions, selectors, services
from .choices import AppealKind, AppealStatus
from .error_codes import AppealErrorCode
from .models import Appeal


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_inbox(request.user):
        raise Http404
    g = request.GET
    due = g.get("due", "")
    filters = selectors.InboxFilters(
        status=g.get("status") or None,
        kind=g.get("kind") or None,
        topic=g.get("topic") or None,
        overdue=due == "overdue",
        due_within=int(due) if due.isdigit() else None,
        q=(g.get("q") or "").strip()[:50] or None,
        deputy_id=int(g["deputy"]) if g.get("deputy", "").isdigit() else None,
    )
    page = Paginator(selectors.inbox(user=request.user, filters=filters), 50).get_page(g.get("page"))
    rows = [(a, selectors.working_days_left(a)) for a in page.object_list]
    return render(
        request,
        "appeals/staff/inbox.html",
        {
            "page": page,
            "rows": rows,
            "statuses": AppealStatus.choices,
            "kinds": AppealKind.choices,
            "topics": selectors.topics(),
            "deputies": selectors.deputies_of(user=request.user),
            "candidates": selectors.assignee_candidates(user=request.user),
            "f": g,
        },
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked appeals to one person of the body; each one is checked on its own."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    raw = request.POST.get("assignee", "")
    assignee = selectors.user_get(pk=int(raw)) if raw.isdigit() else None
    numbers = request.POST.getlist("numbers")[:200]
    done = 0
    for appeal in selectors.appeals_by_number(numbers=numbers):
        if assignee is None or not permissions.can_manage_appeal(request.user, appeal):
            continue
        try:
            services.appeal_assign(actor=acting_user(request), appeal=appeal, assignee=assignee)
            done += 1
        except DomainError as exc:
            messages.warning(request, f"{appeal.registration_number}: {exc.message}")
    messages.success(request, _("%(n)d appeals assigned.") % {"n": done})
    return HttpResponseRedirect(reverse("appeals:inbox"))


def _staff_appeal(request: HttpRequest, number: str) -> Appeal:
    appeal = selectors.appeal_for_staff(number=number, detail=True)
    if appeal is None or not permissions.can_view_appeal(request.user, appeal):
        raise Http404
    return appeal


def _publication(request: HttpRequest, appeal: Appeal, can_manage: bool) -> dict[str, Any] | None:
    """The publication section: the citizen's request, and for those who may approve it once the
    appeal is answered, the texts to approve (what they posted after an error, else the approved
    texts, else the product's proposal)."""
    if not appeal.publication_requested:
        return None
    section: dict[str, Any] = {
        "answered": permissions.has_publishable_answer(appeal),
        "can_approve": can_manage,
    }
    if section["answered"] and can_manage:
        if request.method == "POST" and "answer_text" in request.POST:
            text, answer = request.POST.get("text", ""), request.POST.get("answer_text", "")
        elif appeal.published_at is not None:
            text, answer = appeal.public_text, appeal.public_answer_text
        else:
            text, answer = services.publication_proposal(appeal)
        section.update(text=text, answer_text=answer)
    return section


@login_required
def detail(request: HttpRequest, number: str, error: Any = None, status: int = 200) -> HttpResponse:
    appeal = _staff_appeal(request, number)
    can_manage = permissions.can_manage_appeal(request.user, appeal)
    context = {
        "appeal": appeal,
        "error": error,
        "days_left": selectors.working_days_left(appeal),
        "can_manage": can_manage,
        "publication": _publication(request, appeal, can_manage),
        "can_answer": permissions.can_answer_appeal(request.user, appeal),
        "bodies": selectors.forward_targets(appeal=appeal),
        "events": appeal.events.all(),
    }
    return render(request, "appeals/staff/detail.html", context, status=status)


ACTIONS = {
    "assign": permissions.can_manage_appeal,
    "start": permissions.can_answer_appeal,
    "answer": permissions.can_answer_appeal,
    "forward": permissions.can_manage_appeal,
    "extend": permissions.can_manage_appeal,
    "refuse": permissions.can_manage_appeal,
    "close": permissions.can_manage_appeal,
    "note": permissions.can_view_appeal,
    # approving the redacted public version is the body's decision, like closing the appeal
    "publication": permissions.can_manage_appeal,
}


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    appeal = _staff_appeal(request, number)
    check = ACTIONS.get(action)
    if check is None or not check(request.user, appeal):
        raise Http404
    p, user = request.POST, acting_user(request)
    try:
        if action == "assign":
            services.appeal_assign(actor=user, appeal=appeal, assignee=user)
        elif action == "start":
            services.appeal_start(actor=user, appeal=appeal)
        elif action == "answer":
            services.appeal_answer(
                actor=user,
                appeal=appeal,
                text=p.get("text", ""),
                files=cast("list[UploadLike]", request.FILES.getlist("files")),
            )
        elif action == "forward":
            raw = p.get("body_id", "")
            target = selectors.addressee_body(pk=int(raw)) if raw.isdigit() else None
            if target is None:
                raise FieldErrors([("body_id", ErrorCode.REQUIRED, "—")])
            services.appeal_forward(actor=user, appeal=appeal, to_body=target, reason=p.get("reason", ""))
        elif action == "extend":
            try:
                until = date.fromisoformat(p.get("until", ""))
            except ValueError:
                raise FieldErrors([("until", AppealErrorCode.INVALID_DATE, "—")]) from None
            services.appeal_extend(actor=user, appeal=appeal, until=until, reason=p.get("reason", ""))
        elif action == "refuse":
            services.appeal_refuse(actor=user, appeal=appeal, reason=p.get("reason", ""))
        elif action == "close":
            services.appeal_close(actor=user, appeal=appeal)
        elif action == "note":
            services.appeal_add_note(actor=user, appeal=appeal, text=p.get("text", ""))
        elif action == "publication":
            services.appeal_publication_approve(
                actor=user, appeal=appeal, text=p.get("text", ""), answer_text=p.get("answer_text", "")
            )
    except DomainError as exc:
        return detail(request, number, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("appeals:staff_detail", kwargs={"number": number}))
