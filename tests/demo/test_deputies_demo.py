"""The synthetic receptions, reports to voters and inquiries of the demo: every state present,
labelled, made by the services, idempotent, and the pages that show them render."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from maslikhat.demo.deputies_demo import generate_demo_deputies
from maslikhat.deputies.choices import BookingStatus, InquiryStatus, ReportStatus
from maslikhat.deputies.models import (
    Booking,
    Inquiry,
    ReceptionSchedule,
    ReceptionSlot,
    ReportQuestion,
    Visit,
    VisitQuestion,
    VoterReport,
)
from maslikhat.deputies.selectors import deputy_figures, report_due_on
from maslikhat.directory.choices import OrganizationKind
from tests.demo.two_regions import build_directory
from tests.hostile.world import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(reference_snapshot: Any, django_db_blocker: Any) -> Iterator[int]:
    """The demo directory of Astana and Almaty region with Talgar's district maslikhat, then
    the deputies' demo.
    Built once per module, inside a transaction rolled back after it (each test runs in its own
    savepoint on top: what a test writes is undone after it)."""
    with django_db_blocker.unblock(), rolled_back():
        build_directory(reference_snapshot)
        started = time.perf_counter()
        made = generate_demo_deputies(seed=1)
        print(f"deputies demo: {made} rows in {time.perf_counter() - started:.1f} s")  # noqa: T201
        yield made


def test_every_state_is_present_and_labelled(demo: int) -> None:
    # given the demo of two regions, when the deputies' demo has run
    assert demo > 0
    # then several maslikhats, of both levels, have schedules
    bodies = ReceptionSchedule.objects.values_list("body__kind", flat=True).distinct()
    assert OrganizationKind.REGIONAL_MASLIKHAT in bodies and OrganizationKind.DISTRICT_MASLIKHAT in bodies
    assert ReceptionSchedule.objects.values("body").distinct().count() >= 3
    # Saturday and evening receptions, ahead and held
    now = timezone.now()
    coming = ReceptionSlot.objects.filter(starts_at__gt=now)
    assert any(timezone.localtime(s.starts_at).weekday() == 5 for s in coming)
    assert any(timezone.localtime(s.starts_at).hour >= 18 for s in coming)
    assert ReceptionSlot.objects.filter(starts_at__lt=now, visits__isnull=False).exists()
    # bookings in every state, a full slot with its waiting list, never over capacity
    assert set(Booking.objects.values_list("status", flat=True)) == {
        BookingStatus.BOOKED,
        BookingStatus.WAITING,
        BookingStatus.ATTENDED,
        BookingStatus.NO_SHOW,
    }
    for slot in ReceptionSlot.objects.annotate(
        taken=Count(
            "bookings", filter=~Q(bookings__status__in=[BookingStatus.WAITING, BookingStatus.CANCELLED])
        )
    ):
        assert slot.taken <= slot.capacity
    # walk-in visits too, and one question became an appeal (to the deputy, with its number)
    assert Visit.objects.filter(booking__isnull=True).exists()
    appealed = VisitQuestion.objects.filter(appeal__isnull=False).select_related("appeal", "visit__slot")
    assert appealed.count() == 1
    assert appealed[0].appeal.deputy_id == appealed[0].visit.slot.deputy_id
    assert appealed[0].appeal.registration_number
    # reports published with answered questions, announced with a question, one awaiting its report
    assert ReportQuestion.objects.filter(report__status=ReportStatus.PUBLISHED).exclude(answer="").exists()
    assert VoterReport.objects.filter(
        status=ReportStatus.ANNOUNCED, meeting_at__gt=now, questions__isnull=False
    )
    assert VoterReport.objects.filter(status=ReportStatus.ANNOUNCED, meeting_at__lt=now).exists()
    # and a deputy whose report is overdue
    overdue = [
        r.deputy
        for r in VoterReport.objects.select_related("deputy")
        if report_due_on(r.deputy) < timezone.localdate()
    ]
    assert overdue
    # inquiries in every state: answered on time and late, waiting, overdue, withdrawn
    assert set(Inquiry.objects.values_list("status", flat=True)) == set(InquiryStatus.values)
    answered = list(Inquiry.objects.filter(status=InquiryStatus.ANSWERED))
    assert {i.answered_on_time for i in answered} == {True, False}
    sent = Inquiry.objects.filter(status=InquiryStatus.SENT)
    today = timezone.localdate()
    assert sent.filter(due_on__lt=today).exists() and sent.filter(due_on__gte=today).exists()
    assert Inquiry.objects.filter(co_authors__isnull=False).exists()
    assert Inquiry.objects.filter(appeals__isnull=False).exists()
    # every row is labelled as demo data
    for model in (ReceptionSchedule, ReceptionSlot, Booking, Visit, VoterReport, ReportQuestion, Inquiry):
        assert not model.objects.filter(is_demo=False).exists(), model
    assert all(q.appeal.is_demo for q in appealed)


def test_a_second_run_makes_nothing(demo: int) -> None:
    before = Booking.objects.count(), Inquiry.objects.count()
    assert generate_demo_deputies(seed=1) == 0
    assert (Booking.objects.count(), Inquiry.objects.count()) == before


def test_the_pages_render(demo: int) -> None:
    # given a demo deputy with a record, their pages answer
    client = Client()
    for deputy_id in ReceptionSchedule.objects.values_list("deputy", flat=True).distinct():
        person = f"/en/people/{deputy_id}/"
        html = client.get(person).content.decode()
        assert "Receptions of voters" in html and "Receptions held" in html, person
        for url in (
            f"/ru/deputies/{deputy_id}/",
            f"/ru/deputies/{deputy_id}/feed/",
            f"/ru/deputies/{deputy_id}/calendar.ics",
        ):
            assert client.get(url).status_code == 200, url
    for slot in ReceptionSlot.objects.filter(starts_at__gt=timezone.now())[:3]:
        assert client.get(f"/ru/deputies/receptions/{slot.pk}/").status_code == 200
    for report in VoterReport.objects.all()[:3]:
        assert client.get(f"/ru/deputies/reports/{report.pk}/").status_code == 200
    for inquiry in Inquiry.objects.all()[:3]:
        assert client.get(f"/ru/deputies/inquiries/{inquiry.pk}/").status_code == 200
    # and the figures have values
    deputy = ReceptionSchedule.objects.select_related("deputy").first().deputy
    assert all(f.value != "—" for f in deputy_figures(deputy))
