"""Kinds and statuses of receptions, bookings, reports to voters and deputy inquiries, with the
allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceptionMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    SINGLE = "single", _("once")


class SlotStatus(models.TextChoices):
    OPEN = "open", _("open")
    CANCELLED = "cancelled", _("cancelled")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")
    ATTENDED = "attended", _("came")
    NO_SHOW = "no_show", _("did not come")


B = BookingStatus
BOOKING_TRANSITIONS: dict[str, frozenset[str]] = {
    B.BOOKED: frozenset({B.CANCELLED, B.ATTENDED, B.NO_SHOW}),
    B.WAITING: frozenset({B.BOOKED, B.CANCELLED}),
    B.CANCELLED: frozenset(),
    B.ATTENDED: frozenset(),
    B.NO_SHOW: frozenset({B.ATTENDED}),
}
# Bookings that hold (or wait for) a place: one per person and slot.
ACTIVE_BOOKING_STATUSES = (B.BOOKED, B.WAITING)
# Bookings that took a place of the slot's capacity.
PLACE_STATUSES = (B.BOOKED, B.ATTENDED, B.NO_SHOW)


class ReportStatus(models.TextChoices):
    ANNOUNCED = "announced", _("meeting announced")
    PUBLISHED = "published", _("report published")
    CANCELLED = "cancelled", _("cancelled")


REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.ANNOUNCED: frozenset({ReportStatus.PUBLISHED, ReportStatus.CANCELLED}),
    ReportStatus.PUBLISHED: frozenset(),
    ReportStatus.CANCELLED: frozenset(),
}


class InquiryStatus(models.TextChoices):
    SENT = "sent", _("sent, awaiting the answer")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryStatus.SENT: frozenset({InquiryStatus.ANSWERED, InquiryStatus.WITHDRAWN}),
    InquiryStatus.ANSWERED: frozenset(),
    InquiryStatus.WITHDRAWN: frozenset(),
}


class AkimMeetingStatus(models.TextChoices):
    ANNOUNCED = "announced", _("meeting announced")
    HELD = "held", _("held, record published")
    CANCELLED = "cancelled", _("cancelled")


AKIM_MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    AkimMeetingStatus.ANNOUNCED: frozenset({AkimMeetingStatus.HELD, AkimMeetingStatus.CANCELLED}),
    AkimMeetingStatus.HELD: frozenset(),
    AkimMeetingStatus.CANCELLED: frozenset(),
}
