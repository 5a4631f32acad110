"""Pages of participation: verify residency, initiatives, budgets and voting, results, what
became of them. Adapters only: parse, check permission, call a service or selector, render.
No JavaScript is needed (plain forms)."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.core.exports import (
    csv_banner,
    export_filename,
    export_is_synthetic,
    export_row,
    mark_synthetic,
)
from maslikhat.core.ratelimit import client_bucket
from maslikhat.core.sms import backend_name as sms_backend_name
from maslikhat.directory.selectors import area_get, settlement_choice_page

from . import selectors, services
from .choices import InitiativeCategory, InitiativeStatus, Phase
from .map import area_items, status_map
from .permissions import can_run_participation, can_verify_in_person
from .residency import active_verifications, is_resident
from .services import parse_phone
from .sms import outbox_last


def _int(value: Any) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**31 else None


def _agenda_choice(raw: str) -> int | None:
    """The form's agenda item: empty is none; anything else not a number is refused (-1)."""
    if not raw.strip():
        return None
    return _int(raw) or -1


def index(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("area", "")[:40]
    area = area_get(code=code) if code else None
    status = request.GET.get("status", "")
    status = status if status in InitiativeStatus.values else ""
    page = Paginator(selectors.initiative_list(area=area, status=status or None), 20).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "area": area,
        "status": status,
        "statuses": [(s, InitiativeStatus(s).label) for s in InitiativeStatus.values if s != "submitted"],
        "processes": list(selectors.process_list(area=area)[:10]),
        "overdue": selectors.overdue_initiatives(),
        "excluded": services.excluded_topics(),
        "status_map": status_map(area, area_items(area)) if area is not None else None,
    }
    return render(request, "participation/index.html", context)


def demo_outbox_message(phone: str) -> Any:
    """Outside production, with the outbox as the SMS gateway (the demo): the message just sent,
    to show on the page, as no phone receives it."""
    if settings.PRODUCTION or sms_backend_name() != "outbox":
        return None
    return outbox_last(parse_phone(phone))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Verify residency: by a code to a phone, or by the residents list (IIN)."""
    error: DomainError | None = None
    status = 200
    sent = False
    demo_sms = None
    if request.method == "POST":
        p = request.POST
        area = area_get(code=p.get("area", "")[:40])
        try:
            action = p.get("action", "")
            if action == "confirm":
                services.phone_code_confirm(actor=request.user, code=p.get("code", ""))
                return HttpResponseRedirect(reverse("participation:verify") + "?done=1")
            if area is None:
                raise FieldErrors([("area", ErrorCode.REQUIRED, _("Choose your settlement or district."))])
            if action == "send":
                services.phone_code_send(
                    actor=request.user, area=area, phone=p.get("phone", ""), client=client_bucket(request)
                )
                sent = True
                demo_sms = demo_outbox_message(p.get("phone", ""))
            elif action == "list":
                services.residency_by_list(actor=request.user, iin=p.get("iin", ""), area=area)
                return HttpResponseRedirect(reverse("participation:verify") + "?done=1")
            else:
                raise Http404
        except DomainError as exc:
            error, status = exc, 422 if exc.status < 500 else exc.status
            if exc.status == 403 or exc.code == ErrorCode.RATE_LIMITED:
                status = 429 if exc.code == ErrorCode.RATE_LIMITED else 403
    context = {
        "error": error,
        "sent": sent,
        "demo_sms": demo_sms,
        "done": request.GET.get("done") == "1",
        "area_code": (request.POST.get("area") or request.GET.get("area") or "")[:40],
        "verifications": active_verifications(request.user),
    }
    return render(request, "participation/verify.html", context, status=status)


CHOICES_PER_PAGE = 20


def _chosen_area(raw: str) -> Any:
    code = raw[:40]
    return area_get(code=code) if code and "\x00" not in code else None


def _place_choices(q: str) -> Any:
    """Choose your settlement (the search of /api/v1/areas?q=, as on the find page), or None."""
    q = q.strip()[:100]
    if not q or "\x00" in q:
        return None
    return settlement_choice_page(q=q, limit=CHOICES_PER_PAGE)


@login_required
def initiative_new(request: HttpRequest) -> HttpResponse:
    p = request.POST if request.method == "POST" else request.GET
    code = p.get("area", "")[:40]
    if not code and request.method == "GET":
        # the settlement the account is verified in, as a start
        mine = active_verifications(request.user)
        area = mine[0].area if mine else None
        code = area.code if area is not None else ""
    else:
        area = area_get(code=code) if code and "\x00" not in code else None
    error: DomainError | None = None
    status = 200
    if request.method == "POST" and p.get("action") == "submit":
        try:
            if area is None:
                raise FieldErrors([("area", ErrorCode.REQUIRED, _("Choose your settlement or district."))])
            obj = services.initiative_create(
                actor=request.user,
                area=area,
                title=p.get("title", ""),
                text=p.get("text", ""),
                category=p.get("category", ""),
                lat=p.get("lat", ""),
                lon=p.get("lon", ""),
                photos=request.FILES.getlist("photos"),
            )
            return HttpResponseRedirect(reverse("participation:initiative", args=[obj.pk]) + "?created=1")
        except DomainError as exc:
            error, status = exc, exc.status
    similar = selectors.similar_initiatives(text=f"{p.get('title', '')} {p.get('text', '')}", area=area)
    context = {
        "error": error,
        "area": area,
        "area_code": code,
        "form": p,
        "categories": InitiativeCategory.choices,
        "similar": similar,
        "resident": area is not None and is_resident(request.user, area),
        "place_q": p.get("place_q", "")[:100],
        "choices": _place_choices(p.get("place_q", "")) if p.get("action") == "find" else None,
    }
    return render(request, "participation/initiative_form.html", context, status=status)


def initiative(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.initiative_get(pk=pk)
    user = request.user
    staff = False
    if obj is None:
        obj = selectors.initiative_for_staff(pk=pk)
        if obj is None or not can_run_participation(user, obj.body):
            raise Http404
    staff = can_run_participation(user, obj.body)
    context = {
        "initiative": obj,
        "supported": selectors.has_supported(user=user, initiative=obj),
        "resident": is_resident(user, obj.area),
        "staff": staff,
        "created": request.GET.get("created") == "1",
        "error": error,
        "outcomes": [(s, InitiativeStatus(s).label) for s in ("accepted", "partly", "rejected")],
        "implementation": selectors.implementation_of_initiative(initiative=obj),
        "agenda_item": selectors.initiative_agenda_item(initiative=obj),
        "agenda_choices": (
            selectors.agenda_item_choices(body_id=obj.body_id)
            if staff and obj.status == InitiativeStatus.REACHED
            else []
        ),
    }
    return render(request, "participation/initiative.html", context, status=status)


INITIATIVE_ACTIONS = {"support", "withdraw", "publish", "refuse", "paper", "answer"}


@login_required
@require_POST
def initiative_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = selectors.initiative_for_staff(pk=pk)
    if obj is None or action not in INITIATIVE_ACTIONS:
        raise Http404
    p, user = request.POST, request.user
    if action not in {"support", "withdraw"} and not can_run_participation(user, obj.body):
        raise Http404
    try:
        if action == "support":
            services.initiative_support(actor=user, initiative=obj)
        elif action == "withdraw":
            services.initiative_withdraw_support(actor=user, initiative=obj)
        elif action in {"publish", "refuse"}:
            services.initiative_moderate(
                actor=user, initiative=obj, publish=action == "publish", reason=p.get("reason", "")
            )
        elif action == "paper":
            count = _int(p.get("count"))
            services.paper_signatures_add(
                actor=user, initiative=obj, count=count or 0, note=p.get("note", "")
            )
        elif action == "answer":
            services.initiative_answer(
                actor=user,
                initiative=obj,
                outcome=p.get("outcome", ""),
                text=p.get("text", ""),
                plan_reference=p.get("plan_reference", ""),
                agenda_item_id=_agenda_choice(p.get("agenda_item", "")),
            )
    except DomainError as exc:
        return initiative(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("participation:initiative", args=[pk]))


def process(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.process_get(pk=pk)
    if obj is None:
        raise Http404
    user = request.user
    phase = services.phase_of(obj)
    context = {
        "process": obj,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "projects": list(selectors.project_list(process=obj)),
        "chosen": selectors.ballot_choice(user=user, process=obj),
        "resident": is_resident(user, obj.area),
        "staff": can_run_participation(user, obj.body),
        "voting": phase == Phase.VOTING,
        "results": selectors.results(process=obj),
        "error": error,
        "saved": request.GET.get("saved") == "1",
        "status_map": status_map(obj.area, area_items(obj.area, process_id=obj.pk)),
    }
    return render(request, "participation/process.html", context, status=status)


PROCESS_ACTIONS = {"vote", "paper", "tally"}


@login_required
@require_POST
def process_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = selectors.process_get(pk=pk)
    if obj is None or action not in PROCESS_ACTIONS:
        raise Http404
    user = request.user
    if action != "vote" and not can_run_participation(user, obj.body):
        raise Http404
    ids = [n for n in (_int(v) for v in request.POST.getlist("projects")[:50]) if n is not None]
    try:
        if action == "vote":
            services.ballot_cast(actor=user, process=obj, project_ids=ids)
        elif action == "paper":
            services.paper_ballot_enter(actor=user, process=obj, project_ids=ids)
        else:
            services.process_tally(actor=user, process=obj)
    except DomainError as exc:
        return process(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("participation:process", args=[pk]) + "?saved=1")


def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.process_get(pk=pk)
    r = selectors.results(process=obj) if obj is not None else None
    if r is None:
        raise Http404
    synthetic = export_is_synthetic()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = export_filename(f"budget-{pk}-results.csv", synthetic=synthetic)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    w = csv.writer(response)
    csv_banner(w, synthetic=synthetic)
    mark_synthetic(response, synthetic=synthetic)
    w.writerow(export_row([_("Project"), _("Object"), _("Cost, tenge"), _("Votes"), _("Winner")]))
    for p in r.projects:
        w.writerow(
            export_row([p.title, p.object_ref, p.price, p.votes, _("yes") if p.is_winner else _("no")])
        )
    w.writerow(
        export_row(
            [_("Voters"), r.voters, _("Turnout, %"), r.turnout_pct if r.turnout_pct is not None else ""]
        )
    )
    return response


def implementation(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.implementation_get(pk=pk)
    if obj is None:
        raise Http404
    return render(request, "participation/implementation.html", {"record": obj})


@login_required
def staff_verify(request: HttpRequest) -> HttpResponse:
    """Staff record that they saw a person's identity document (in-person verification): find
    the account by its exact user name or email, choose the settlement, note the document."""
    if not can_verify_in_person(request.user):
        raise Http404
    p = request.POST if request.method == "POST" else request.GET
    error: DomainError | None = None
    status = 200
    who = p.get("who", "")[:254]
    account = None
    if request.method == "POST":
        user_id = _int(p.get("user", ""))
        account = selectors.account_get(pk=user_id) if user_id else None
        code = p.get("area", "")[:40]
        area = area_get(code=code) if code and "\x00" not in code else None
        try:
            problems: list[tuple[str, str, Any]] = []
            if account is None:
                problems.append(("user", ErrorCode.REQUIRED, _("Find the person's account first.")))
            if area is None:
                problems.append(("area", ErrorCode.REQUIRED, _("Choose the settlement they live in.")))
            if account is None or area is None:
                raise FieldErrors(problems)
            services.residency_in_person(
                actor=request.user, user=account, area=area, document_note=p.get("document_note", "")
            )
            return HttpResponseRedirect(
                reverse("participation:staff_verify") + f"?done=1&who={account.username}"
            )
        except DomainError as exc:
            error, status = exc, exc.status
    elif who:
        account = selectors.find_account(query=who)
    context = {
        "error": error,
        "who": who,
        "searched": bool(who) and request.method == "GET",
        "account": account,
        "verifications": active_verifications(account) if account is not None else [],
        "place_q": p.get("place_q", "")[:100],
        "choices": _place_choices(p.get("place_q", "")),
        "area": _chosen_area(p.get("area", "")),
        "note": p.get("document_note", "")[:200],
        "done": request.GET.get("done") == "1",
    }
    return render(request, "participation/staff_verify.html", context, status=status)
