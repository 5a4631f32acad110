"""Pages of a deputy's work with voters: receptions and booking (public), the booking's
confirmation and cancel (private link), the deputy's office (bookings with personal data,
visits, questions turned into appeals, schedules, reports, inquiries), reports and inquiries,
the iCal calendar and the Atom feed. Adapters only: parse, check permission, call a service or
selector, render."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maslikhat.appeals import selectors as appeal_selectors
from maslikhat.core.actors import acting_user
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.directory.models import Person

from . import ical, permissions, selectors, services
from .choices import BookingStatus, ReceptionMode, Recurrence, ReportStatus
from .error_codes import DeputiesErrorCode
from .models import Booking, ReceptionSlot

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


def _int(value: Any) -> int | None:
    text = value if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) < 10 else None


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (ValueError, TypeError):
        raise FieldErrors(
            [(field, DeputiesErrorCode.INVALID_DATE, _("Enter a date as YYYY-MM-DD."))]
        ) from None


def _time(value: str, field: str) -> time:
    try:
        return time.fromisoformat(value)
    except (ValueError, TypeError):
        raise FieldErrors([(field, DeputiesErrorCode.INVALID_TIME, _("Enter a time as HH:MM."))]) from None


def _deputy(pk: int) -> Person:
    person = selectors.person_or_none(pk)
    if person is None or not selectors.was_deputy(person):
        raise Http404
    return person


def _body_id(person: Person) -> int | None:
    found = selectors.deputy_body(person)
    return found[0].pk if found else None


def _office(request: HttpRequest, person: Person) -> None:
    if not permissions.is_deputy_office(request.user, person, _body_id(person)):
        raise Http404


# ---------------------------------------------------------------- public


def deputy(request: HttpRequest, pk: int) -> HttpResponse:
    person = _deputy(pk)
    found = selectors.deputy_body(person)
    return render(
        request,
        "deputies/deputy.html",
        {
            "person": person,
            "body": found[0] if found else None,
            "constituency": found[1] if found else None,
            "slots": selectors.upcoming_slots(person),
            "reports": selectors.reports_of(person),
            "inquiries": selectors.inquiries_of(person),
            "figures": selectors.deputy_figures(person),
            "report_due_on": selectors.report_due_on(person),
            "today": timezone.localdate(),
            "is_office": permissions.is_deputy_office(request.user, person, found[0].pk if found else None),
        },
    )


def book(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.slot_or_none(pk)
    if slot is None:
        raise Http404
    error: DomainError | None = None
    form: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("name", "phone", "email", "topic")}
        try:
            booking, token = services.booking_create(
                actor=acting_user(request),
                slot=slot,
                name=form["name"],
                phone=form["phone"],
                email=form["email"],
                topic=form["topic"],
                language=(get_language() or "ru")[:2],
            )
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            return HttpResponseRedirect(f"{reverse('deputies:booking')}?token={token}")
    return render(
        request,
        "deputies/book.html",
        {"slot": slot, "person": slot.deputy, "error": error, "f": form},
        status=status,
    )


def booking(request: HttpRequest) -> HttpResponse:
    """The confirmation page (the private link): the booking, add to calendar, cancel."""
    token = request.GET.get("token", "") or request.POST.get("token", "")
    found = services.booking_by_token(token)
    if found is None:
        raise Http404
    error: DomainError | None = None
    if request.method == "POST":
        try:
            services.booking_cancel(actor=acting_user(request), booking=found)
        except DomainError as exc:
            error = exc
        found = services.booking_by_token(token) or found
    return render(
        request,
        "deputies/booking.html",
        {
            "booking": found,
            "slot": found.slot,
            "person": found.slot.deputy,
            "token": token,
            "error": error,
            "can_cancel": found.status in (BookingStatus.BOOKED, BookingStatus.WAITING),
            "questions": selectors.booking_questions(found),
        },
    )


def slot_ical(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.slot_or_none(pk)
    if slot is None:
        raise Http404
    return ical.response([slot], name=f"reception-{slot.pk}.ics")


def deputy_ical(request: HttpRequest, pk: int) -> HttpResponse:
    person = _deputy(pk)
    return ical.response(selectors.upcoming_slots(person, limit=200), name=f"deputy-{person.pk}.ics")


def report(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.report_or_none(pk)
    if obj is None or obj.status == ReportStatus.CANCELLED:
        raise Http404
    error: DomainError | None = None
    asked = False
    status = 200
    if request.method == "POST":
        try:
            services.report_question_ask(
                actor=acting_user(request),
                report=obj,
                text=request.POST.get("text", ""),
                asker_name=request.POST.get("name", ""),
            )
            asked = True
        except DomainError as exc:
            error, status = exc, exc.status
        obj = selectors.report_or_none(pk)
    return render(
        request,
        "deputies/report.html",
        {
            "report": obj,
            "person": obj.deputy if obj else None,
            "error": error,
            "asked": asked,
            "is_office": obj is not None
            and permissions.is_deputy_office(request.user, obj.deputy, obj.body_id),
            "open_for_questions": obj is not None
            and obj.status == ReportStatus.ANNOUNCED
            and obj.meeting_at > timezone.now(),
        },
        status=status,
    )


def inquiry(
    request: HttpRequest, pk: int, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    obj = selectors.inquiry_or_none(pk)
    if obj is None:
        raise Http404
    is_office = permissions.is_deputy_office(request.user, obj.deputy, obj.body_id)
    return render(
        request,
        "deputies/inquiry.html",
        {
            "inquiry": obj,
            "person": obj.deputy,
            "overdue": selectors.is_overdue_inquiry(obj),
            "is_office": is_office,
            "items_to_link": selectors.agenda_items_to_link(obj) if is_office else [],
            "error": error,
        },
        status=status,
    )


# ---------------------------------------------------------------- the deputy's office


def office(
    request: HttpRequest, pk: int, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    person = _deputy(pk)
    _office(request, person)
    day = timezone.localdate()
    raw = request.GET.get("day", "")
    if raw:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            pass
    return render(
        request,
        "deputies/office.html",
        {
            "person": person,
            "day": day,
            "bookings": selectors.office_bookings(person, day),
            "slots": selectors.upcoming_slots(person, limit=30),
            "past_slots": selectors.past_slots(person, limit=10),
            "reports": selectors.reports_of(person),
            "inquiries": selectors.inquiries_of(person),
            "modes": ReceptionMode.choices,
            "weekdays": WEEKDAYS,
            "error": error,
        },
        status=status,
    )


@require_POST
def office_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    person = _deputy(pk)
    _office(request, person)
    actor = acting_user(request)
    post = request.POST
    try:
        if action == "schedule":
            weekly = post.get("recurrence") == Recurrence.WEEKLY
            services.schedule_create(
                actor=actor,
                deputy=person,
                place=post.get("place", ""),
                mode=post.get("mode", ""),
                recurrence=post.get("recurrence", ""),
                weekday=_int(post.get("weekday")) if weekly else None,
                start_time=_time(post.get("start_time", ""), "start_time"),
                duration_minutes=_int(post.get("duration_minutes")) or 0,
                capacity=_int(post.get("capacity")) or 0,
                first_date=_date(post.get("first_date", ""), "first_date"),
                weeks=_int(post.get("weeks")) or 1,
            )
        elif action == "report":
            when = datetime.combine(
                _date(post.get("meeting_date", ""), "meeting_date"),
                _time(post.get("meeting_time", ""), "meeting_time"),
            )
            services.report_announce(actor=actor, deputy=person, meeting_at=when, place=post.get("place", ""))
        elif action == "inquiry":
            services.inquiry_register(
                actor=actor,
                deputy=person,
                addressee=post.get("addressee", ""),
                subject=post.get("subject", ""),
                text=post.get("text", ""),
            )
        elif action == "publish":
            report = selectors.report_of_deputy(person, _int(post.get("report")))
            if report is None:
                raise Http404
            answers = {q.pk: post.get(f"answer_{q.pk}", "") for q in report.questions.all()}
            services.report_publish(
                actor=actor,
                report=report,
                text=post.get("text", ""),
                answers=answers,
                photos=list(request.FILES.getlist("photos")),
            )
            return HttpResponseRedirect(reverse("deputies:report", args=[report.pk]))
        elif action == "answer":
            found = selectors.inquiry_of_deputy(person, _int(post.get("inquiry")))
            if found is None:
                raise Http404
            services.inquiry_answer(actor=actor, inquiry=found, answer=post.get("answer", ""))
            return HttpResponseRedirect(reverse("deputies:inquiry", args=[found.pk]))
        elif action == "link_item":
            found = selectors.inquiry_or_none(_int(post.get("inquiry")) or 0)
            if found is None or found.deputy_id != person.pk:
                raise Http404
            item = selectors.inquiry_agenda_item(found, post.get("item"))
            if item is None:
                error = FieldErrors(
                    [("item", ErrorCode.INVALID_CHOICE, _("Choose an agenda item from the list."))]
                )
                return inquiry(request, found.pk, error=error, status=error.status)
            services.inquiry_link_agenda_item(actor=actor, inquiry=found, item=item)
            return HttpResponseRedirect(reverse("deputies:inquiry", args=[found.pk]))
        else:
            raise Http404
    except DomainError as exc:
        return office(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("deputies:office", args=[person.pk]))


def _office_slot(request: HttpRequest, pk: int) -> ReceptionSlot:
    slot = selectors.slot_or_none(pk)
    if slot is None:
        raise Http404
    _office(request, slot.deputy)
    return slot


def slot_office(
    request: HttpRequest, pk: int, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    slot = _office_slot(request, pk)
    return render(
        request,
        "deputies/slot_office.html",
        {
            "slot": slot,
            "person": slot.deputy,
            "bookings": selectors.slot_bookings(slot),
            "visits": selectors.slot_visits(slot),
            "error": error,
        },
        status=status,
    )


@require_POST
def slot_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    slot = _office_slot(request, pk)
    actor = acting_user(request)
    post = request.POST
    booking: Booking | None = None
    booking_id = _int(post.get("booking"))
    if booking_id is not None:
        booking = slot.bookings.filter(pk=booking_id).first()
        if booking is None:
            raise Http404
    try:
        if action == "book":
            services.booking_create(
                actor=actor,
                slot=slot,
                name=post.get("name", ""),
                phone=post.get("phone", ""),
                topic=post.get("topic", ""),
                for_caller=True,
            )
        elif action == "visit":
            services.visit_record(
                actor=actor,
                slot=slot,
                booking=booking,
                name=post.get("name", ""),
                phone=post.get("phone", ""),
                notes=post.get("notes", ""),
                questions=post.get("questions", "").split("\n\n") if post.get("questions") else [],
            )
        elif action in ("no_show", "cancel") and booking is not None:
            if action == "no_show":
                services.booking_mark(actor=actor, booking=booking, attended=False)
            else:
                services.booking_cancel(actor=actor, booking=booking)
        elif action == "cancel_slot":
            services.slot_cancel(actor=actor, slot=slot)
        else:
            raise FieldErrors([("action", ErrorCode.INVALID_CHOICE, _("Unknown action."))])
    except DomainError as exc:
        return slot_office(request, pk, error=exc, status=exc.status)
    return HttpResponseRedirect(reverse("deputies:slot_office", args=[slot.pk]))


def question_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a question raised at a reception into an appeal (registered now, its clock running)."""
    question = selectors.question_or_none(pk)
    if question is None:
        raise Http404
    slot = question.visit.slot
    _office(request, slot.deputy)
    booking = question.visit.booking
    form = {
        "full_name": question.visit.name,
        "phone": question.visit.phone,
        "email": booking.email if booking is not None else "",
        "iin": "",
        "address": "",
        "topic": "",
    }
    error: DomainError | None = None
    status = 200
    if request.method == "POST" and question.appeal_id is None:
        form = {k: request.POST.get(k, "") for k in form}
        try:
            services.question_to_appeal(
                actor=acting_user(request),
                question=question,
                applicant={k: form[k] for k in ("full_name", "iin", "address", "phone", "email")},
                topic_code=form["topic"],
                language=(get_language() or "ru")[:2],
            )
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            return HttpResponseRedirect(reverse("deputies:question_appeal", args=[question.pk]))
    return render(
        request,
        "deputies/question_appeal.html",
        {
            "question": question,
            "slot": slot,
            "person": slot.deputy,
            "topics": appeal_selectors.topics(),
            "f": form,
            "error": error,
        },
        status=status,
    )


# ---------------------------------------------------------------- the area's calendar, akims' meetings


def area_calendar(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.area_or_none(code)
    if area is None:
        raise Http404
    return render(
        request,
        "deputies/area_calendar.html",
        {"area": area, "entries": selectors.area_calendar(area)},
    )


def area_calendar_ical(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.area_or_none(code)
    if area is None:
        raise Http404
    data = ical.area_calendar_bytes(selectors.area_calendar(area), name=area.name)
    return ical.bytes_response(data, name=f"meetings-{area.code}.ics")


def akim_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.akim_meeting_or_none(pk)
    if meeting is None:
        raise Http404
    return render(
        request,
        "deputies/akim_meeting.html",
        {
            "meeting": meeting,
            "is_office": permissions.can_manage_akim_meetings(request.user, meeting.body_id),
            "can_record": meeting.status == "announced" and meeting.meeting_at <= timezone.now(),
        },
    )


def _akim_office_body(request: HttpRequest, pk: int) -> Any:
    body = selectors.body_or_none(pk)
    if body is None or not permissions.can_manage_akim_meetings(request.user, body.pk):
        raise Http404
    return body


def akim_office(
    request: HttpRequest, pk: int, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    body = _akim_office_body(request, pk)
    return render(
        request,
        "deputies/akim_office.html",
        {
            "body": body,
            "areas": selectors.akim_meeting_areas(body),
            "meetings": selectors.akim_meetings_of(body),
            "error": error,
            "posted": request.POST if error else {},
        },
        status=status,
    )


@require_POST
def akim_office_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    body = _akim_office_body(request, pk)
    actor = acting_user(request)
    post = request.POST
    try:
        if action == "announce":
            area_pk = _int(post.get("area"))
            area = next((a for a in selectors.akim_meeting_areas(body) if a.pk == area_pk), None)
            when = datetime.combine(
                _date(post.get("meeting_date", ""), "meeting_date"),
                _time(post.get("meeting_time", ""), "meeting_time"),
            )
            meeting = services.akim_meeting_announce(
                actor=actor,
                body=body,
                area=area,
                akim_name=post.get("akim_name", ""),
                topic=post.get("topic", ""),
                place=post.get("place", ""),
                meeting_at=when,
            )
            return HttpResponseRedirect(reverse("deputies:akim_meeting", args=[meeting.pk]))
        found = selectors.akim_meeting_or_none(post.get("meeting"))
        if found is None or found.body_id != body.pk:
            raise Http404
        if action == "record":
            services.akim_meeting_record(actor=actor, meeting=found, record=post.get("record", ""))
        elif action == "cancel":
            services.akim_meeting_cancel(actor=actor, meeting=found)
        else:
            raise Http404
        return HttpResponseRedirect(reverse("deputies:akim_meeting", args=[found.pk]))
    except DomainError as exc:
        return akim_office(request, pk, error=exc, status=exc.status)
