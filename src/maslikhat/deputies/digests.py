"""What the deputies app adds to the follows' digests (see maslikhat.core.digests), for a deputy
follow (that deputy's) and for area and body follows (the deputies of the maslikhats covered):
receptions published in the period that still have free places, reports to voters announced or
published in it, and deputy inquiries whose answer was recorded in it; on the follows page, the
receptions with free places now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maslikhat.core.digests import (
    AREA,
    BODY,
    DEPUTY,
    DIGEST_LIMIT,
    DigestItem,
    DigestScope,
    DigestSource,
    counted,
    in_period,
)

from .choices import PLACE_STATUSES, InquiryStatus, ReportStatus, SlotStatus
from .models import Inquiry, ReceptionSlot, VoterReport

KINDS = frozenset({AREA, BODY, DEPUTY})


def _covers(scope: DigestScope) -> bool:
    return scope.deputy_id is not None if scope.kind == DEPUTY else bool(scope.body_ids)


def _free_slots(scope: DigestScope) -> QuerySet[ReceptionSlot]:
    qs = ReceptionSlot.objects.filter(status=SlotStatus.OPEN, starts_at__gt=timezone.now())
    if scope.kind == DEPUTY:
        qs = qs.filter(deputy_id=scope.deputy_id)
    else:
        qs = qs.filter(schedule__body_id__in=scope.body_ids)
    return (
        qs.select_related("deputy", "schedule")
        .annotate(taken=Count("bookings", filter=Q(bookings__status__in=PLACE_STATUSES)))
        .filter(taken__lt=F("capacity"))
        .order_by("starts_at", "id")
    )


def receptions(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not _covers(scope):
        return 0, []
    return counted(_free_slots(scope).filter(**in_period("created_at", since, until)))


def receptions_now(scope: DigestScope) -> list[Any]:
    if not _covers(scope):
        return []
    return list(_free_slots(scope)[:DIGEST_LIMIT])


def reception_item(slot: Any) -> DigestItem:
    free = max(0, slot.capacity - slot.taken)
    detail = gettext("%(place)s (%(mode)s): %(free)s of %(capacity)s places free") % {
        "place": slot.schedule.place,
        "mode": slot.schedule.get_mode_display(),
        "free": free,
        "capacity": slot.capacity,
    }
    return DigestItem(
        title=gettext("Reception of %(deputy)s") % {"deputy": slot.deputy.name},
        url=reverse("deputies:book", kwargs={"pk": slot.pk}),
        date=timezone.localtime(slot.starts_at),
        detail=detail,
    )


def reports(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not _covers(scope):
        return 0, []
    qs = VoterReport.objects.exclude(status=ReportStatus.CANCELLED)
    if scope.kind == DEPUTY:
        qs = qs.filter(deputy_id=scope.deputy_id)
    else:
        qs = qs.filter(body_id__in=scope.body_ids)
    qs = qs.filter(Q(**in_period("created_at", since, until)) | Q(**in_period("published_at", since, until)))
    return counted(qs.select_related("deputy").defer("text").order_by("-meeting_at", "-id"))


def report_item(r: VoterReport) -> DigestItem:
    if r.status == ReportStatus.PUBLISHED:
        detail = gettext("The report is published.")
    else:
        detail = gettext("Meeting with the voters: %(place)s. Send your questions before it.") % {
            "place": r.place
        }
    return DigestItem(
        title=gettext("Report to voters: %(deputy)s") % {"deputy": r.deputy.name},
        url=reverse("deputies:report", kwargs={"pk": r.pk}),
        date=timezone.localtime(r.meeting_at),
        detail=detail,
    )


def inquiries(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not _covers(scope):
        return 0, []
    qs = Inquiry.objects.filter(status=InquiryStatus.ANSWERED, **in_period("updated_at", since, until))
    if scope.kind == DEPUTY:
        through = Inquiry.co_authors.through.objects
        authored = through.filter(person_id=scope.deputy_id or -1).values("inquiry_id")
        qs = qs.filter(Q(deputy_id=scope.deputy_id) | Q(pk__in=authored))
    else:
        qs = qs.filter(body_id__in=scope.body_ids)
    return counted(qs.defer("text", "answer").order_by("-answered_on", "-id"))


def inquiry_item(i: Inquiry) -> DigestItem:
    return DigestItem(
        title=f"№{i.number} {i.subject}",
        url=reverse("deputies:inquiry", kwargs={"pk": i.pk}),
        date=i.answered_on,
        detail=gettext("%(addressee)s answered (due %(due)s)")
        % {"addressee": i.addressee, "due": date_format(i.due_on, "DATE_FORMAT")},
    )


SOURCES = (
    DigestSource(
        name="deputies.receptions",
        label=_("Deputies' receptions with free places"),
        kinds=KINDS,
        read=receptions,
        item=reception_item,
        order=60,
        open_now=receptions_now,
        open_label=_("Deputies' receptions with free places now"),
    ),
    DigestSource(
        name="deputies.reports",
        label=_("Reports to voters"),
        kinds=KINDS,
        read=reports,
        item=report_item,
        order=61,
    ),
    DigestSource(
        name="deputies.inquiries",
        label=_("Deputy inquiries answered"),
        kinds=KINDS,
        read=inquiries,
        item=inquiry_item,
        order=62,
    ),
)
