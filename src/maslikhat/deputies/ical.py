"""iCalendar (RFC 5545) of receptions: a deputy's upcoming ones, or one slot ("add to
calendar"). Availability only: never who booked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import ReceptionSlot
from .selectors import CalendarEntry


def calendar_bytes(slots: Iterable[ReceptionSlot]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Maslikhat//Deputy receptions//EN")
    cal.add("version", "2.0")
    for slot in slots:
        schedule = slot.schedule
        event = Event()
        event.add("uid", f"reception-{slot.pk}@maslikhat")
        event.add("dtstamp", slot.updated_at)
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.ends_at)
        event.add("summary", f"{_('Reception of deputy')} {slot.deputy.name}")
        event.add("location", schedule.place)
        event.add("description", f"{schedule.get_mode_display()}")
        event.add("url", settings.SITE_URL + reverse("deputies:book", args=[slot.pk]))
        if slot.status != "open":
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def area_calendar_bytes(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """An area's meetings with the population: deputies' reports to voters, akims' meetings."""
    cal = Calendar()
    cal.add("prodid", "-//Maslikhat//Meetings with the population//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", entry.updated_at)
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.starts_at + timedelta(hours=2))
        event.add("summary", entry.title)
        event.add("location", entry.place)
        event.add("url", settings.SITE_URL + entry.url)
        if entry.cancelled:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def response(slots: Iterable[ReceptionSlot], *, name: str) -> HttpResponse:
    return bytes_response(calendar_bytes(slots), name=name)


def bytes_response(data: bytes, *, name: str) -> HttpResponse:
    resp = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
