"""The deputies app's scorecard figures: receptions held, reports to voters on time, deputy
inquiries answered on time (the maslikhat-wide counterparts of a deputy's own figures in
`selectors.deputy_figures`, with the same rules).

Registered with the scorecard's registry (`maslikhat.core.figures`) by `DeputiesConfig.ready`.
Four queries whatever the number of bodies: receptions and inquiries are aggregated in the
database; the deputies' mandates and their published reports are read once and matched here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.figures import (
    Body,
    Bucket,
    Figure,
    FigureSource,
    Values,
    bucket_case,
    empty,
    fmt_count,
    fmt_pct,
)
from maslikhat.directory.choices import DEPUTY_ROLES
from maslikhat.directory.models import Membership

from .choices import InquiryStatus, ReportStatus, SlotStatus
from .models import Inquiry, ReceptionSlot, VoterReport
from .selectors import report_every_months

DEPUTIES = _("Deputies and voters")

FIGURES: tuple[Figure, ...] = (
    Figure(
        "receptions_held",
        _("Receptions held"),
        _(
            "Receptions of voters by the maslikhat's deputies that took place in the period (not "
            "cancelled, already begun)."
        ),
        "count",
        True,
        fmt_count,
        DEPUTIES,
    ),
    Figure(
        "voter_reports_on_time_pct",
        _("Reports to voters on time"),
        _(
            "Share of the maslikhat's deputies in office on the last day of the period (or today) "
            "whose report to voters was not overdue that day: they had held a reporting meeting "
            "with a published report within the reporting period (every 12 months unless the "
            "maslikhat sets another), or their mandate began less than a period before."
        ),
        "pct",
        True,
        fmt_pct,
        DEPUTIES,
    ),
    Figure(
        "inquiries_answered_on_time_pct",
        _("Deputy inquiries answered on time"),
        _(
            "Of the deputies' inquiries whose answer was due in the period and is due by now or "
            "given (withdrawn ones aside), the share answered on or before the due date."
        ),
        "pct",
        True,
        fmt_pct,
        DEPUTIES,
    ),
)


def pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).date()


def report_on_time(*, on: date, mandate_start: date, last_report: date | None, months: int) -> bool:
    """The rule of the deputy's page (`selectors.report_due_on`): the next report is due a
    reporting period after the last published one, or after the start of the mandate."""
    start = last_report if last_report is not None else mandate_start
    return start + relativedelta(months=months) >= on


def deputies_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Receptions by their start, inquiries by their due date (one aggregate each); the
    deputies' mandates over the buckets and their published reports (one query each), each
    deputy judged on the bucket's last day (today for the current one)."""
    out = empty(buckets)
    if not bodies or not buckets:
        return out
    ids = [b.id for b in bodies]
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    moments = [(_midnight(s), _midnight(e)) for s, e in buckets]
    found: dict[tuple[int, int], dict[str, Any]] = {}

    begun_before = min(_midnight(today + timedelta(days=1)), timezone.now())
    slots = (
        ReceptionSlot.objects.filter(
            schedule__body_id__in=ids,
            status=SlotStatus.OPEN,
            starts_at__gte=_midnight(lo),
            starts_at__lt=min(_midnight(hi), begun_before),
        )
        .annotate(b=bucket_case("starts_at", moments))
        .values("schedule__body_id", "b")
        .annotate(n=Count("id"))
        .order_by()
    )
    for s in slots:
        found.setdefault((s["schedule__body_id"], s["b"]), {})["receptions_held"] = s["n"]

    answered = Q(status=InquiryStatus.ANSWERED, answered_on__isnull=False)
    inquiries = (
        Inquiry.objects.filter(body_id__in=ids, due_on__gte=lo, due_on__lt=hi)
        .exclude(status=InquiryStatus.WITHDRAWN)
        .filter(Q(due_on__lt=today) | answered)
        .annotate(b=bucket_case("due_on", buckets))
        .values("body_id", "b")
        .annotate(n=Count("id"), on_time=Count("id", filter=answered & Q(answered_on__lte=F("due_on"))))
        .order_by()
    )
    for q in inquiries:
        found.setdefault((q["body_id"], q["b"]), {})["inquiries_answered_on_time_pct"] = pct(
            q["on_time"], q["n"]
        )

    # The day each bucket is judged on: its last day, or today while it runs (None: not begun).
    judged = [min(e - timedelta(days=1), today) if s <= today else None for s, e in buckets]
    days = [d for d in judged if d is not None]
    if days:
        first, last = min(days), max(days)
        mandates = (
            Membership.objects.filter(organization_id__in=ids, role__in=DEPUTY_ROLES, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=first))
            .values_list("organization_id", "person_id", "start_date", "end_date")
        )
        rows = list(mandates)
        reports: dict[int, list[date]] = {}
        for person_id, meeting_at in VoterReport.objects.filter(
            deputy_id__in=mandates.values("person_id"),
            status=ReportStatus.PUBLISHED,
            meeting_at__lt=_midnight(last + timedelta(days=1)),
        ).values_list("deputy_id", "meeting_at"):
            reports.setdefault(person_id, []).append(_local_day(meeting_at))
        months = report_every_months()
        for i, day in enumerate(judged):
            if day is None:
                continue
            # Each deputy once per body: the earliest start of the mandates in force that day.
            starts: dict[tuple[int, int], date] = {}
            for body_id, person_id, start, end in rows:
                if start <= day and (end is None or end > day):
                    key = (body_id, person_id)
                    starts[key] = min(start, starts.get(key, start))
            counted: dict[int, list[int]] = {}
            for (body_id, person_id), start in starts.items():
                held = [d for d in reports.get(person_id, []) if d <= day]
                ok = report_on_time(
                    on=day, mandate_start=start, last_report=max(held) if held else None, months=months
                )
                tally = counted.setdefault(body_id, [0, 0])
                tally[0] += int(ok)
                tally[1] += 1
            for body_id, (ok_n, n) in counted.items():
                found.setdefault((body_id, i), {})["voter_reports_on_time_pct"] = pct(ok_n, n)

    zero = {
        "receptions_held": 0,
        "voter_reports_on_time_pct": None,
        "inquiries_answered_on_time_pct": None,
    }
    for i, values in enumerate(out):
        for body in bodies:
            values[body.id] = {**zero, **found.get((body.id, i), {})}
    return out


# Kept per version of its family and the directory's (the mandates; core.figures.source_values),
# for at most five minutes: receptions count once they have begun.
SOURCE = FigureSource(
    name="deputies",
    figures=FIGURES,
    compute=deputies_source,
    families=("deputies", "directory"),
    clock_seconds=300,
)
