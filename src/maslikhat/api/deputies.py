"""API adapters for deputies: a deputy's reception schedules, slots (availability only, never
who booked), receptions held, reports to voters and inquiries; booking a slot (an account's
session or bearer token, or a name and a phone). Reads go through `deputies.selectors`,
the booking through `deputies.services.booking_create`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import ErrorCode
from maslikhat.deputies import selectors, services
from maslikhat.deputies.models import ReceptionSchedule
from maslikhat.directory.models import Person

from .auth import bearer, no_bearer_token
from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import Id, Out, PageQuery, Text

router = Router(tags=["deputies"], auth=[bearer, no_bearer_token])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class ScheduleOut(Out):
    id: int
    place: str
    settlement: str | None
    mode: str
    recurrence: str
    weekday: int | None
    start_time: time
    duration_minutes: int
    capacity: int
    first_date: date
    weeks: int


class SlotOut(Out):
    id: int
    schedule_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    mode: str
    capacity: int
    free: int = Field(description="places still free (0: bookings go on the waiting list)")
    waiting: int
    status: str


class ReceptionOut(Out):
    id: int
    starts_at: datetime
    place: str
    mode: str
    booked: int
    visitors: int


class ReportOut(Out):
    id: int
    status: str
    meeting_at: datetime
    place: str
    text: str
    published_at: datetime | None
    questions: int


class InquiryOut(Out):
    id: int
    number: str
    addressee: str
    subject: str
    status: str
    sent_on: date
    due_on: date
    answered_on: date | None
    answer: str
    overdue: bool


class BookingIn(Schema):
    name: Text = ""
    phone: Text = ""
    email: Text = ""
    topic: Text = ""
    language: Text = "ru"


class BookingCreated(Schema):
    id: int
    status: str = Field(description="booked, or waiting (the slot was full)")
    token: str = Field(description="the private token of the confirmation page (cancel link)")
    confirmation_path: str


def _deputy(pk: int) -> Person:
    person = selectors.person_or_none(pk)
    if person is None or not selectors.was_deputy(person):
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No deputy with this id."))
    return person


def _schedule_out(s: ReceptionSchedule) -> ScheduleOut:
    return ScheduleOut(
        id=s.pk,
        place=s.place,
        settlement=s.settlement.name if s.settlement else None,
        mode=s.mode,
        recurrence=s.recurrence,
        weekday=s.weekday,
        start_time=s.start_time,
        duration_minutes=s.duration_minutes,
        capacity=s.capacity,
        first_date=s.first_date,
        weeks=s.weeks,
    )


@router.get("/deputies/{person_id}/schedules", response={200: list[ScheduleOut], **ERRORS})
def deputy_schedules(request: HttpRequest, person_id: Path[Id]) -> list[ScheduleOut]:
    return [_schedule_out(s) for s in selectors.schedules_of(_deputy(person_id))]


@router.get("/deputies/{person_id}/slots", response={200: list[SlotOut], **ERRORS})
def deputy_slots(request: HttpRequest, person_id: Path[Id]) -> list[SlotOut]:
    """Upcoming receptions and their free places (availability only)."""
    return [
        SlotOut(
            id=s.pk,
            schedule_id=s.schedule_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            place=s.schedule.place,
            mode=s.schedule.mode,
            capacity=s.capacity,
            free=s.free,  # type: ignore[attr-defined]
            waiting=s.waiting,  # type: ignore[attr-defined]
            status=s.status,
        )
        for s in selectors.upcoming_slots(_deputy(person_id), limit=200)
    ]


@router.get("/deputies/{person_id}/receptions", response={200: list[ReceptionOut], **ERRORS})
def deputy_receptions(request: HttpRequest, person_id: Path[Id], f: Query[PageQuery]) -> list[ReceptionOut]:
    """Receptions held (past, not cancelled): places booked and visitors recorded."""
    rows = selectors.past_slots(_deputy(person_id), limit=f.offset + f.limit)[f.offset :]
    return [
        ReceptionOut(
            id=s.pk,
            starts_at=s.starts_at,
            place=s.schedule.place,
            mode=s.schedule.mode,
            booked=s.taken,  # type: ignore[attr-defined]
            visitors=s.visitors,  # type: ignore[attr-defined]
        )
        for s in rows
    ]


@router.get("/deputies/{person_id}/reports", response={200: list[ReportOut], **ERRORS})
def deputy_reports(request: HttpRequest, person_id: Path[Id]) -> list[ReportOut]:
    return [
        ReportOut(
            id=r.pk,
            status=r.status,
            meeting_at=r.meeting_at,
            place=r.place,
            text=r.text,
            published_at=r.published_at,
            questions=r.question_count,  # type: ignore[attr-defined]
        )
        for r in selectors.reports_of(_deputy(person_id), limit=100)
    ]


@router.get("/deputies/{person_id}/inquiries", response={200: list[InquiryOut], **ERRORS})
def deputy_inquiries(request: HttpRequest, person_id: Path[Id]) -> list[InquiryOut]:
    return [
        InquiryOut(
            id=i.pk,
            number=i.number,
            addressee=i.addressee,
            subject=i.subject,
            status=i.status,
            sent_on=i.sent_on,
            due_on=i.due_on,
            answered_on=i.answered_on,
            answer=i.answer,
            overdue=selectors.is_overdue_inquiry(i),
        )
        for i in selectors.inquiries_of(_deputy(person_id), limit=200)
    ]


@router.post(
    "/deputies/slots/{slot_id}/bookings",
    response={
        201: BookingCreated,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
)
def deputy_booking_create(request: HttpRequest, slot_id: Path[Id], payload: BookingIn) -> Any:
    slot = selectors.slot_or_none(slot_id)
    if slot is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No reception with this id."))
    booking, token = services.booking_create(
        actor=acting_user(request),
        slot=slot,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        topic=payload.topic,
        language=payload.language,
    )
    path = f"/{request.LANGUAGE_CODE}/deputies/booking/?token={token}"
    return Status(
        201, BookingCreated(id=booking.pk, status=booking.status, token=token, confirmation_path=path)
    )
