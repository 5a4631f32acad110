"""The public proceedings pages: sessions, session record, register (filters, CSV), decision,
draft with comments, iCalendar and Atom feeds."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from maslikhat.proceedings import services
from maslikhat.proceedings.models import Comment

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")


def _roll(sitting: dict[str, Any], yes: int) -> dict[int, str]:
    return {d.pk: "yes" for d in sitting["deputies"][:yes]}


def _adopt(sitting: dict[str, Any], key: str) -> Any:
    services.vote_record(
        actor=sitting["staff"], item=sitting[key], method="roll_call", ballots=_roll(sitting, 5)
    )
    return services.decision_adopt(actor=sitting["staff"], item=sitting[key])


@pytest.fixture
def decided(sitting: dict[str, Any]) -> dict[str, Any]:
    first = _adopt(sitting, "item")
    second = _adopt(sitting, "item2")
    return {**sitting, "first": first, "second": second}


def _url(name: str, pk: Any, lang: str = "en") -> str:
    from django.utils import translation

    with translation.override(lang):
        return reverse(f"proceedings:{name}", kwargs={"pk": pk})


def test_sessions_and_session_page_show_the_agenda_votes_and_roll(decided: dict[str, Any]) -> None:
    client = Client()
    listing = client.get(_url("sessions", decided["maslikhat"].pk))
    assert listing.status_code == 200
    page = client.get(_url("session", decided["session"].pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "On the budget" in text and "Deputy 0" in text and decided["first"].number in text


def test_register_filters_by_words_number_status_and_date(decided: dict[str, Any]) -> None:
    client = Client()
    url = _url("register", decided["maslikhat"].pk)
    by_words = client.get(url, {"q": "budget"}).content.decode()
    assert "On the budget" in by_words and "akim" not in by_words
    by_number = client.get(url, {"number": decided["second"].number}).content.decode()
    assert "akim" in by_number and "On the budget" not in by_number
    none_yet = client.get(url, {"to": "2031-03-19"}).content.decode()
    assert "On the budget" not in none_yet
    wrong_status = client.get(url, {"status": "repealed"}).content.decode()
    assert "On the budget" not in wrong_status


@pytest.mark.parametrize(
    "params",
    [{"q": "a\x00b"}, {"from": "2031-13-99"}, {"commission": "9" * 40}, {"page": "x"}],
)
def test_register_odd_input_is_no_500(decided: dict[str, Any], params: dict[str, str]) -> None:
    # a NUL byte is refused by the middleware with 400; the rest is ignored by the filter
    status = Client().get(_url("register", decided["maslikhat"].pk), params).status_code
    assert status == (400 if any("\x00" in v for v in params.values()) else 200)


def test_register_lone_surrogate_is_ignored(decided: dict[str, Any]) -> None:
    url = _url("register", decided["maslikhat"].pk)
    response = Client().get(url + "?q=%ED%A0%80&status=%ED%A0%80")
    assert response.status_code < 500


def test_huge_ids_are_404(decided: dict[str, Any]) -> None:
    client = Client()
    for name in ("sessions", "session", "decision", "draft", "register", "session_calendar"):
        assert client.get(_url(name, 9**30)).status_code == 404


def test_register_csv_is_formula_safe(decided: dict[str, Any]) -> None:
    from maslikhat.proceedings.models import Decision

    Decision.objects.filter(pk=decided["first"].pk).update(title_en="=HYPERLINK(1)")
    response = Client().get(_url("register_csv", decided["maslikhat"].pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [r[2] for r in rows[1:]]
    assert "=HYPERLINK(1)" not in titles and any(t.endswith("=HYPERLINK(1)") for t in titles)


def test_decision_page_shows_links_both_ways(decided: dict[str, Any]) -> None:
    from maslikhat.proceedings.choices import DecisionStatus, LinkKind
    from maslikhat.proceedings.models import Decision

    staff, old = decided["staff"], decided["first"]
    Decision.objects.filter(pk=old.pk).update(status=DecisionStatus.IN_FORCE)
    old.refresh_from_db()
    services.decision_link(actor=staff, source=decided["second"], target=old, kind=LinkKind.AMENDS)
    client = Client()
    old = client.get(_url("decision", decided["first"].pk)).content.decode()
    new = client.get(_url("decision", decided["second"].pk)).content.decode()
    assert _url("decision", decided["second"].pk) in old
    assert _url("decision", decided["first"].pk) in new


def test_ical_has_utc_uid_and_sequence_after_reschedule(sitting: dict[str, Any]) -> None:
    staff = sitting["staff"]
    session = services.session_plan(
        actor=staff,
        convocation=sitting["convocation"],
        number=6,
        starts_at=datetime(2031, 6, 1, 5, tzinfo=UTC),
    )
    services.agenda_item_add(actor=staff, session=session, title={"en": "Item"})
    services.session_convene(actor=staff, session=session, notice="Notice")
    services.session_reschedule(
        actor=staff, session=session, starts_at=datetime(2031, 6, 3, 5, tzinfo=UTC), reason="Repair"
    )
    data = Client().get(_url("session_calendar", session.pk)).content
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2031, 6, 3, 5, tzinfo=UTC)
    assert event.decoded("sequence") == 1 and str(event["UID"]).startswith(f"session-{session.pk}@")
    services.session_cancel(actor=staff, session=session, reason="No quorum")
    body_cal = Client().get(_url("body_calendar", sitting["maslikhat"].pk)).content
    events = {str(e["UID"]): e for e in Calendar.from_ical(body_cal).walk("VEVENT")}
    cancelled = events[str(event["UID"])]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled.decoded("sequence") == 2


def test_atom_feeds_list_decisions_and_open_drafts(decided: dict[str, Any]) -> None:
    services.draft_publish(
        actor=decided["staff"],
        draft=services.draft_create(
            actor=decided["staff"],
            body=decided["maslikhat"],
            title={"kk": "Жоба", "ru": "Проект", "en": "Open draft"},
            text_kk="1. Бірінші.",
            text_ru="1. Первый.",
        ),
    )
    client = Client()
    decisions = client.get(_url("decisions_feed", decided["maslikhat"].pk))
    assert decisions.status_code == 200 and b"On the budget" in decisions.content
    drafts = client.get(_url("drafts_feed", decided["maslikhat"].pk))
    assert drafts.status_code == 200 and b"Open draft" in drafts.content


@pytest.fixture
def open_draft(body: dict[str, Any]) -> Any:
    draft = services.draft_create(
        actor=body["staff"],
        body=body["maslikhat"],
        title={"kk": "Жоба", "ru": "Проект", "en": "Draft"},
        text_kk="1. Бірінші.\n\n2. Екінші.",
        text_ru="1. Первый.\n\n2. Второй.",
    )
    return services.draft_publish(actor=body["staff"], draft=draft)


def test_comment_posted_through_the_page_is_shown(body: dict[str, Any], open_draft: Any) -> None:
    client = Client()
    client.force_login(body["resident"])
    page = client.get(_url("draft", open_draft.pk))
    assert page.status_code == 200 and "Бірінші" in page.content.decode()
    response = client.post(
        _url("comment", open_draft.pk), {"text": "Add a deadline.", "paragraph": "1", "language": "kk"}
    )
    assert response.status_code == 302
    assert "Add a deadline." in client.get(_url("draft", open_draft.pk)).content.decode()
    comment = Comment.objects.get()
    other = Client()
    other.force_login(body["other"])
    assert other.post(f"/en/proceedings/comments/{comment.pk}/support/").status_code == 302


def test_comment_after_the_period_gets_the_translated_error(body: dict[str, Any]) -> None:
    draft = services.draft_create(
        actor=body["staff"],
        body=body["maslikhat"],
        title={"kk": "Жоба", "ru": "Проект", "en": "Draft"},
        text_kk="1. Бірінші.",
        text_ru="1. Первый.",
    )
    services.draft_publish(actor=body["staff"], draft=draft, opens_on=date(2020, 1, 6))
    client = Client()
    client.force_login(body["resident"])
    response = client.post(_url("comment", draft.pk), {"text": "Late", "language": "ru"})
    assert response.status_code == 422 and Comment.objects.count() == 0
    assert 'role="alert">The comment period is over' in response.content.decode()


def test_comment_with_nul_bytes_is_a_form_error(body: dict[str, Any], open_draft: Any) -> None:
    client = Client()
    client.force_login(body["resident"])
    refused = client.post(_url("comment", open_draft.pk), {"text": "\x00"})
    assert refused.status_code == 400
    huge = client.post(_url("comment", open_draft.pk), {"text": "", "paragraph": "9" * 30})
    assert huge.status_code == 422 and Comment.objects.count() == 0


def test_register_and_session_page_queries_do_not_grow(sitting: dict[str, Any]) -> None:
    client = Client()
    _adopt(sitting, "item")
    client.get(_url("register", sitting["maslikhat"].pk))  # warm the per-process caches
    with CaptureQueriesContext(connection) as one_reg:
        client.get(_url("register", sitting["maslikhat"].pk))
    with CaptureQueriesContext(connection) as one_ses:
        client.get(_url("session", sitting["session"].pk))
    _adopt(sitting, "item2")
    with CaptureQueriesContext(connection) as two_reg:
        client.get(_url("register", sitting["maslikhat"].pk))
    with CaptureQueriesContext(connection) as two_ses:
        client.get(_url("session", sitting["session"].pk))
    assert len(two_reg) == len(one_reg) and len(two_ses) == len(one_ses)
    assert len(two_ses) <= 20


def test_body_page_shows_a_banner_only_while_a_draft_is_open(body: dict[str, Any]) -> None:
    from maslikhat.core.sections import render_sections

    org = body["maslikhat"]
    assert "pr-banner" not in render_sections("directory.body", "main", org, None)
    draft = services.draft_create(
        actor=body["staff"],
        body=org,
        title={"kk": "Жоба", "ru": "Проект", "en": "Open draft"},
        text_kk="1. Бірінші.",
        text_ru="1. Первый.",
    )
    services.draft_publish(actor=body["staff"], draft=draft)
    from django.utils import translation

    with translation.override("en"):
        shown = render_sections("directory.body", "main", org, None)
    assert "pr-banner" in shown and _url("draft", draft.pk) in shown and _url("sessions", org.pk) in shown


def test_person_page_shows_the_deputys_attendance_and_votes(decided: dict[str, Any]) -> None:
    deputy = decided["deputies"][0]
    page = Client().get(f"/en/people/{deputy.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Present at 1 of 1 sessions recorded." in text
    assert "On the budget" in text and _url("decision", decided["first"].pk) in text
    absent = Client().get(f"/en/people/{decided['deputies'][5].pk}/").content.decode()
    assert "Present at 0 of 1 sessions recorded." in absent
