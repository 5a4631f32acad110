"""Receptions, reports to voters and inquiries through the services."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from maslikhat.core.errors import DomainError, FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.deputies import services
from maslikhat.deputies.choices import BookingStatus, InquiryStatus, ReportStatus
from maslikhat.deputies.models import Booking, ReceptionSlot

pytestmark = pytest.mark.django_db


def _book(slot: Any, phone: str, name: str = "Caller", **kw: Any) -> Booking:
    booking, _token = services.booking_create(actor=None, slot=slot, name=name, phone=phone, **kw)
    return booking


def test_weekly_schedule_generates_one_slot_a_week_on_its_weekday(schedule: Any) -> None:
    slots = list(schedule.slots.order_by("starts_at"))
    assert len(slots) == 4
    local = [timezone.localtime(s.starts_at) for s in slots]
    assert {d.weekday() for d in local} == {5}
    assert {d.time() for d in local} == {time(10, 0)}
    assert [(b - a).days for a, b in zip(local, local[1:], strict=False)] == [7, 7, 7]
    assert all(s.capacity == 3 and s.ends_at - s.starts_at == timedelta(hours=2) for s in slots)


def test_single_schedule_and_bad_input(office: dict[str, Any]) -> None:
    day = timezone.localdate() + timedelta(days=3)
    single = services.schedule_create(
        actor=office["deputy_user"],
        deputy=office["deputy"],
        place="Online",
        mode="online",
        recurrence="single",
        start_time=time(19, 0),
        duration_minutes=60,
        capacity=5,
        first_date=day,
    )
    assert single.slots.count() == 1
    with pytest.raises(FieldErrors) as exc:
        services.schedule_create(
            actor=None,
            deputy=office["deputy"],
            place=" ",
            mode="telepathy",
            recurrence="weekly",
            weekday=9,
            start_time=time(19, 0),
            duration_minutes=0,
            capacity=10**9,
            first_date=day - timedelta(days=30),
        )
    fields = {f for f, _c, _m in exc.value.errors}
    assert fields == {"place", "mode", "weekday", "capacity", "duration_minutes", "first_date"}


def test_schedule_for_someone_not_a_deputy_is_refused(office: dict[str, Any]) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.schedule_create(
            actor=None,
            deputy=office["chair"].__class__.objects.create(name_kk="Жай адам"),
            place="X",
            mode="phone",
            recurrence="single",
            start_time=time(9, 0),
            duration_minutes=30,
            capacity=1,
            first_date=timezone.localdate(),
        )
    assert exc.value.errors[0][1] == "not_a_deputy"


def test_booking_normalises_the_phone_and_sends_a_confirmation(
    slot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking, token = services.booking_create(
            actor=None, slot=slot, name="Aigul", phone="8 701 234 56 78", email="aigul@example.org"
        )
    assert booking.phone == "+77012345678"
    assert booking.status == BookingStatus.BOOKED
    assert booking.token_hash == services.hash_token(token) and token not in booking.token_hash
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    assert ActionLog.objects.filter(event="deputies.booked").count() == 1


@pytest.mark.parametrize("phone", ["12", "+7 000 000 00 00", "abc", "\x00", "\ud800", "9" * 60])
def test_bad_phone_is_refused(slot: Any, phone: str) -> None:
    with pytest.raises(FieldErrors) as exc:
        _book(slot, phone)
    assert exc.value.errors[0][:2] == ("phone", "invalid_phone") or exc.value.errors[0][0] == "phone"
    assert not Booking.objects.exists()


def test_anonymous_booking_needs_name_and_phone(slot: Any) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.booking_create(actor=None, slot=slot)
    assert {f for f, _c, _m in exc.value.errors} == {"name", "phone"}


def test_account_booking_uses_the_account(slot: Any, office: dict[str, Any]) -> None:
    booking, _ = services.booking_create(actor=office["resident"], slot=slot)
    assert booking.user == office["resident"] and booking.name == "Aruzhan"
    assert booking.email == "resident@example.org"
    with pytest.raises(DomainError) as exc:
        services.booking_create(actor=office["resident"], slot=slot)
    assert exc.value.code == "already_booked"


def test_same_phone_twice_is_refused(slot: Any) -> None:
    _book(slot, "+77012345678")
    with pytest.raises(DomainError) as exc:
        _book(slot, "87012345678")
    assert exc.value.code == "already_booked" and exc.value.status == 400
    assert Booking.objects.count() == 1


def test_past_and_cancelled_slots_are_refused(slot: Any) -> None:
    ReceptionSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(DomainError) as exc:
        _book(slot, "+77012345678")
    assert exc.value.code == "slot_past"
    other = slot.schedule.slots.order_by("starts_at")[1]
    services.slot_cancel(actor=None, slot=other)
    with pytest.raises(NotAllowed):
        _book(other, "+77012345678")


def test_full_slot_waits_and_a_cancellation_promotes_the_first_waiting(
    slot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    booked = [_book(slot, f"+7701000000{i}") for i in range(3)]
    first_wait = _book(slot, "+77010000010", email="wait1@example.org")
    second_wait = _book(slot, "+77010000011")
    assert [b.status for b in booked] == ["booked"] * 3
    assert first_wait.status == second_wait.status == BookingStatus.WAITING
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=None, booking=booked[1])

    first_wait.refresh_from_db()
    second_wait.refresh_from_db()
    assert first_wait.status == BookingStatus.BOOKED and second_wait.status == BookingStatus.WAITING
    assert services.places_taken(slot) == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wait1@example.org"]
    with pytest.raises(NotAllowed):
        services.booking_cancel(actor=None, booking=booked[1])


def test_cancelling_a_waiting_booking_promotes_nobody(slot: Any) -> None:
    for i in range(3):
        _book(slot, f"+7701000000{i}")
    w1 = _book(slot, "+77010000010")
    w2 = _book(slot, "+77010000011")
    services.booking_cancel(actor=None, booking=w1)
    w2.refresh_from_db()
    assert w2.status == BookingStatus.WAITING


def test_staff_book_for_a_caller(slot: Any, office: dict[str, Any]) -> None:
    booking, _ = services.booking_create(
        actor=office["staff_user"], slot=slot, name="Phoned in", phone="+77075556677", for_caller=True
    )
    assert booking.user is None and booking.booked_by == office["staff_user"]


def test_visit_question_becomes_an_appeal_with_its_clock(
    slot: Any, office: dict[str, Any], visitor_applicant: dict[str, str]
) -> None:
    from maslikhat.appeals.models import Appeal

    booking = _book(slot, "+77012345678", name="Aigul")
    visit = services.visit_record(
        actor=office["deputy_user"], slot=slot, booking=booking, questions=["Fix the yard lights", " "]
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED and visit.name == "Aigul"
    question = visit.questions.get()
    appeal = services.question_to_appeal(
        actor=office["deputy_user"],
        question=question,
        applicant=visitor_applicant,
        topic_code="roads",
    )
    question.refresh_from_db()
    assert question.appeal == appeal
    assert Appeal.objects.get(pk=appeal.pk).deputy == office["deputy"]
    assert appeal.registered_on >= timezone.localdate() and appeal.due_on > appeal.registered_on
    assert appeal.registration_number.startswith("KZ-71-")
    with pytest.raises(NotAllowed):
        services.question_to_appeal(
            actor=office["deputy_user"],
            question=question,
            applicant=visitor_applicant,
            topic_code="roads",
        )


def test_question_to_appeal_with_missing_applicant_changes_nothing(slot: Any, office: dict[str, Any]) -> None:
    visit = services.visit_record(actor=None, slot=slot, name="Walk-in", questions=["Bus stop"])
    question = visit.questions.get()
    with pytest.raises(FieldErrors):
        services.question_to_appeal(
            actor=None, question=question, applicant={"full_name": "Walk-in"}, topic_code="roads"
        )
    question.refresh_from_db()
    assert question.appeal_id is None


def test_attendance_marks(slot: Any) -> None:
    b = _book(slot, "+77012345678")
    services.booking_mark(actor=None, booking=b, attended=False)
    b.refresh_from_db()
    assert b.status == BookingStatus.NO_SHOW
    services.booking_mark(actor=None, booking=b, attended=True)
    b.refresh_from_db()
    assert b.status == BookingStatus.ATTENDED
    with pytest.raises(NotAllowed):
        services.booking_mark(actor=None, booking=b, attended=False)


def test_reminders_are_sent_once(slot: Any) -> None:
    from maslikhat.deputies.emails import send_reminders

    ReceptionSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() + timedelta(hours=5), ends_at=timezone.now() + timedelta(hours=6)
    )
    _book(slot, "+77012345678", email="a@example.org")
    mail.outbox.clear()
    assert send_reminders() == 2  # the email and the SMS (the outbox gateway)
    assert len(mail.outbox) == 1
    assert send_reminders() == 0


def test_report_lifecycle(office: dict[str, Any]) -> None:
    deputy = office["deputy"]
    report = services.report_announce(
        actor=office["deputy_user"],
        deputy=deputy,
        meeting_at=timezone.now() + timedelta(days=2),
        place="School 5",
    )
    assert report.constituency == office["constituency"]
    q = services.report_question_ask(
        actor=None, report=report, text="When is the road fixed?", asker_name="A"
    )
    with pytest.raises(FieldErrors):
        services.report_publish(actor=None, report=report, text="Too early")
    type(report).objects.filter(pk=report.pk).update(meeting_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(NotAllowed):
        services.report_question_ask(actor=None, report=report, text="Late")
    services.report_publish(actor=None, report=report, text="What I did", answers={q.pk: "In May"})
    report.refresh_from_db()
    q.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_at is not None
    assert q.answer == "In May"
    with pytest.raises(NotAllowed):
        services.report_cancel(actor=None, report=report)


def test_inquiry_numbers_are_gapless_and_due_dates_use_working_days(office: dict[str, Any]) -> None:
    from maslikhat.core.calendar import add_working_days

    deputy = office["deputy"]
    first = services.inquiry_register(
        actor=None, deputy=deputy, addressee="Akimat of Astana", subject="Lights", text="Please"
    )
    second = services.inquiry_register(
        actor=None, deputy=deputy, addressee="Akimat of Astana", subject="Roads", text="Please"
    )
    year = timezone.localdate().year
    assert [first.number, second.number] == [f"KZ-71-{year}-DZ-0001", f"KZ-71-{year}-DZ-0002"]
    assert first.due_on == add_working_days(first.sent_on, services.inquiry_answer_days())
    services.inquiry_answer(actor=None, inquiry=first, answer="Done")
    first.refresh_from_db()
    assert first.status == InquiryStatus.ANSWERED and first.answered_on_time
    services.inquiry_withdraw(actor=None, inquiry=second)
    with pytest.raises(NotAllowed):
        services.inquiry_answer(actor=None, inquiry=second, answer="x")
    with pytest.raises(FieldErrors) as exc:
        services.inquiry_register(actor=None, deputy=deputy, addressee="", subject="", text="")
    assert {f for f, _c, _m in exc.value.errors} == {"addressee", "subject", "text"}
