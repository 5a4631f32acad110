"""iCalendar feeds of a maslikhat's sessions and one session's "add to calendar" file, and Atom
feeds of a maslikhat's decisions and drafts open for comment.

iCalendar: times in UTC, a stable UID per session (`session-<id>@<host>`), SEQUENCE raised by
each move after the notice and by cancelling, STATUS:CANCELLED for a cancelled session.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from maslikhat.directory.models import Organization

from . import selectors
from .choices import HearingStatus, MeetingStatus, SessionStatus
from .models import CommissionMeeting, Decision, DraftDecision, PublicHearing, Session

SESSION_HOURS = 4
FEED_SIZE = 50
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _host() -> str:
    site = getattr(settings, "SITE_URL", "") or "http://maslikhat.local"
    return re.sub(r"^https?://", "", site).split("/")[0] or "maslikhat.local"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{_host()}"


def session_title(session: Session) -> str:
    return _("Session %(number)s, convocation %(convocation)s: %(body)s") % {
        "number": session.number,
        "convocation": session.convocation.number,
        "body": session.body.name,
    }


def _event(session: Session) -> Event:
    ev = Event()
    start = session.starts_at.astimezone(UTC)
    ev.add("uid", session_uid(session))
    ev.add("dtstamp", (session.updated_at or datetime.now(UTC)).astimezone(UTC))
    ev.add("dtstart", start)
    ev.add("dtend", start + timedelta(hours=SESSION_HOURS))
    ev.add("summary", session_title(session))
    ev.add("sequence", session.sequence)
    if session.place:
        ev.add("location", session.place)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    ev.add("url", site + reverse("proceedings:session", kwargs={"pk": session.pk}))
    ev.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
    return ev


def calendar_bytes(sessions: Iterable[Session], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Maslikhat//proceedings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for s in sessions:
        cal.add_component(_event(s))
    return cal.to_ical()


def _ics(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


HEARING_HOURS = 3


def hearing_uid(hearing: PublicHearing) -> str:
    return f"hearing-{hearing.pk}@{_host()}"


def _hearing_event(hearing: PublicHearing) -> Event:
    ev = Event()
    start = hearing.starts_at.astimezone(UTC)
    ev.add("uid", hearing_uid(hearing))
    ev.add("dtstamp", (hearing.updated_at or datetime.now(UTC)).astimezone(UTC))
    ev.add("dtstart", start)
    ev.add("dtend", start + timedelta(hours=HEARING_HOURS))
    ev.add("summary", _("Public hearing: %(topic)s") % {"topic": hearing.topic})
    ev.add("sequence", hearing.sequence)
    ev.add("location", hearing.place)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    ev.add("url", site + reverse("proceedings:hearing", kwargs={"pk": hearing.pk}))
    ev.add("status", "CANCELLED" if hearing.status == HearingStatus.CANCELLED else "CONFIRMED")
    return ev


def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The maslikhat's sessions and public hearings."""
    body = selectors.maslikhat_get(pk)
    if body is None:
        raise Http404
    sessions = selectors.public_sessions(body=body).order_by("-starts_at")[:200]
    cal = Calendar.from_ical(calendar_bytes(sessions, body.name))
    for hearing in selectors.body_hearings_for_calendar(body=body):
        cal.add_component(_hearing_event(hearing))
    return _ics(cal.to_ical(), f"sessions-{body.pk}.ics")


def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(pk=pk, user=None)
    if session is None:
        raise Http404
    return _ics(calendar_bytes([session], session.body.name), f"session-{session.pk}.ics")


MEETING_HOURS = 2


def meeting_uid(meeting: CommissionMeeting) -> str:
    return f"commission-meeting-{meeting.pk}@{_host()}"


def _meeting_event(meeting: CommissionMeeting) -> Event:
    ev = Event()
    start = meeting.starts_at.astimezone(UTC)
    ev.add("uid", meeting_uid(meeting))
    ev.add("dtstamp", (meeting.updated_at or datetime.now(UTC)).astimezone(UTC))
    ev.add("dtstart", start)
    ev.add("dtend", start + timedelta(hours=MEETING_HOURS))
    ev.add("summary", _("Meeting of the %(commission)s") % {"commission": meeting.commission.name})
    ev.add("sequence", meeting.sequence)
    if meeting.place:
        ev.add("location", meeting.place)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    ev.add("url", site + reverse("proceedings:commission_meeting", kwargs={"pk": meeting.pk}))
    ev.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return ev


def commission_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """A standing commission's meetings (the latest 200)."""
    commission = selectors.commission_get(pk)
    if commission is None:
        raise Http404
    cal = Calendar()
    cal.add("prodid", "-//Maslikhat//proceedings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", commission.name)
    for meeting in selectors.commission_meetings(commission=commission, limit=200):
        meeting.commission = commission
        cal.add_component(_meeting_event(meeting))
    return _ics(cal.to_ical(), f"commission-{commission.pk}.ics")


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are plain text (``<summary type="text">``)."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class DecisionsFeed(Feed):
    feed_type = TextSummaryAtom1Feed

    def get_object(self, request: HttpRequest, pk: int) -> Organization:
        body = selectors.maslikhat_get(pk)
        if body is None:
            raise Http404
        return body

    def title(self, obj: Organization) -> str:
        return xml_text(f"{_('Decisions')}: {obj.name}")

    def link(self, obj: Organization) -> str:
        return reverse("proceedings:register", kwargs={"pk": obj.pk})

    def items(self, obj: Organization) -> list[Decision]:
        return list(selectors.register(body=obj, f=selectors.RegisterFilter())[:FEED_SIZE])

    def item_title(self, item: Decision) -> str:
        return xml_text(f"№{item.number} {item.title}")

    def item_description(self, item: Decision) -> str:
        return xml_text(f"{item.adopted_on:%Y-%m-%d} · {item.get_status_display()}")

    def item_link(self, item: Decision) -> str:
        return reverse("proceedings:decision", kwargs={"pk": item.pk})

    def item_pubdate(self, item: Decision) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Decision) -> datetime:
        return item.updated_at


class DraftsFeed(Feed):
    feed_type = TextSummaryAtom1Feed

    def get_object(self, request: HttpRequest, pk: int) -> Organization:
        body = selectors.maslikhat_get(pk)
        if body is None:
            raise Http404
        return body

    def title(self, obj: Organization) -> str:
        return xml_text(f"{_('Drafts open for comment')}: {obj.name}")

    def link(self, obj: Organization) -> str:
        return reverse("proceedings:sessions", kwargs={"pk": obj.pk})

    def items(self, obj: Organization) -> list[DraftDecision]:
        return selectors.open_drafts(body=obj)

    def item_title(self, item: DraftDecision) -> str:
        return xml_text(item.title)

    def item_description(self, item: DraftDecision) -> str:
        return xml_text(_("Comments until %(day)s") % {"day": f"{item.comment_closes_on:%Y-%m-%d}"})

    def item_link(self, item: DraftDecision) -> str:
        return reverse("proceedings:draft", kwargs={"pk": item.pk})

    def item_pubdate(self, item: DraftDecision) -> datetime:
        return item.updated_at
