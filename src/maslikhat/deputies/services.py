"""Writes of the deputies app: reception schedules and bookings, visits, reports to voters and
deputy inquiries.

Every public use case is `@transaction.atomic(durable=True)`, the outermost transaction: when it
returns, its work is committed and its emails handed over (`after_commit`). Shared steps are
private helpers running in the caller's transaction. One exception, by design:
`question_to_appeal` calls the appeals app's own use case `appeal_submit` (itself durable, so
that the appeal and its statutory clock start exactly as any other appeal), then links the
question to it in a second transaction.

Capacity under concurrency: `booking_create` locks the slot row (`select_for_update`) before
counting its places, so two bookings of one slot are serialised (PostgreSQL: the row lock;
SQLite: the one writer of `BEGIN IMMEDIATE`). The partial unique constraints on
(slot, phone) and (slot, user) back the duplicate check.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.appeals.applicant import Applicant
from maslikhat.appeals.models import Appeal
from maslikhat.appeals.services import appeal_submit
from maslikhat.core.actors import user_or_none
from maslikhat.core.audit import log_action
from maslikhat.core.background import after_commit
from maslikhat.core.calendar import add_working_days
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors, NotAllowed
from maslikhat.core.models import Visibility
from maslikhat.core.text import UnacceptableText, clean_input, clean_text
from maslikhat.core.uploads import UploadLike, check_uploads
from maslikhat.directory.models import Area, Organization, Person
from maslikhat.proceedings.models import AgendaItem

from .choices import (
    ACTIVE_BOOKING_STATUSES,
    AKIM_MEETING_TRANSITIONS,
    BOOKING_TRANSITIONS,
    INQUIRY_TRANSITIONS,
    PLACE_STATUSES,
    REPORT_TRANSITIONS,
    AkimMeetingStatus,
    BookingStatus,
    InquiryStatus,
    ReceptionMode,
    Recurrence,
    ReportStatus,
    SlotStatus,
)
from .error_codes import DeputiesErrorCode as Code
from .events import DeputiesLogEvent as Event
from .models import (
    AkimMeeting,
    Booking,
    Inquiry,
    ReceptionSchedule,
    ReceptionSlot,
    ReportPhoto,
    ReportQuestion,
    Visit,
    VisitQuestion,
    VoterReport,
)
from .selectors import akim_meeting_areas, deputy_body

MAX_WEEKS = 26
MAX_CAPACITY = 500
MAX_DURATION = 12 * 60
MAX_TEXT = 20000
# Working days an addressee has to answer a deputy inquiry (UNVERIFIED in law: a setting).
INQUIRY_ANSWER_WORKING_DAYS = 15
Errors = list[tuple[str, str, Any]]


def inquiry_answer_days() -> int:
    return int(getattr(settings, "DEPUTY_INQUIRY_ANSWER_WORKING_DAYS", INQUIRY_ANSWER_WORKING_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _clean(value: Any, limit: int) -> str:
    """The text rule (`core.text.clean_input`: refused text counts as empty), cut at `limit`."""
    return clean_input(value)[:limit]


def normalise_phone(raw: str) -> str | None:
    """A Kazakhstan (or international) number in E.164, or None when it is not a valid one."""
    text = _clean(raw, 40)
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _require_deputy(person: Person, field: str = "deputy") -> tuple[Organization, Area | None]:
    found = deputy_body(person)
    if found is None:
        raise FieldErrors([(field, Code.NOT_A_DEPUTY, _("This person is not a deputy of a maslikhat now."))])
    return found


def _check(transitions: dict[str, frozenset[str]], current: str, to: str) -> None:
    if to not in transitions[current]:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This is not possible in the current state."))


# ---------------------------------------------------------------- schedules and slots


def _slot_starts(
    *, recurrence: str, weekday: int | None, first_date: date, start_time: time, weeks: int
) -> list[datetime]:
    tz = _local_tz()
    if recurrence == Recurrence.SINGLE:
        return [datetime.combine(first_date, start_time, tzinfo=tz)]
    day = first_date + timedelta(days=((weekday or 0) - first_date.weekday()) % 7)
    return [datetime.combine(day + timedelta(weeks=i), start_time, tzinfo=tz) for i in range(weeks)]


@transaction.atomic(durable=True)
def schedule_create(
    *,
    actor: Any,
    deputy: Person,
    place: str,
    mode: str,
    recurrence: str,
    start_time: time,
    duration_minutes: int,
    capacity: int,
    first_date: date,
    weekday: int | None = None,
    weeks: int = 8,
    settlement: Area | None = None,
    is_demo: bool = False,
) -> ReceptionSchedule:
    """Publish a reception schedule and generate its slots (one, or one a week for `weeks`)."""
    errors: Errors = []
    body, _area = _require_deputy(deputy)
    place_text = _clean(place, 300)
    if not place_text:
        errors.append(("place", ErrorCode.REQUIRED, _("Say where the reception is held.")))
    if mode not in ReceptionMode.values:
        errors.append(("mode", ErrorCode.INVALID_CHOICE, _("Choose in person, online or by phone.")))
    if recurrence not in Recurrence.values:
        errors.append(("recurrence", ErrorCode.INVALID_CHOICE, _("Choose weekly or once.")))
    if recurrence == Recurrence.WEEKLY and (not isinstance(weekday, int) or not 0 <= weekday <= 6):
        errors.append(("weekday", ErrorCode.INVALID_CHOICE, _("Choose the day of the week.")))
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        errors.append(("capacity", Code.INVALID_NUMBER, _("Places: a number from 1 to 500.")))
    if not isinstance(duration_minutes, int) or not 5 <= duration_minutes <= MAX_DURATION:
        errors.append(("duration_minutes", Code.INVALID_NUMBER, _("Duration: from 5 minutes to 12 hours.")))
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        errors.append(("weeks", Code.INVALID_NUMBER, _("Weeks ahead: a number from 1 to 26.")))
    if first_date < timezone.localdate():
        errors.append(("first_date", Code.INVALID_DATE, _("The first date cannot be in the past.")))
    if errors:
        raise FieldErrors(errors)
    schedule = ReceptionSchedule.objects.create(
        deputy=deputy,
        body=body,
        place=place_text,
        settlement=settlement,
        mode=mode,
        recurrence=recurrence,
        weekday=weekday if recurrence == Recurrence.WEEKLY else None,
        start_time=start_time,
        duration_minutes=duration_minutes,
        capacity=capacity,
        first_date=first_date,
        weeks=weeks if recurrence == Recurrence.WEEKLY else 1,
        created_by=user_or_none(actor),
        is_demo=is_demo,
    )
    length = timedelta(minutes=duration_minutes)
    ReceptionSlot.objects.bulk_create(
        ReceptionSlot(
            schedule=schedule,
            deputy=deputy,
            starts_at=start,
            ends_at=start + length,
            capacity=capacity,
            is_demo=is_demo,
        )
        for start in _slot_starts(
            recurrence=recurrence,
            weekday=weekday,
            first_date=first_date,
            start_time=start_time,
            weeks=schedule.weeks,
        )
    )
    log_action(
        actor=actor,
        event=Event.SCHEDULE_CREATED,
        target=schedule,
        visibility=Visibility.PUBLIC,
        data={"deputy": deputy.pk, "slots": schedule.weeks},
    )
    return schedule


@transaction.atomic(durable=True)
def slot_cancel(*, actor: Any, slot: ReceptionSlot) -> ReceptionSlot:
    """Cancel one reception; everyone booked or waiting is told."""
    slot = ReceptionSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.status == SlotStatus.CANCELLED:
        raise NotAllowed(Code.SLOT_CANCELLED, _("This reception has been cancelled."))
    slot.status = SlotStatus.CANCELLED
    slot.save(update_fields=["status", "updated_at"])
    for booking in slot.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES):
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        after_commit("deputies.slot_cancelled", booking.pk)
    log_action(actor=actor, event=Event.SLOT_CANCELLED, target=slot, visibility=Visibility.PUBLIC)
    return slot


# ---------------------------------------------------------------- bookings


def places_taken(slot: ReceptionSlot) -> int:
    return slot.bookings.filter(status__in=PLACE_STATUSES).count()


@transaction.atomic(durable=True)
def booking_create(
    *,
    actor: Any,
    slot: ReceptionSlot,
    name: str = "",
    phone: str = "",
    email: str = "",
    topic: str = "",
    language: str = "ru",
    for_caller: bool = False,
    is_demo: bool = False,
) -> tuple[Booking, str]:
    """Book a place at a reception: with an account (`actor`), or with a name and a phone; staff
    book for a caller with `for_caller`. A full slot puts the booking on the waiting list.
    Returns the booking and its confirmation token (the private cancel link), committed."""
    user: Any = user_or_none(actor)
    own_account = user is not None and not for_caller
    errors: Errors = []
    name_text = _clean(name, 200)
    if own_account and not name_text:
        name_text = (user.get_full_name() or user.get_username())[:200]
    if not name_text:
        errors.append(("name", ErrorCode.REQUIRED, _("Give your name.")))
    e164 = ""
    if _clean(phone, 40):
        e164 = normalise_phone(phone) or ""
        if not e164:
            errors.append(("phone", Code.INVALID_PHONE, _("Enter a phone number such as +7 701 234 56 78.")))
    elif not own_account:
        errors.append(("phone", ErrorCode.REQUIRED, _("Give a phone number to be reached at.")))
    email_text = _clean(email, 254)
    if email_text:
        try:
            validate_email(email_text)
        except ValidationError:
            errors.append(("email", Code.INVALID_EMAIL, _("Enter a valid email address.")))
    if language not in ("kk", "ru", "en"):
        language = "ru"
    if errors:
        raise FieldErrors(errors)
    slot = ReceptionSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.status == SlotStatus.CANCELLED:
        raise NotAllowed(Code.SLOT_CANCELLED, _("This reception has been cancelled."))
    if slot.starts_at <= timezone.now():
        raise DomainError(
            Code.SLOT_PAST, _("This reception has already begun; choose a later one."), field="slot"
        )
    active = slot.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES)
    if (e164 and active.filter(phone=e164).exists()) or (own_account and active.filter(user=user).exists()):
        raise DomainError(Code.ALREADY_BOOKED, _("You have already booked this reception."), field="phone")
    full = places_taken(slot) >= slot.capacity
    token = secrets.token_urlsafe(24)
    if own_account and not email_text:
        email_text = user.email or ""
    booking = Booking.objects.create(
        slot=slot,
        user=user if own_account else None,
        name=name_text,
        phone=e164,
        email=email_text,
        topic=_clean(topic, 500),
        language=language,
        status=BookingStatus.WAITING if full else BookingStatus.BOOKED,
        booked_by=user if for_caller else None,
        token_hash=hash_token(token),
        is_demo=is_demo,
    )
    log_action(
        actor=actor,
        event=Event.WAITLISTED if full else Event.BOOKED,
        target=booking,
        data={"slot": slot.pk, "for_caller": for_caller},
    )
    if booking.email or booking.phone:  # the messages go by email and/or SMS (emails.py)
        after_commit("deputies.booked", booking.pk, token)
    return booking, token


def booking_by_token(token: str) -> Booking | None:
    text = token if isinstance(token, str) else ""
    if not text or len(text) > 100:
        return None
    return (
        Booking.objects.select_related("slot__schedule", "slot__deputy")
        .filter(token_hash=hash_token(text))
        .first()
    )


@transaction.atomic(durable=True)
def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    """Cancel a booking (by its holder through the token, or by the deputy's office). A freed
    place goes to the first on the waiting list, who is told."""
    slot = ReceptionSlot.objects.select_for_update().get(pk=booking.slot_id)
    booking = Booking.objects.get(pk=booking.pk)
    _check(BOOKING_TRANSITIONS, booking.status, BookingStatus.CANCELLED)
    freed = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, event=Event.BOOKING_CANCELLED, target=booking, data={"slot": slot.pk})
    if freed and slot.starts_at > timezone.now():
        _promote(actor=actor, slot=slot)
    return booking


def _promote(*, actor: Any, slot: ReceptionSlot) -> Booking | None:
    if places_taken(slot) >= slot.capacity:
        return None
    first = slot.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "id").first()
    if first is None:
        return None
    first.status = BookingStatus.BOOKED
    first.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, event=Event.BOOKING_PROMOTED, target=first, data={"slot": slot.pk})
    after_commit("deputies.promoted", first.pk)
    return first


@transaction.atomic(durable=True)
def booking_mark(*, actor: Any, booking: Booking, attended: bool) -> Booking:
    """Record whether a booked person came."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    to = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    _check(BOOKING_TRANSITIONS, booking.status, to)
    booking.status = to
    booking.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, event=Event.ATTENDANCE_RECORDED, target=booking, data={"status": to})
    return booking


@transaction.atomic(durable=True)
def visit_record(
    *,
    actor: Any,
    slot: ReceptionSlot,
    booking: Booking | None = None,
    name: str = "",
    phone: str = "",
    notes: str = "",
    questions: list[str] | None = None,
    is_demo: bool = False,
) -> Visit:
    """Record who came to a reception (booked or not) and the questions they raised."""
    errors: Errors = []
    if booking is not None:
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.slot_id != slot.pk:
            errors.append(("booking", ErrorCode.INVALID_CHOICE, _("This booking is for another reception.")))
        elif hasattr(booking, "visit"):
            raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This visit is already recorded."))
    name_text = _clean(name, 200) or (booking.name if booking is not None else "")
    if not name_text:
        errors.append(("name", ErrorCode.REQUIRED, _("Give the visitor's name.")))
    e164 = booking.phone if booking is not None else ""
    if _clean(phone, 40):
        e164 = normalise_phone(phone) or ""
        if not e164:
            errors.append(("phone", Code.INVALID_PHONE, _("Enter a phone number such as +7 701 234 56 78.")))
    texts = [_clean(q, MAX_TEXT) for q in (questions or [])]
    texts = [t for t in texts if t]
    if errors:
        raise FieldErrors(errors)
    if booking is not None and booking.status != BookingStatus.ATTENDED:
        _check(BOOKING_TRANSITIONS, booking.status, BookingStatus.ATTENDED)
        booking.status = BookingStatus.ATTENDED
        booking.save(update_fields=["status", "updated_at"])
    visit = Visit.objects.create(
        slot=slot,
        booking=booking,
        name=name_text,
        phone=e164,
        notes=_clean(notes, MAX_TEXT),
        recorded_by=user_or_none(actor),
        is_demo=is_demo,
    )
    VisitQuestion.objects.bulk_create(VisitQuestion(visit=visit, text=t) for t in texts)
    log_action(actor=actor, event=Event.VISIT_RECORDED, target=visit, data={"questions": len(texts)})
    return visit


def question_to_appeal(
    *,
    actor: Any,
    question: VisitQuestion,
    applicant: Applicant | dict[str, Any],
    topic_code: str,
    kind: str = "application",
    language: str = "ru",
    is_demo: bool = False,
) -> Appeal:
    """Register a question raised at a reception as an appeal to the deputy, in one step: the
    appeals app's `appeal_submit` registers it (number, statutory clock from now, the
    applicant's email), then the question is linked to it."""
    question = VisitQuestion.objects.select_related("visit__slot__deputy").get(pk=question.pk)
    if question.appeal_id is not None:
        raise NotAllowed(Code.ALREADY_APPEALED, _("This question is already an appeal."))
    appeal, _token = appeal_submit(
        actor=actor,
        kind=kind,
        topic_code=topic_code,
        text=question.text,
        language=language,
        applicant=applicant,
        deputy=question.visit.slot.deputy,
        is_demo=is_demo,
    )
    _link_appeal(actor=actor, question=question, appeal=appeal)
    return appeal


@transaction.atomic(durable=True)
def _link_appeal(*, actor: Any, question: VisitQuestion, appeal: Appeal) -> None:
    row = VisitQuestion.objects.select_for_update().get(pk=question.pk)
    if row.appeal_id is None:
        row.appeal = appeal
        row.save(update_fields=["appeal", "updated_at"])
    log_action(
        actor=actor,
        event=Event.QUESTION_TO_APPEAL,
        target=row,
        data={"appeal": appeal.registration_number},
    )
    question.appeal = appeal


# ---------------------------------------------------------------- reports to voters


@transaction.atomic(durable=True)
def report_announce(
    *, actor: Any, deputy: Person, meeting_at: datetime, place: str, is_demo: bool = False
) -> VoterReport:
    """Announce a reporting meeting with the voters (date, time and place)."""
    body, area = _require_deputy(deputy)
    errors: Errors = []
    place_text = _clean(place, 300)
    if not place_text:
        errors.append(("place", ErrorCode.REQUIRED, _("Say where the meeting is held.")))
    if timezone.is_naive(meeting_at):
        meeting_at = timezone.make_aware(meeting_at, _local_tz())
    if errors:
        raise FieldErrors(errors)
    report = VoterReport.objects.create(
        deputy=deputy, body=body, constituency=area, meeting_at=meeting_at, place=place_text, is_demo=is_demo
    )
    log_action(actor=actor, event=Event.REPORT_ANNOUNCED, target=report, visibility=Visibility.PUBLIC)
    return report


@transaction.atomic(durable=True)
def report_question_ask(
    *, actor: Any, report: VoterReport, text: str, asker_name: str = "", is_demo: bool = False
) -> ReportQuestion:
    """A voter's question before the meeting (published without the name)."""
    report = VoterReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.ANNOUNCED or report.meeting_at <= timezone.now():
        raise NotAllowed(Code.BEFORE_MEETING, _("Questions are collected only before the meeting."))
    body = _clean(text, MAX_TEXT)
    if not body:
        raise FieldErrors([("text", ErrorCode.REQUIRED, _("Write your question."))])
    question = ReportQuestion.objects.create(
        report=report,
        text=body,
        asker_name=_clean(asker_name, 200),
        asker=user_or_none(actor),
        is_demo=is_demo,
    )
    log_action(actor=actor, event=Event.REPORT_QUESTION_ASKED, target=question)
    return question


@transaction.atomic(durable=True)
def report_publish(
    *,
    actor: Any,
    report: VoterReport,
    text: str,
    answers: dict[int, str] | None = None,
    photos: list[UploadLike] | None = None,
) -> VoterReport:
    """Publish the report after the meeting: its text, photos and the answers to the questions."""
    report = VoterReport.objects.select_for_update().get(pk=report.pk)
    _check(REPORT_TRANSITIONS, report.status, ReportStatus.PUBLISHED)
    now = timezone.now()
    errors: Errors = []
    body = _clean(text, MAX_TEXT * 2)
    if not body:
        errors.append(("text", ErrorCode.REQUIRED, _("Write the report.")))
    if report.meeting_at > now:
        errors.append(("text", Code.BEFORE_MEETING, _("The report is published after the meeting.")))
    if errors:
        raise FieldErrors(errors)
    checked = check_uploads(list(photos or []), field="photos")
    for q in report.questions.all():
        answer = _clean((answers or {}).get(q.pk, ""), MAX_TEXT)
        if answer:
            q.answer = answer
            q.save(update_fields=["answer", "updated_at"])
    for c in checked:
        photo = ReportPhoto(report=report, content_type=c.content_type, size=c.size)
        photo.file.save(c.name, File(c.upload, name=c.name), save=False)  # type: ignore[arg-type]
        photo.save()
    report.text = body
    report.status = ReportStatus.PUBLISHED
    report.published_at = now
    report.save(update_fields=["text", "status", "published_at", "updated_at"])
    log_action(actor=actor, event=Event.REPORT_PUBLISHED, target=report, visibility=Visibility.PUBLIC)
    return report


@transaction.atomic(durable=True)
def report_cancel(*, actor: Any, report: VoterReport) -> VoterReport:
    report = VoterReport.objects.select_for_update().get(pk=report.pk)
    _check(REPORT_TRANSITIONS, report.status, ReportStatus.CANCELLED)
    report.status = ReportStatus.CANCELLED
    report.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, event=Event.REPORT_CANCELLED, target=report, visibility=Visibility.PUBLIC)
    return report


# ---------------------------------------------------------------- deputy inquiries


def _next_inquiry_number(body: Organization, year: int) -> str:
    """Gapless per body and year: one row-locked upsert in the caller's transaction."""
    table = "deputies_inquirycounter"
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (body_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (body_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [body.pk, year],
        )
        number = cur.fetchone()[0]
    code = body.area.code if body.area_id else body.slug.upper()  # type: ignore[union-attr]
    return f"{code}-{year}-DZ-{number:04d}"


@transaction.atomic(durable=True)
def inquiry_register(
    *,
    actor: Any,
    deputy: Person,
    addressee: str,
    subject: str,
    text: str,
    sent_on: date | None = None,
    co_authors: list[Person] | None = None,
    appeals: list[Appeal] | None = None,
    is_demo: bool = False,
) -> Inquiry:
    """Register a deputy inquiry: its number (gapless per maslikhat and year) and the due date
    (`DEPUTY_INQUIRY_ANSWER_WORKING_DAYS` working days after it was sent)."""
    body, _area = _require_deputy(deputy)
    errors: Errors = []
    addressee_text = _clean(addressee, 300)
    subject_text = _clean(subject, 300)
    body_text = _clean(text, MAX_TEXT)
    if not addressee_text:
        errors.append(("addressee", ErrorCode.REQUIRED, _("Name the body the inquiry is sent to.")))
    if not subject_text:
        errors.append(("subject", ErrorCode.REQUIRED, _("Give the inquiry a subject.")))
    if not body_text:
        errors.append(("text", ErrorCode.REQUIRED, _("Write the inquiry.")))
    today = timezone.localdate()
    sent = sent_on or today
    if sent > today:
        errors.append(("sent_on", Code.INVALID_DATE, _("The date sent cannot be in the future.")))
    if errors:
        raise FieldErrors(errors)
    inquiry = Inquiry.objects.create(
        body=body,
        number=_next_inquiry_number(body, sent.year),
        deputy=deputy,
        addressee=addressee_text,
        subject=subject_text,
        text=body_text,
        sent_on=sent,
        due_on=add_working_days(sent, inquiry_answer_days()),
        is_demo=is_demo,
    )
    if co_authors:
        inquiry.co_authors.set([p for p in co_authors if p.pk != deputy.pk])
    if appeals:
        inquiry.appeals.set(appeals)
    log_action(actor=actor, event=Event.INQUIRY_REGISTERED, target=inquiry, visibility=Visibility.PUBLIC)
    return inquiry


@transaction.atomic(durable=True)
def inquiry_answer(*, actor: Any, inquiry: Inquiry, answer: str, answered_on: date | None = None) -> Inquiry:
    """Record (and publish) the addressee's answer."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    _check(INQUIRY_TRANSITIONS, inquiry.status, InquiryStatus.ANSWERED)
    errors: Errors = []
    text = _clean(answer, MAX_TEXT)
    if not text:
        errors.append(("answer", ErrorCode.REQUIRED, _("Write the answer received.")))
    day = answered_on or timezone.localdate()
    if day < inquiry.sent_on or day > timezone.localdate():
        errors.append(("answered_on", Code.INVALID_DATE, _("The answer date is between sending and today.")))
    if errors:
        raise FieldErrors(errors)
    inquiry.status = InquiryStatus.ANSWERED
    inquiry.answer = text
    inquiry.answered_on = day
    inquiry.save(update_fields=["status", "answer", "answered_on", "updated_at"])
    log_action(actor=actor, event=Event.INQUIRY_ANSWERED, target=inquiry, visibility=Visibility.PUBLIC)
    return inquiry


@transaction.atomic(durable=True)
def inquiry_withdraw(*, actor: Any, inquiry: Inquiry) -> Inquiry:
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    _check(INQUIRY_TRANSITIONS, inquiry.status, InquiryStatus.WITHDRAWN)
    inquiry.status = InquiryStatus.WITHDRAWN
    inquiry.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, event=Event.INQUIRY_WITHDRAWN, target=inquiry, visibility=Visibility.PUBLIC)
    return inquiry


@transaction.atomic(durable=True)
def inquiry_link_agenda_item(*, actor: Any, inquiry: Inquiry, item: AgendaItem) -> Inquiry:
    """Link an inquiry to the session agenda item where it (or its answer) was discussed: an
    item of the same maslikhat's sessions only; linking twice changes nothing."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if item.session.body_id != inquiry.body_id:
        raise FieldErrors(
            [("item", Code.NOT_THIS_MASLIKHAT, _("Choose an agenda item of this maslikhat's sessions."))]
        )
    if not inquiry.agenda_items.filter(pk=item.pk).exists():
        inquiry.agenda_items.add(item)
        log_action(
            actor=actor,
            event=Event.INQUIRY_LINKED,
            target=inquiry,
            data={"agenda_item": item.pk},
            visibility=Visibility.PUBLIC,
        )
    return inquiry


# ---------------------------------------------------------------- akims' meetings with the population


def _akim_meeting_fields(
    *, body: Organization, area: Area | None, akim_name: str, topic: str, place: str, meeting_at: datetime
) -> tuple[Errors, dict[str, Any]]:
    errors: Errors = []
    fields: dict[str, Any] = {}
    for name, value, limit, message in (
        ("akim_name", akim_name, 200, _("Name the akim.")),
        ("topic", topic, 300, _("Give the meeting a topic.")),
        ("place", place, 300, _("Say where the meeting is held.")),
    ):
        raw = value if isinstance(value, str) else ""
        try:
            text = clean_text(raw).strip()
        except UnacceptableText as exc:
            errors.append((name, exc.code, exc.message))
            continue
        if not text:
            errors.append((name, ErrorCode.REQUIRED, message))
        elif len(text) > limit:
            errors.append((name, ErrorCode.TOO_LONG, _("At most %(n)d characters.") % {"n": limit}))
        fields[name] = text
    if area is None or area.pk not in {a.pk for a in akim_meeting_areas(body)}:
        errors.append(("area", ErrorCode.INVALID_CHOICE, _("Choose the akim's territory from the list.")))
    if timezone.is_naive(meeting_at):
        meeting_at = timezone.make_aware(meeting_at, _local_tz())
    fields["meeting_at"] = meeting_at
    return errors, fields


@transaction.atomic(durable=True)
def akim_meeting_announce(
    *,
    actor: Any,
    body: Organization,
    area: Area | None,
    akim_name: str,
    topic: str,
    place: str,
    meeting_at: datetime,
    is_demo: bool = False,
) -> AkimMeeting:
    """Put an akim's reporting meeting with the population on the area's calendar (published by
    the apparatus of a maslikhat whose territory holds the akim's)."""
    errors, fields = _akim_meeting_fields(
        body=body, area=area, akim_name=akim_name, topic=topic, place=place, meeting_at=meeting_at
    )
    if not errors and fields["meeting_at"] < timezone.now() - timedelta(days=1):
        errors.append(
            ("meeting_date", Code.INVALID_DATE, _("Announce a meeting that has not taken place yet."))
        )
    if errors or area is None:
        raise FieldErrors(errors)
    meeting = AkimMeeting.objects.create(body=body, area=area, is_demo=is_demo, **fields)
    log_action(actor=actor, event=Event.AKIM_MEETING_ANNOUNCED, target=meeting, visibility=Visibility.PUBLIC)
    return meeting


@transaction.atomic(durable=True)
def akim_meeting_record(*, actor: Any, meeting: AkimMeeting, record: str) -> AkimMeeting:
    """Publish what was said and asked at the meeting, once it has taken place."""
    meeting = AkimMeeting.objects.select_for_update().get(pk=meeting.pk)
    _check(AKIM_MEETING_TRANSITIONS, meeting.status, AkimMeetingStatus.HELD)
    if meeting.meeting_at > timezone.now():
        raise NotAllowed(Code.BEFORE_MEETING, _("The record is published after the meeting."))
    text = _clean(record, MAX_TEXT)
    if not text:
        raise FieldErrors([("record", ErrorCode.REQUIRED, _("Write the record of the meeting."))])
    meeting.status = AkimMeetingStatus.HELD
    meeting.record = text
    meeting.recorded_at = timezone.now()
    meeting.save(update_fields=["status", "record", "recorded_at", "updated_at"])
    log_action(actor=actor, event=Event.AKIM_MEETING_HELD, target=meeting, visibility=Visibility.PUBLIC)
    return meeting


@transaction.atomic(durable=True)
def akim_meeting_cancel(*, actor: Any, meeting: AkimMeeting) -> AkimMeeting:
    meeting = AkimMeeting.objects.select_for_update().get(pk=meeting.pk)
    _check(AKIM_MEETING_TRANSITIONS, meeting.status, AkimMeetingStatus.CANCELLED)
    meeting.status = AkimMeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, event=Event.AKIM_MEETING_CANCELLED, target=meeting, visibility=Visibility.PUBLIC)
    return meeting
