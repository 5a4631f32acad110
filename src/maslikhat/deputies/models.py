"""A deputy's receptions (schedules, slots, bookings, visits), reports to voters and inquiries.

A deputy is a directory `Person` with a deputy `Membership` of a maslikhat; every row here
names the deputy (the person) and the maslikhat (the body) the deputy sat in when it was made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maslikhat.core.models import TimeStampedModel

from .choices import (
    ACTIVE_BOOKING_STATUSES,
    AkimMeetingStatus,
    BookingStatus,
    InquiryStatus,
    ReceptionMode,
    Recurrence,
    ReportStatus,
    SlotStatus,
)


class ReceptionSchedule(TimeStampedModel):
    # PROTECT: a deputy's receptions are their public record; people are not deleted.
    deputy = models.ForeignKey(
        "directory.Person",
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="reception_schedules",
    )
    # PROTECT: the maslikhat the deputy received voters for; bodies are dissolved, not deleted.
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=300)
    # SET_NULL: the settlement is a label of the place; the place text stays.
    settlement = models.ForeignKey(
        "directory.Area",
        verbose_name=_("settlement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mode = models.CharField(_("mode"), max_length=12, choices=ReceptionMode.choices)
    recurrence = models.CharField(_("recurrence"), max_length=8, choices=Recurrence.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday (0 Monday)"), null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    capacity = models.PositiveSmallIntegerField(_("places per reception"))
    first_date = models.DateField(_("first date"))
    weeks = models.PositiveSmallIntegerField(_("weeks ahead"), default=1)
    # SET_NULL: who published the schedule is kept in the ActionLog too.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        ordering = ["first_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=ReceptionMode.values), name="schedule_mode_valid"),
            models.CheckConstraint(
                condition=Q(recurrence__in=Recurrence.values), name="schedule_recurrence_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="schedule_capacity_positive"),
            models.CheckConstraint(
                condition=Q(recurrence=Recurrence.SINGLE) | Q(weekday__gte=0, weekday__lte=6),
                name="schedule_weekly_has_weekday",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.get_mode_display()})"


class ReceptionSlot(TimeStampedModel):
    # CASCADE: a slot is one date of its schedule.
    schedule = models.ForeignKey(ReceptionSchedule, on_delete=models.CASCADE, related_name="slots")
    # PROTECT: copied from the schedule for the deputy's lists (see ReceptionSchedule.deputy).
    deputy = models.ForeignKey(
        "directory.Person", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="reception_slots"
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    status = models.CharField(_("status"), max_length=12, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SlotStatus.values), name="slot_status_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
            models.UniqueConstraint(fields=["schedule", "starts_at"], name="slot_unique_per_schedule"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Booking(TimeStampedModel):
    # CASCADE: a booking is for its slot.
    slot = models.ForeignKey(ReceptionSlot, on_delete=models.CASCADE, related_name="bookings")
    # SET_NULL: an account closed later leaves the booking with its name and phone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    topic = models.CharField(_("what about"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=2, default="ru")
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    # SET_NULL: the staff member who booked for a caller (None: booked by the person).
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # SHA-256 of the confirmation token (the cancel link); the token itself is never stored.
    token_hash = models.CharField(max_length=64, db_index=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(phone=""), name="booking_user_or_phone"
            ),
            # One active booking per person and slot, kept by the database under concurrency.
            models.UniqueConstraint(
                fields=["slot", "phone"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES) & ~Q(phone=""),
                name="booking_one_per_phone",
            ),
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES) & Q(user__isnull=False),
                name="booking_one_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.get_status_display()}"


class Visit(TimeStampedModel):
    """Who came to a reception (with or without a booking)."""

    # CASCADE: a visit is part of its reception.
    slot = models.ForeignKey(ReceptionSlot, on_delete=models.CASCADE, related_name="visits")
    # SET_NULL: the visit stays when a booking row goes.
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="visit"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # SET_NULL: who recorded it is in the ActionLog too.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class VisitQuestion(TimeStampedModel):
    # CASCADE: a question belongs to its visit.
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    # PROTECT: an appeal registered from a question is a statutory record.
    appeal = models.OneToOneField(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="reception_question"
    )

    class Meta:
        verbose_name = _("question raised")
        verbose_name_plural = _("questions raised")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class VoterReport(TimeStampedModel):
    """A deputy's report to the voters of their constituency: the meeting, then the report."""

    # PROTECT: see ReceptionSchedule.deputy.
    deputy = models.ForeignKey(
        "directory.Person", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="voter_reports"
    )
    # PROTECT: see ReceptionSchedule.body.
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    # SET_NULL: the constituency is a label (party-list deputies have none).
    constituency = models.ForeignKey(
        "directory.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.ANNOUNCED
    )
    meeting_at = models.DateTimeField(_("meeting date and time"))
    place = models.CharField(_("place"), max_length=300)
    text = models.TextField(_("report"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("report to voters")
        verbose_name_plural = _("reports to voters")
        ordering = ["-meeting_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="voterreport_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="voterreport_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_at:%Y-%m-%d} {self.place}"


class ReportQuestion(TimeStampedModel):
    """A voter's question collected before the meeting, answered in the report."""

    # CASCADE: a question belongs to its report.
    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    # The asker's name is kept for the deputy; the question is published without it.
    asker_name = models.CharField(_("name"), max_length=200, blank=True)
    # SET_NULL: the question stays when the account goes.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer and what was done"), blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("voter's question")
        verbose_name_plural = _("voters' questions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportPhoto(models.Model):
    # CASCADE: photos belong to their report.
    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="deputies/reports/%Y/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class InquiryCounter(models.Model):
    """The last inquiry number of a body's year (gapless: incremented under a row lock)."""

    # CASCADE: a counter means nothing without its body.
    body = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="inquirycounter_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"


class Inquiry(TimeStampedModel):
    """A deputy inquiry (by one deputy or a group) to an akimat or another body."""

    # PROTECT: see ReceptionSchedule.body.
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    # PROTECT: the first author (see ReceptionSchedule.deputy); co-authors below.
    deputy = models.ForeignKey(
        "directory.Person", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="inquiries"
    )
    co_authors = models.ManyToManyField("directory.Person", blank=True, related_name="co_inquiries")
    addressee = models.CharField(_("addressee"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=InquiryStatus.choices, default=InquiryStatus.SENT
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    appeals = models.ManyToManyField("appeals.Appeal", blank=True, related_name="deputy_inquiries")
    # The session agenda items where the inquiry (or its answer) was discussed.
    agenda_items = models.ManyToManyField(
        "proceedings.AgendaItem",
        verbose_name=_("session agenda items"),
        blank=True,
        related_name="deputy_inquiries",
    )
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("deputy inquiry")
        verbose_name_plural = _("deputy inquiries")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InquiryStatus.values), name="inquiry_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=InquiryStatus.ANSWERED) | Q(answered_on__isnull=False),
                name="inquiry_answered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def answered_on_time(self) -> bool:
        return self.answered_on is not None and self.answered_on <= self.due_on


class AkimMeeting(TimeStampedModel):
    """An akim's reporting meeting with the population of their territory (region, district,
    city, rural okrug or town): announced by the maslikhat's apparatus on the area's calendar
    beside the deputies' reports to voters, then its record."""

    # PROTECT: the maslikhat whose apparatus published it (who may edit it).
    body = models.ForeignKey(
        "directory.Organization", verbose_name=_("maslikhat"), on_delete=models.PROTECT, related_name="+"
    )
    # PROTECT: the akim's territory.
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    akim_name = models.CharField(_("akim"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    meeting_at = models.DateTimeField(_("meeting date and time"), db_index=True)
    place = models.CharField(_("place"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=AkimMeetingStatus.choices, default=AkimMeetingStatus.ANNOUNCED
    )
    record = models.TextField(_("record of the meeting"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("akim's meeting with the population")
        verbose_name_plural = _("akims' meetings with the population")
        ordering = ["-meeting_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AkimMeetingStatus.values), name="akimmeeting_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=AkimMeetingStatus.HELD) | (Q(recorded_at__isnull=False) & ~Q(record="")),
                name="akimmeeting_held_has_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_at:%Y-%m-%d} {self.akim_name}"
