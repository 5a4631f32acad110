"""Reads of the deputies app: a deputy's receptions with their free places (never who booked),
the office's bookings (personal data, for the deputy's office only), reports, inquiries and the
deputy's figures with their definitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maslikhat.directory.choices import DEPUTY_ROLES, MASLIKHAT_KINDS
from maslikhat.directory.models import Area, Membership, Organization, Person
from maslikhat.proceedings import selectors as proceedings_selectors
from maslikhat.proceedings.models import AgendaItem

from .choices import PLACE_STATUSES, BookingStatus, InquiryStatus, ReportStatus, SlotStatus
from .models import AkimMeeting, Booking, Inquiry, ReceptionSlot, VisitQuestion, VoterReport

# A deputy reports to the voters this often (months; a setting, default once a year).
REPORT_EVERY_MONTHS = 12


def report_every_months() -> int:
    return int(getattr(settings, "DEPUTY_REPORT_EVERY_MONTHS", REPORT_EVERY_MONTHS))


def deputy_body(person: Person, on: date | None = None) -> tuple[Organization, Area | None] | None:
    """The maslikhat a person sits in as a deputy (and their constituency), or None."""
    m = (
        Membership.objects.current(on)
        .filter(person=person, role__in=DEPUTY_ROLES, organization__kind__in=MASLIKHAT_KINDS)
        .select_related("organization__area", "post__area")
        .order_by("-start_date")
        .first()
    )
    if m is None:
        return None
    area = m.post.area if m.post is not None else None
    return m.organization, area


def person_or_none(pk: int) -> Person | None:
    return Person.objects.filter(pk=pk).first()


def was_deputy(person: Person) -> bool:
    return Membership.objects.filter(
        person=person, role__in=DEPUTY_ROLES, organization__kind__in=MASLIKHAT_KINDS
    ).exists()


def _with_taken(qs: QuerySet[ReceptionSlot]) -> QuerySet[ReceptionSlot]:
    return qs.select_related("schedule__settlement").annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=PLACE_STATUSES)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
    )


def upcoming_slots(person: Person, *, limit: int | None = 20) -> list[ReceptionSlot]:
    """Open receptions still to come, with `taken`, `waiting` and `free` places."""
    qs = _with_taken(
        ReceptionSlot.objects.filter(deputy=person, status=SlotStatus.OPEN, starts_at__gt=timezone.now())
    ).order_by("starts_at", "id")
    rows = list(qs[:limit] if limit else qs)
    for s in rows:
        s.free = max(0, s.capacity - s.taken)  # type: ignore[attr-defined]
    return rows


def past_slots(person: Person, *, limit: int = 20) -> list[ReceptionSlot]:
    qs = _with_taken(
        ReceptionSlot.objects.filter(deputy=person, status=SlotStatus.OPEN, starts_at__lte=timezone.now())
    ).annotate(visitors=Count("visits", distinct=True))
    return list(qs.order_by("-starts_at", "-id")[:limit])


def slot_or_none(pk: int) -> ReceptionSlot | None:
    rows = list(_with_taken(ReceptionSlot.objects.filter(pk=pk).select_related("deputy")))
    if not rows:
        return None
    slot = rows[0]
    slot.free = max(0, slot.capacity - slot.taken)  # type: ignore[attr-defined]
    return slot


def slot_bookings(slot: ReceptionSlot) -> list[Booking]:
    """Who booked (personal data: the deputy's office only)."""
    return list(slot.bookings.select_related("booked_by", "visit").order_by("created_at", "id"))


def slot_visits(slot: ReceptionSlot) -> list[Any]:
    return list(slot.visits.prefetch_related("questions__appeal").order_by("created_at", "id"))


def office_bookings(person: Person, day: date) -> list[Booking]:
    """The bookings of a deputy's receptions on one local day (the office's list for today)."""
    start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    return list(
        Booking.objects.filter(
            slot__deputy=person,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + timedelta(days=1),
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot__schedule")
        .order_by("slot__starts_at", "created_at", "id")
    )


def question_or_none(pk: int) -> VisitQuestion | None:
    return (
        VisitQuestion.objects.select_related("visit__slot__deputy", "visit__booking", "appeal")
        .filter(pk=pk)
        .first()
    )


def reports_of(person: Person, *, limit: int = 20) -> list[VoterReport]:
    return list(
        VoterReport.objects.filter(deputy=person)
        .exclude(status=ReportStatus.CANCELLED)
        .annotate(question_count=Count("questions"))
        .order_by("-meeting_at", "-id")[:limit]
    )


def report_or_none(pk: int) -> VoterReport | None:
    return (
        VoterReport.objects.select_related("deputy", "constituency")
        .prefetch_related("questions", "photos")
        .filter(pk=pk)
        .first()
    )


def inquiries_of(person: Person, *, limit: int = 50) -> list[Inquiry]:
    return list(
        Inquiry.objects.filter(Q(deputy=person) | Q(co_authors=person))
        .distinct()
        .order_by("-sent_on", "-id")[:limit]
    )


def inquiry_or_none(pk: int) -> Inquiry | None:
    return (
        Inquiry.objects.select_related("deputy", "body")
        .prefetch_related("co_authors", "appeals", "agenda_items__session")
        .filter(pk=pk)
        .first()
    )


def is_overdue_inquiry(inquiry: Inquiry, today: date | None = None) -> bool:
    return inquiry.status == InquiryStatus.SENT and inquiry.due_on < (today or timezone.localdate())


def report_due_on(person: Person) -> date | None:
    """When the next report to voters is due: the last published report's meeting (or the start
    of the deputy's mandate) plus the reporting period; None when not a deputy now."""
    found = deputy_body(person)
    if found is None:
        return None
    last = (
        VoterReport.objects.filter(deputy=person, status=ReportStatus.PUBLISHED)
        .order_by("-meeting_at")
        .values_list("meeting_at", flat=True)
        .first()
    )
    if last is not None:
        start = timezone.localtime(last).date()
    else:
        m = (
            Membership.objects.current()
            .filter(person=person, role__in=DEPUTY_ROLES, organization=found[0])
            .order_by("start_date")
            .first()
        )
        start = m.start_date if m is not None and m.start_date else timezone.localdate()
    return start + relativedelta(months=report_every_months())


@dataclass(frozen=True)
class DeputyFigure:
    key: str
    label: Promise
    value: str
    definition: Promise


FIGURE_DEFINITIONS: dict[str, tuple[Promise, Promise]] = {
    "receptions_held": (
        _("Receptions held"),
        _(
            "Receptions of voters in the last 12 months that took place (not cancelled, already "
            "begun), and the number of visitors recorded at them."
        ),
    ),
    "reports_on_time": (
        _("Report to voters on time"),
        _(
            "Whether the deputy has published a report to voters within the reporting period "
            "(every 12 months unless the maslikhat sets another) after the last one or after the "
            "start of the mandate."
        ),
    ),
    "inquiries_answered_on_time": (
        _("Inquiries answered on time"),
        _(
            "Of the deputy's inquiries whose answer was due by today, the share answered on or "
            "before the due date."
        ),
    ),
}


def deputy_figures(person: Person) -> list[DeputyFigure]:
    now = timezone.now()
    today = timezone.localdate()
    held = ReceptionSlot.objects.filter(
        deputy=person, status=SlotStatus.OPEN, starts_at__lte=now, starts_at__gte=now - timedelta(days=365)
    ).aggregate(n=Count("id", distinct=True), visitors=Count("visits", distinct=True))
    due_on = report_due_on(person)
    inq = (
        Inquiry.objects.filter(deputy=person)
        .exclude(status=InquiryStatus.WITHDRAWN)
        .filter(Q(due_on__lt=today) | Q(status=InquiryStatus.ANSWERED))
    )
    counted = list(inq.values_list("status", "answered_on", "due_on"))
    on_time = sum(1 for s, a, d in counted if s == InquiryStatus.ANSWERED and a is not None and a <= d)
    pct = f"{round(100 * on_time / len(counted))}%" if counted else "—"
    if due_on is None:
        report_value = "—"
    elif due_on >= today:
        report_value = str(_("yes, next due by %(date)s") % {"date": due_on.strftime("%d.%m.%Y")})
    else:
        report_value = str(_("overdue since %(date)s") % {"date": due_on.strftime("%d.%m.%Y")})
    values = {
        "receptions_held": str(
            _("%(n)d (%(visitors)d visitors)") % {"n": held["n"], "visitors": held["visitors"]}
        ),
        "reports_on_time": report_value,
        "inquiries_answered_on_time": f"{pct} ({on_time}/{len(counted)})" if counted else pct,
    }
    return [
        DeputyFigure(k, label, values[k], definition) for k, (label, definition) in FIGURE_DEFINITIONS.items()
    ]


def feed_entries(person: Person) -> list[dict[str, Any]]:
    """The deputy's public record as feed entries: receptions, reports, inquiries (newest first)."""
    from django.urls import reverse

    entries: list[dict[str, Any]] = []
    for s in (
        ReceptionSlot.objects.filter(deputy=person).select_related("schedule").order_by("-created_at")[:50]
    ):
        entries.append(
            {
                "title": f"{_('Reception')} {timezone.localtime(s.starts_at):%d.%m.%Y %H:%M}",
                "summary": f"{s.schedule.place} ({s.schedule.get_mode_display()})",
                "link": reverse("deputies:book", args=[s.pk]),
                "guid": f"reception-{s.pk}",
                "when": s.created_at,
            }
        )
    for r in VoterReport.objects.filter(deputy=person).exclude(status=ReportStatus.CANCELLED)[:50]:
        entries.append(
            {
                "title": f"{_('Report to voters')} {timezone.localtime(r.meeting_at):%d.%m.%Y}",
                "summary": r.text[:500] if r.text else r.place,
                "link": reverse("deputies:report", args=[r.pk]),
                "guid": f"report-{r.pk}",
                "when": r.published_at or r.created_at,
            }
        )
    for i in Inquiry.objects.filter(deputy=person)[:50]:
        entries.append(
            {
                "title": f"{_('Inquiry')} {i.number}: {i.subject}",
                "summary": f"{i.addressee}. {i.get_status_display()}",
                "link": reverse("deputies:inquiry", args=[i.pk]),
                "guid": f"inquiry-{i.pk}",
                "when": i.updated_at,
            }
        )
    return sorted(entries, key=lambda e: e["when"], reverse=True)


def booking_questions(booking: Booking) -> list[VisitQuestion]:
    """The questions the booked person raised at the reception, with the appeals made of them."""
    return list(VisitQuestion.objects.filter(visit__booking=booking).select_related("appeal").order_by("id"))


def schedules_of(person: Person) -> list[Any]:
    from .models import ReceptionSchedule

    return list(
        ReceptionSchedule.objects.filter(deputy=person)
        .select_related("settlement")
        .order_by("first_date", "id")
    )


def agenda_items_to_link(inquiry: Inquiry, *, limit: int = 100) -> list[AgendaItem]:
    """The agenda items of the inquiry's maslikhat's public sessions since it was sent (the most
    recent first): what the office may link it to."""
    sessions = proceedings_selectors.public_sessions(body=inquiry.body).filter(
        starts_at__date__gte=inquiry.sent_on
    )
    return list(
        AgendaItem.objects.filter(session__in=sessions)
        .exclude(pk__in=[i.pk for i in inquiry.agenda_items.all()])
        .select_related("session")
        .order_by("-session__starts_at", "order")[:limit]
    )


def inquiry_agenda_item(inquiry: Inquiry, pk: Any) -> AgendaItem | None:
    """One of `agenda_items_to_link`, or None (a forged or stale id)."""
    try:
        wanted = int(pk)
    except (TypeError, ValueError):
        return None
    return next((i for i in agenda_items_to_link(inquiry, limit=1000) if i.pk == wanted), None)


# ---------------------------------------------------------------- the area's calendar

# The territories an akim of which reports to the population: administrative units.
AKIM_AREA_KINDS = ("region", "district", "city", "city_district", "rural_okrug", "town")


def akim_meeting_areas(body: Organization) -> list[Area]:
    """The territories whose akims' meetings a maslikhat's apparatus may put on the calendar:
    the maslikhat's own territory and the administrative units directly inside it."""
    if body.area_id is None:
        return []
    return list(
        Area.objects.current()
        .filter(Q(pk=body.area_id) | Q(parent_id=body.area_id), kind__in=AKIM_AREA_KINDS)
        .order_by("parent_id", "name_en")
    )


def akim_meetings_of(body: Organization, *, limit: int = 50) -> list[AkimMeeting]:
    return list(AkimMeeting.objects.filter(body=body).select_related("area").order_by("-meeting_at")[:limit])


def akim_meeting_or_none(pk: Any) -> AkimMeeting | None:
    try:
        wanted = int(pk)
    except (TypeError, ValueError):
        return None
    return AkimMeeting.objects.select_related("area", "body").filter(pk=wanted).first()


@dataclass(frozen=True)
class CalendarEntry:
    """One meeting with the population on an area's calendar."""

    kind: str  # "voter_report" | "akim_meeting"
    uid: str
    starts_at: datetime
    title: str
    place: str
    url: str
    status: str
    status_label: Any
    cancelled: bool
    updated_at: datetime


def _within(area: Area, prefix: str) -> Q:
    """Rows whose `prefix` area is `area` or lies up to two levels inside it."""
    return (
        Q(**{f"{prefix}_id": area.pk})
        | Q(**{f"{prefix}__parent_id": area.pk})
        | Q(**{f"{prefix}__parent__parent_id": area.pk})
    )


def area_calendar(area: Area, *, since: datetime | None = None, limit: int = 200) -> list[CalendarEntry]:
    """The deputies' reports to voters held by the maslikhats of the area and inside it, and the
    akims' meetings with the population of the area and inside it, from `since` (default: 30
    days ago), in time order. Two queries."""
    start = since or timezone.now() - timedelta(days=30)
    entries: list[CalendarEntry] = []
    reports = (
        VoterReport.objects.filter(_within(area, "body__area"), meeting_at__gte=start)
        .select_related("deputy")
        .order_by("meeting_at")[:limit]
    )
    for r in reports:
        entries.append(
            CalendarEntry(
                kind="voter_report",
                uid=f"voter-report-{r.pk}@maslikhat",
                starts_at=r.meeting_at,
                title=str(_("Deputy %(name)s reports to voters") % {"name": r.deputy.name}),
                place=r.place,
                url=reverse("deputies:report", args=[r.pk]),
                status=r.status,
                status_label=r.get_status_display(),
                cancelled=r.status == ReportStatus.CANCELLED,
                updated_at=r.updated_at,
            )
        )
    meetings = (
        AkimMeeting.objects.filter(_within(area, "area"), meeting_at__gte=start)
        .select_related("area")
        .order_by("meeting_at")[:limit]
    )
    for m in meetings:
        entries.append(
            CalendarEntry(
                kind="akim_meeting",
                uid=f"akim-meeting-{m.pk}@maslikhat",
                starts_at=m.meeting_at,
                title=str(
                    _("Akim %(name)s meets the population: %(topic)s")
                    % {"name": m.akim_name, "topic": m.topic}
                ),
                place=m.place,
                url=reverse("deputies:akim_meeting", args=[m.pk]),
                status=m.status,
                status_label=m.get_status_display(),
                cancelled=m.status == "cancelled",
                updated_at=m.updated_at,
            )
        )
    entries.sort(key=lambda e: (e.starts_at, e.uid))
    return entries[:limit]


def area_or_none(code: str) -> Area | None:
    if not isinstance(code, str) or len(code) > 40:
        return None
    return Area.objects.current().filter(code=code).first()


def body_or_none(pk: int) -> Organization | None:
    return (
        Organization.objects.current().filter(pk=pk, kind__in=MASLIKHAT_KINDS).select_related("area").first()
    )


def report_of_deputy(person: Person, pk: int | None) -> VoterReport | None:
    """One of the deputy's own reports to voters (an office form's id), or None."""
    return VoterReport.objects.filter(deputy=person, pk=pk or 0).first()


def inquiry_of_deputy(person: Person, pk: int | None) -> Inquiry | None:
    """One of the deputy's own inquiries (an office form's id), or None."""
    return Inquiry.objects.filter(deputy=person, pk=pk or 0).first()
