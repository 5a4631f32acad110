"""What the deputies app adds to the person page of a deputy (see maslikhat.core.sections): the
deputy's public record in the body of the page (receptions held and coming, with free places
and a booking link; reports to voters, an overdue one shown; inquiries, answered and overdue),
each block with its figure and the figure's definition; and the deputy's Atom feed and iCal
calendar announced in the page's head.

The record costs a constant number of queries whatever the deputy's history: the person page
prefetches the memberships (read here from that cache), then one query per list and one
aggregate per figure (`RECORD_QUERIES`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from maslikhat.core.sections import PageSection
from maslikhat.directory.choices import DEPUTY_ROLES, MASLIKHAT_KINDS
from maslikhat.directory.models import Membership, Person

from . import selectors
from .choices import InquiryStatus, ReportStatus, SlotStatus
from .models import Inquiry, ReceptionSlot, VoterReport

# After the "write to" buttons and before the proceedings' attendance and votes (order 30).
RECORD_ORDER = 10
UPCOMING_SHOWN = 5
HELD_SHOWN = 5
REPORTS_SHOWN = 5
INQUIRIES_SHOWN = 5
# upcoming, held (list and figure), reports (list and last published), inquiries (list and figure)
RECORD_QUERIES = 7


@dataclass(frozen=True)
class Figure:
    label: Promise
    value: str
    definition: Promise


def _figure(key: str, value: str) -> Figure:
    label, definition = selectors.FIGURE_DEFINITIONS[key]
    return Figure(label, value, definition)


def _deputy_memberships(person: Person) -> list[Membership]:
    """The person's deputy memberships of maslikhats (the page's prefetched ones when there)."""
    return [
        m
        for m in person.memberships.all()
        if m.role in DEPUTY_ROLES and m.organization.kind in MASLIKHAT_KINDS
    ]


def _report_due_on(current: list[Membership], last_published: Any) -> date | None:
    """As `selectors.report_due_on`, from what the section has already read."""
    if not current:
        return None
    if last_published is not None:
        start = timezone.localtime(last_published).date()
    else:
        body_id = max(current, key=lambda m: m.start_date).organization_id
        starts = [m.start_date for m in current if m.organization_id == body_id and m.start_date]
        start = min(starts) if starts else timezone.localdate()
    return start + relativedelta(months=selectors.report_every_months())


def _receptions(person: Person) -> dict[str, Any]:
    now = timezone.now()
    held = ReceptionSlot.objects.filter(
        deputy=person, status=SlotStatus.OPEN, starts_at__lte=now, starts_at__gte=now - timedelta(days=365)
    ).aggregate(n=Count("id", distinct=True), visitors=Count("visits", distinct=True))
    value = _("%(n)d (%(visitors)d visitors)") % {"n": held["n"], "visitors": held["visitors"]}
    return {
        "upcoming": selectors.upcoming_slots(person, limit=UPCOMING_SHOWN),
        "held": selectors.past_slots(person, limit=HELD_SHOWN),
        "receptions_figure": _figure("receptions_held", value),
    }


def _reports(person: Person, current: list[Membership], today: date) -> dict[str, Any]:
    reports = selectors.reports_of(person, limit=REPORTS_SHOWN)
    last = VoterReport.objects.filter(deputy=person, status=ReportStatus.PUBLISHED).aggregate(
        last=Max("meeting_at")
    )["last"]
    due_on = _report_due_on(current, last)
    now = timezone.now()
    for r in reports:
        # the meeting took place but its report is not published yet
        r.awaiting_report = r.status == ReportStatus.ANNOUNCED and r.meeting_at < now  # type: ignore[attr-defined]
    if due_on is None:
        value = "—"
    elif due_on >= today:
        value = _("yes, next due by %(date)s") % {"date": due_on.strftime("%d.%m.%Y")}
    else:
        value = _("overdue since %(date)s") % {"date": due_on.strftime("%d.%m.%Y")}
    return {
        "reports": reports,
        "report_due_on": due_on,
        "report_overdue": due_on is not None and due_on < today,
        "reports_figure": _figure("reports_on_time", value),
    }


def _inquiries(person: Person, today: date) -> dict[str, Any]:
    inquiries = selectors.inquiries_of(person, limit=INQUIRIES_SHOWN)
    for i in inquiries:
        i.overdue = selectors.is_overdue_inquiry(i, today)  # type: ignore[attr-defined]
    answered = Q(status=InquiryStatus.ANSWERED)
    counts = (
        Inquiry.objects.filter(deputy=person)
        .exclude(status=InquiryStatus.WITHDRAWN)
        .aggregate(
            counted=Count("id", filter=Q(due_on__lt=today) | answered),
            on_time=Count("id", filter=answered & Q(answered_on__lte=F("due_on"))),
            overdue=Count("id", filter=Q(status=InquiryStatus.SENT, due_on__lt=today)),
        )
    )
    counted, on_time = counts["counted"], counts["on_time"]
    value = f"{round(100 * on_time / counted)}% ({on_time}/{counted})" if counted else "—"
    return {
        "inquiries": inquiries,
        "inquiries_overdue": counts["overdue"],
        "inquiries_figure": _figure("inquiries_answered_on_time", value),
    }


def _record(request: HttpRequest | None, person: Person) -> dict[str, Any] | None:
    memberships = _deputy_memberships(person)
    if not memberships:
        return None
    today = timezone.localdate()
    current = [m for m in memberships if m.in_force(today)]
    return {
        "person": person,
        "sitting": bool(current),
        "today": today,
        "record_url": reverse("deputies:deputy", kwargs={"pk": person.pk}),
        "ical_url": reverse("deputies:ical", kwargs={"pk": person.pk}),
        "feed_url": reverse("deputies:feed", kwargs={"pk": person.pk}),
        **_receptions(person),
        **_reports(person, current, today),
        **_inquiries(person, today),
    }


def _feeds(request: HttpRequest | None, person: Person) -> dict[str, Any] | None:
    if not _deputy_memberships(person):
        return None
    return {
        "feed_title": f"{person.name}: {_('receptions, reports and inquiries')}",
        "feed_url": reverse("deputies:feed", kwargs={"pk": person.pk}),
        "ical_title": f"{person.name}: {_('receptions of voters')}",
        "ical_url": reverse("deputies:ical", kwargs={"pk": person.pk}),
    }


def _area_meetings(request: HttpRequest | None, area: Any) -> dict[str, Any] | None:
    """The area's coming meetings with the population (deputies' reports, akims' meetings)."""
    from django.utils import timezone

    from .selectors import area_calendar

    return {"area": area, "entries": area_calendar(area, since=timezone.now(), limit=5)}


def _akim_office_link(request: HttpRequest | None, body: Any) -> dict[str, Any] | None:
    """A link to the akims' meetings form, for the maslikhat's apparatus only."""
    from .permissions import can_manage_akim_meetings

    if request is None or not can_manage_akim_meetings(request.user, body.pk):
        return None
    return {"body": body}


SECTIONS = (
    PageSection(
        "deputies.record",
        "directory.deputy",
        "main",
        "deputies/sections/record.html",
        _record,
        order=RECORD_ORDER,
    ),
    PageSection("deputies.feeds", "directory.deputy", "feeds", "deputies/sections/feeds.html", _feeds),
    PageSection(
        "deputies.area_meetings",
        "directory.area",
        "main",
        "deputies/sections/area_meetings.html",
        _area_meetings,
    ),
    PageSection(
        "deputies.akim_office",
        "directory.body",
        "actions",
        "deputies/sections/akim_office.html",
        _akim_office_link,
    ),
)
