"""Pages of a maslikhat's proceedings: sessions, the session record, the decisions register,
a decision, a draft with its paragraphs and comments; and the staff's working forms. Adapters
only: parse, check the permission, call a service or selector, render."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
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

from . import permissions, selectors, services
from .choices import (
    REPORT_KINDS,
    SESSION_TRANSITIONS,
    DecisionStatus,
    ItemKind,
    ItemOutcome,
    Response,
    SessionStatus,
    VoteMethod,
    VoteOption,
)
from .diff import text_diff


def _int(value: Any) -> int | None:
    return selectors._int(value)


def _day(value: Any) -> Any:
    """A date field: None when empty, the text itself when it is not a date (the service refuses it)."""
    from datetime import date

    text = str(value or "").strip()[:40]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def sessions(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    body = selectors.maslikhat_get(pk)
    if body is None:
        raise Http404
    can_manage = permissions.can_manage_proceedings(request.user, body)
    upcoming, past = selectors.session_split(body=body, user=request.user)
    context = {
        "body": body,
        "upcoming": upcoming,
        "past": past,
        "drafts": list(selectors.public_drafts(body=body).order_by("-comment_opens_on")[:20]),
        "open_drafts": selectors.open_drafts(body=body),
        "commissions": selectors.commissions_of(body),
        "commission_meetings": selectors.upcoming_commission_meetings(body=body),
        "hearings": selectors.hearings_of(body=body, limit=20),
        "grounds": selectors.no_confidence_grounds(body=body),
        "can_manage": can_manage,
        "error": error,
        "form": request.POST if error else {},
    }
    return render(request, "proceedings/sessions.html", context, status=status)


def session(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.session_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    record = selectors.session_record(obj)
    can_manage = permissions.can_manage_proceedings(request.user, obj.body)
    context: dict[str, Any] = {
        "session": obj,
        "record": record,
        "can_manage": can_manage,
        "error": error,
        "present_count": sum(1 for a in record.attendance if a.present),
        "late": {x.item.pk: x.deadline for x in selectors.late_materials(obj, record.items)},
    }
    if can_manage:
        context.update(
            {
                "can_convene": SessionStatus.CONVENED in SESSION_TRANSITIONS[obj.status],
                "can_start": SessionStatus.IN_PROGRESS in SESSION_TRANSITIONS[obj.status],
                "can_close": SessionStatus.CLOSED in SESSION_TRANSITIONS[obj.status],
                "in_progress": obj.status == SessionStatus.IN_PROGRESS,
                "deputies": selectors.deputies_of(obj),
                "methods": [(m, label) for m, label in VoteMethod.choices if m != VoteMethod.SECRET],
                "options": VoteOption.choices,
                "outcomes": [
                    (o, label)
                    for o, label in ItemOutcome.choices
                    if o in (ItemOutcome.NOTED, ItemOutcome.WITHDRAWN, ItemOutcome.POSTPONED)
                ],
                "agenda_open": obj.status not in (SessionStatus.CLOSED, SessionStatus.CANCELLED),
                "kinds": ItemKind.choices,
                "report_kinds": list(REPORT_KINDS),
                "deadline": services.materials_deadline(obj, services.rules_for(obj.body).report_lead_days),
                "commissions": selectors.commissions_of(obj.body),
                "grounds": selectors.no_confidence_grounds(body=obj.body, convocation=obj.convocation),
            }
        )
    return render(request, "proceedings/session.html", context, status=status)


def _require_manager(request: HttpRequest, body: Any) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not permissions.can_manage_proceedings(request.user, body):
        raise PermissionDenied


@require_POST
def session_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = selectors.session_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    _require_manager(request, obj.body)
    p, user = request.POST, request.user
    items = {i.pk: i for i in obj.items.all()}
    item = items.get(_int(p.get("item")) or 0)
    try:
        if action == "convene":
            services.session_convene(actor=user, session=obj, notice=p.get("notice", ""))
        elif action == "start":
            services.session_start(actor=user, session=obj)
        elif action == "close":
            services.session_close(actor=user, session=obj)
        elif action == "attendance":
            day = timezone.localtime(obj.starts_at).date()
            ids = services.deputies_in_office(obj.body_id, day)
            services.attendance_record(
                actor=user,
                session=obj,
                present={i: p.get(f"present_{i}") == "1" for i in ids},
                reasons={i: p.get(f"reason_{i}", "") for i in ids},
            )
        elif action == "agenda":
            commission = selectors.commission_get(p.get("commission")) if p.get("commission") else None
            if p.get("commission") and commission is None:
                raise FieldErrors(
                    [("commission", ErrorCode.INVALID_CHOICE, _("Choose a commission of this maslikhat."))]
                )
            services.agenda_item_add(
                actor=user,
                session=obj,
                title={"kk": p.get("title_kk", ""), "ru": p.get("title_ru", ""), "en": p.get("title_en", "")},
                rapporteur_name=p.get("rapporteur_name", ""),
                commission=commission,
                kind=p.get("kind", "general"),
                materials_received_on=_day(p.get("materials_received_on")),
            )
        elif action == "materials" and item is not None:
            services.agenda_item_materials_set(
                actor=user, item=item, received_on=_day(p.get("materials_received_on"))
            )
        elif action in ("vote", "outcome", "adopt") and item is not None:
            if action == "vote":
                ballots = {
                    i: p.get(f"ballot_{i}", "")
                    for i in services.deputies_in_office(
                        obj.body_id, timezone.localtime(obj.starts_at).date()
                    )
                    if p.get(f"ballot_{i}")
                }
                services.vote_record(actor=user, item=item, method=p.get("method", ""), ballots=ballots)
            elif action == "outcome":
                services.item_outcome_set(actor=user, item=item, outcome=p.get("outcome", ""))
            else:
                services.decision_adopt(actor=user, item=item)
        else:
            raise Http404
    except DomainError as exc:
        return session(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("proceedings:session", kwargs={"pk": obj.pk}))


def _register_rows(request: HttpRequest, pk: int) -> tuple[Any, selectors.RegisterFilter, Any]:
    body = selectors.maslikhat_get(pk)
    if body is None:
        raise Http404
    f = selectors.register_filter(request.GET)
    return body, f, selectors.register(body=body, f=f)


def register(request: HttpRequest, pk: int) -> HttpResponse:
    body, f, qs = _register_rows(request, pk)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "body": body,
        "page": page,
        "f": f,
        "statuses": DecisionStatus.choices,
        "commissions": selectors.commissions_of(body),
        "query": query.urlencode(),
    }
    return render(request, "proceedings/register.html", context)


def register_csv(request: HttpRequest, pk: int) -> HttpResponse:
    body, _f, qs = _register_rows(request, pk)
    synthetic = export_is_synthetic()
    out = io.StringIO()
    writer = csv.writer(out)
    csv_banner(writer, synthetic=synthetic)
    writer.writerow(
        [_("Number"), _("Adopted on"), _("Title"), _("Status"), _("Registration number"), _("Published on")]
    )
    for d in qs[:20000]:
        writer.writerow(
            export_row(
                [
                    d.number,
                    d.adopted_on.isoformat(),
                    d.title,
                    d.get_status_display(),
                    d.registration_number,
                    d.published_on.isoformat() if d.published_on else "",
                ]
            )
        )
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = export_filename(f"decisions-{body.pk}.csv", synthetic=synthetic)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return mark_synthetic(response, synthetic=synthetic)


def decision(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.decision_get(pk)
    if obj is None:
        raise Http404
    return render(request, "proceedings/decision.html", {"decision": obj})


def draft(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.draft_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    language = "ru" if request.GET.get("text") == "ru" else "kk"
    comments = selectors.draft_comments(obj)
    versions = list(obj.versions.all())
    context = {
        "draft": obj,
        "language": language,
        "paragraphs": selectors.draft_paragraphs(obj, language, comments),
        "whole": [c for c in comments if c.paragraph is None],
        "open": services.is_open_for_comment(obj),
        "can_manage": permissions.can_manage_proceedings(request.user, obj.body),
        "error": error,
        "versions": versions,
        "comments": comments,
        "compare": _compare(request, versions),
    }
    return render(request, "proceedings/draft.html", context, status=status)


def _compare(request: HttpRequest, versions: list[Any]) -> dict[str, Any] | None:
    """The diff of two versions picked by ``?from=<n>&to=<n>`` (version numbers); a number that is
    not one of the draft's versions is a 404."""
    if "from" not in request.GET and "to" not in request.GET:
        return None
    by_number = {v.number: v for v in versions}
    old = by_number.get(_int(request.GET.get("from")) or 0)
    new = by_number.get(_int(request.GET.get("to")) or 0)
    if old is None or new is None:
        raise Http404
    return {
        "old": old,
        "new": new,
        "rows": [
            ("kk", text_diff(old.text_kk, new.text_kk), "Қазақша"),
            ("ru", text_diff(old.text_ru, new.text_ru), "По-русски"),
        ],
    }


@require_POST
@login_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.draft_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    p = request.POST
    language = p.get("language", "kk")
    try:
        services.comment_post(
            actor=request.user,
            draft=obj,
            text=p.get("text", ""),
            paragraph=_int(p.get("paragraph")),
            language=language,
        )
    except DomainError as exc:
        return draft(request, pk, error=exc, status=exc.status)
    url = reverse("proceedings:draft", kwargs={"pk": obj.pk})
    return HttpResponseRedirect(f"{url}?text={'ru' if language == 'ru' else 'kk'}#comments")


@require_POST
@login_required
def comment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.comment_get(pk)
    if found is None or not found.draft.is_public:
        raise Http404
    try:
        if action in ("support", "oppose"):
            services.comment_support(actor=request.user, comment=found, stance=action)
        elif action == "hide":
            _require_manager(request, found.draft.body)
            services.comment_moderate(
                actor=request.user, comment=found, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
    except DomainError as exc:
        return draft(request, found.draft_id, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("proceedings:draft", kwargs={"pk": found.draft_id}) + "#comments")


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: answer each comment and publish the results report."""
    obj = selectors.draft_get(pk=pk, user=request.user)
    if obj is None:
        raise Http404
    _require_manager(request, obj.body)
    error: Any = None
    status = 200
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "publish":
                services.draft_results_publish(actor=request.user, draft=obj, changes=p.get("changes", ""))
                return HttpResponseRedirect(reverse("proceedings:draft", kwargs={"pk": obj.pk}))
            found = selectors.comment_get(p.get("comment"))
            if found is None or found.draft_id != obj.pk:
                raise Http404
            services.comment_answer(
                actor=request.user, comment=found, response=p.get("response", ""), reason=p.get("reason", "")
            )
            return HttpResponseRedirect(reverse("proceedings:results", kwargs={"pk": obj.pk}))
        except DomainError as exc:
            error, status = exc, exc.status
    context = {
        "draft": obj,
        "comments": selectors.draft_comments(obj),
        "responses": Response.choices,
        "error": error,
    }
    return render(request, "proceedings/results.html", context, status=status)


# ---------------------------------------------------------------- standing commissions


def _when(value: Any) -> Any:
    """A ``datetime-local`` field as an aware datetime in the site's zone, or None."""
    from datetime import datetime

    text = str(value or "").strip()[:40]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 2000 <= parsed.year <= 2100:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _ids(values: list[str]) -> list[int]:
    return [_int(v) or 0 for v in values[:200]]  # 0: no such item, refused by the service


def commission(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    """A standing commission's meetings; its maslikhat's staff plan one here."""
    obj = selectors.commission_get(pk)
    if obj is None:
        raise Http404
    can_manage = permissions.can_manage_commission(request.user, obj)
    context = {
        "commission": obj,
        "body": obj.parent,
        "meetings": selectors.commission_meetings(commission=obj),
        "can_manage": can_manage,
        "items": selectors.open_agenda_items(obj.parent) if can_manage and obj.parent else [],
        "error": error,
        "form": request.POST if error else {},
    }
    return render(request, "proceedings/commission.html", context, status=status)


@require_POST
def commission_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.commission_get(pk)
    if obj is None:
        raise Http404
    if not permissions.can_manage_commission(request.user, obj):
        raise PermissionDenied
    p = request.POST
    try:
        meeting = services.commission_meeting_plan(
            actor=request.user,
            commission=obj,
            starts_at=_when(p.get("starts_at")),
            place=p.get("place", ""),
            agenda=p.get("agenda", ""),
            item_ids=_ids(p.getlist("items")),
        )
    except DomainError as exc:
        return commission(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("proceedings:commission_meeting", kwargs={"pk": meeting.pk}))


def commission_meeting(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.commission_meeting_get(pk)
    if obj is None:
        raise Http404
    can_manage = permissions.can_manage_commission(request.user, obj.commission)
    context = {
        "meeting": obj,
        "can_manage": can_manage,
        "members": selectors.commission_members_of(obj) if can_manage else [],
        "error": error,
    }
    return render(request, "proceedings/commission_meeting.html", context, status=status)


@require_POST
def commission_meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = selectors.commission_meeting_get(pk)
    if obj is None:
        raise Http404
    if not permissions.can_manage_commission(request.user, obj.commission):
        raise PermissionDenied
    p, user = request.POST, request.user
    try:
        if action == "attendance":
            ids = [m.pk for m in selectors.commission_members_of(obj)]
            services.commission_attendance_record(
                actor=user,
                meeting=obj,
                present={i: p.get(f"present_{i}") == "1" for i in ids},
                reasons={i: p.get(f"reason_{i}", "") for i in ids},
            )
        elif action == "hold":
            services.commission_meeting_hold(actor=user, meeting=obj, minutes=p.get("minutes", ""))
        elif action == "move":
            services.commission_meeting_reschedule(
                actor=user, meeting=obj, starts_at=_when(p.get("starts_at")), place=p.get("place")
            )
        elif action == "cancel":
            services.commission_meeting_cancel(actor=user, meeting=obj, reason=p.get("reason", ""))
        else:
            raise Http404
    except DomainError as exc:
        return commission_meeting(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("proceedings:commission_meeting", kwargs={"pk": obj.pk}))


# ---------------------------------------------------------------- public hearings


def _capacity(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    return _int(text) or -1  # -1: not a number, refused by the service


@require_POST
def hearing_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff announce a hearing (the form is on the maslikhat's sessions page)."""
    body = selectors.maslikhat_get(pk)
    if body is None:
        raise Http404
    _require_manager(request, body)
    p = request.POST
    draft_id = _int(p.get("draft"))
    found = selectors.draft_get(pk=draft_id, user=request.user) if draft_id else None
    try:
        if p.get("draft") and found is None:
            raise FieldErrors(
                [("draft", ErrorCode.INVALID_CHOICE, _("Choose a published draft of this maslikhat."))]
            )
        hearing = services.hearing_announce(
            actor=request.user,
            body=body,
            topic={"kk": p.get("topic_kk", ""), "ru": p.get("topic_ru", ""), "en": p.get("topic_en", "")},
            starts_at=_when(p.get("starts_at")),
            place=p.get("place", ""),
            draft=found,
            capacity=_capacity(p.get("capacity")),
        )
    except DomainError as exc:
        return sessions(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("proceedings:hearing", kwargs={"pk": hearing.pk}))


def hearing(request: HttpRequest, pk: int, error: Any = None, status: int = 200) -> HttpResponse:
    obj = selectors.hearing_get(pk)
    if obj is None:
        raise Http404
    registrations = selectors.hearing_registrations(obj)
    user = request.user
    mine = next((r for r in registrations if user.is_authenticated and r.user_id == user.pk), None)
    context = {
        "hearing": obj,
        "registrations": registrations,
        "mine": mine,
        "open": services.registration_open(obj),
        "over": obj.starts_at <= timezone.now(),
        "full": obj.capacity is not None and len(registrations) >= obj.capacity,
        "can_manage": permissions.can_manage_proceedings(user, obj.body),
        "default_name": (user.get_full_name() if user.is_authenticated else "") or "",
        "error": error,
    }
    return render(request, "proceedings/hearing.html", context, status=status)


@require_POST
@login_required
def hearing_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = selectors.hearing_get(pk)
    if obj is None:
        raise Http404
    p, user = request.POST, request.user
    try:
        if action == "register":
            services.hearing_register(
                actor=user, hearing=obj, shown_name=p.get("shown_name", ""), subject=p.get("subject", "")
            )
        elif action == "unregister":
            services.hearing_unregister(actor=user, hearing=obj)
        elif action in ("record", "cancel"):
            _require_manager(request, obj.body)
            if action == "record":
                services.hearing_record_publish(actor=user, hearing=obj, record=p.get("record", ""))
            else:
                services.hearing_cancel(actor=user, hearing=obj, reason=p.get("reason", ""))
        else:
            raise Http404
    except DomainError as exc:
        return hearing(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("proceedings:hearing", kwargs={"pk": obj.pk}))
