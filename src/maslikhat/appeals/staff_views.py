"""Staff pages: the inbox of a maslikhat apparatus or a deputy, and one appeal with its actions."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.core.uploads import UploadLike

from . import permissions, selectors, services
from .choices import AppealKind, AppealStatus
from .error_codes import AppealErrorCode
from .models import Appeal
from .staff_forms import DUE_CHOICES, SORT_CHOICES, STATE_CHOICES, InboxFilterForm, inbox_filters


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_inbox(request.user):
        raise Http404
    filters, values = inbox_filters(request.GET)
    page = Paginator(selectors.inbox(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [selectors.deadline_row(a, today) for a in page.object_list]
    count = page.paginator.count
    if filters.state == "open":
        label = ngettext("%(n)d open appeal", "%(n)d open appeals", count)
    elif filters.state == "closed":
        label = ngettext("%(n)d closed appeal", "%(n)d closed appeals", count)
    else:
        label = ngettext("%(n)d appeal", "%(n)d appeals", count)
    query = {k: v for k, v in values.items() if k != "page"}
    return render(
        request,
        "appeals/staff/inbox.html",
        {
            "page": page,
            "rows": rows,
            "count_label": label % {"n": count},
            "form": InboxFilterForm(initial=values),
            "states": STATE_CHOICES,
            "sorts": SORT_CHOICES,
            "dues": DUE_CHOICES,
            "statuses": AppealStatus.choices,
            "kinds": AppealKind.choices,
            "topics": selectors.topics(),
            "deputies": selectors.deputies_of(user=request.user),
            "candidates": [
                (u.pk, selectors.assignee_label(u)) for u in selectors.assignee_candidates(user=request.user)
            ],
            "f": values,
            "query": urlencode(query),
        },
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked appeals to one person of the body; each one is checked on its own."""
    raw = request.POST.get("assignee", "")
    numbers = [n for n in request.POST.getlist("numbers")[:200] if n]
    back = reverse("appeals:inbox")
    if not numbers:
        messages.warning(request, _("Tick the appeals to assign first."))
        return HttpResponseRedirect(back)
    assignee = selectors.user_get(pk=int(raw)) if raw.isdigit() else None
    if assignee is None:
        messages.warning(request, _("Choose the person to assign them to."))
        return HttpResponseRedirect(back)
    done = 0
    for appeal in selectors.appeals_by_number(numbers=numbers):
        if not permissions.can_manage_appeal(request.user, appeal):
            continue
        try:
            services.appeal_assign(actor=acting_user(request), appeal=appeal, assignee=assignee)
            done += 1
        except DomainError as exc:
            messages.warning(request, f"{appeal.registration_number}: {exc.message}")
    messages.success(
        request, ngettext("%(n)d appeal assigned.", "%(n)d appeals assigned.", done) % {"n": done}
    )
    return HttpResponseRedirect(back)


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


def _error_messages(error: DomainError | None) -> list[str]:
    """What went wrong, in words: the messages of the error, without field names or codes."""
    if error is None:
        return []
    found = [str(m) for _f, _c, m in getattr(error, "errors", [])] or [str(error.message)]
    return list(dict.fromkeys(found))


@login_required
def detail(
    request: HttpRequest, number: str, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    appeal = _staff_appeal(request, number)
    can_manage = permissions.can_manage_appeal(request.user, appeal)
    today = timezone.localdate()
    actions = permissions.staff_actions(request.user, appeal, today)
    attachments = list(appeal.attachments.all())
    context = {
        "appeal": appeal,
        "errors": _error_messages(error),
        "deadline": selectors.deadline_row(appeal, today),
        "can_manage": can_manage,
        "actions": actions,
        "assignee_name": selectors.assignee_label(appeal.assignee) if appeal.assignee else "",
        "publication": _publication(request, appeal, can_manage),
        "appeal_files": [a for a in attachments if not a.is_answer],
        "answer_files": [a for a in attachments if a.is_answer],
        "groups": selectors.forward_groups(appeal=appeal) if "forward" in actions else [],
        "forward_until": permissions.forward_deadline(appeal),
        "candidates": [
            (u.pk, selectors.assignee_label(u))
            for u in selectors.assignee_candidates(user=request.user, body_id=appeal.body_id)
        ]
        if "assign" in actions
        else [],
        "events": appeal.events.all(),
        "posted": request.POST if error is not None else {},
    }
    return render(request, "appeals/staff/detail.html", context, status=status)


# Who may ask for each action (the page shows the verb only when `permissions.staff_actions`
# offers it; a stale page's request gets the service's refusal, in words).
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
            raw = p.get("assignee", "")
            assignee = selectors.user_get(pk=int(raw)) if raw.isdigit() else user
            if assignee is None:
                raise FieldErrors([("assignee", ErrorCode.NOT_FOUND, _("Choose a colleague from the list."))])
            services.appeal_assign(actor=user, appeal=appeal, assignee=assignee)
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
                raise FieldErrors(
                    [("body_id", ErrorCode.REQUIRED, _("Choose the body to forward the appeal to."))]
                )
            services.appeal_forward(actor=user, appeal=appeal, to_body=target, reason=p.get("reason", ""))
        elif action == "extend":
            try:
                until = date.fromisoformat(p.get("until", ""))
            except ValueError:
                raise FieldErrors(
                    [("until", AppealErrorCode.INVALID_DATE, _("Enter the new due date."))]
                ) from None
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
