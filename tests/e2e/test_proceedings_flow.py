"""A maslikhat's proceedings in the browser: a resident on a phone, in Kazakh, comments on a
paragraph of a draft decision; when the period is over, staff (signed in with their second
factor) answer the comment and publish the results report; at the session staff convene it, open
it, record attendance and a roll-call vote through the forms, enter the decision and close the
session; the decision is in the register with its number, and the session's calendar file
parses with the icalendar library."""

from __future__ import annotations

import urllib.request
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

STAFF_PASSWORD = "staff-password-1"
RESIDENT_PASSWORD = "resident-password-1"
COMMENT = "Көп қабатты үйлердің аулаларына бөлек талап қажет."


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def world(astana: dict[str, Any], settings: Any) -> dict[str, Any]:
    """Astana's maslikhat with six deputies, its 2023 convocation, a draft open for comment, and
    session 3 planned three weeks ahead with the draft on its agenda; a resident; the staff
    account with a TOTP authenticator (the second factor is required)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from maslikhat.proceedings import services
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    body = astana["maslikhat"]
    for name in ("Асқар Бекетов", "Гүлнар Омарова", "Дархан Сейітов", "Мадина Жақыпова"):
        MembershipFactory(person=PersonFactory(name_kk=name, name_en=name), organization=body)
    staff = astana["staff_user"]
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    UserFactory(username="resident-e2e", first_name="Айгүл", last_name="Бекова", password=RESIDENT_PASSWORD)
    conv = services.convocation_create(
        actor=staff, body=body, number=8, start_date=date(2023, 3, 29), seats=body.seats or 4
    )
    draft = services.draft_create(
        actor=staff,
        body=body,
        title={
            "kk": "Абаттандыру қағидалары туралы",
            "ru": "О правилах благоустройства",
            "en": "On improvement rules",
        },
        text_kk="1. Қағидалар абаттандыру тәртібін белгілейді.\n\n2. Қағидалар бәріне міндетті.",
        text_ru="1. Правила определяют порядок благоустройства.\n\n2. Правила обязательны для всех.",
    )
    services.draft_publish(actor=staff, draft=draft, opens_on=timezone.localdate() - timedelta(days=3))
    day = timezone.localdate() + timedelta(days=21)
    session = services.session_plan(
        actor=staff,
        convocation=conv,
        number=3,
        starts_at=datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC),
        place="Сессиялар залы",
    )
    services.agenda_item_add(
        actor=staff,
        session=session,
        title={"kk": draft.title_kk, "ru": draft.title_ru, "en": draft.title_en},
        rapporteur=astana["deputy"],
        draft=draft,
    )
    return {**astana, "staff": staff, "secret": secret, "draft": draft, "session": session, "body": body}


def _sign_in(
    browser: Any, url: str, username: str, password: str, *, lang: str, width: int, height: int
) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{url}/{lang}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True)
def test_comment_results_session_vote_register_and_calendar(
    live_server: Any, browser: Any, shot: Any, world: dict[str, Any]
) -> None:
    import icalendar

    from maslikhat.proceedings.models import Comment, Decision, DraftDecision, PersonVote, Session

    draft, session = world["draft"], world["session"]
    # a resident on a phone, in Kazakh, comments on the second paragraph
    phone = _sign_in(
        browser, live_server.url, "resident-e2e", RESIDENT_PASSWORD, lang="kk", width=360, height=740
    )
    phone.goto(f"{live_server.url}/kk/proceedings/drafts/{draft.pk}/")
    assert phone.locator("html").get_attribute("lang") == "kk"
    paragraph = phone.locator("#p2")
    paragraph.locator("summary").click()
    paragraph.locator("textarea[name=text]").fill(COMMENT)
    shot(phone, "proceedings-comment-form-kk-phone")
    paragraph.locator("button.primary").click()
    phone.wait_for_load_state()
    assert COMMENT in phone.locator("#p2").inner_text()
    shot(phone, "proceedings-comment-posted-kk-phone")
    comment = Comment.objects.get(draft=draft)
    assert (comment.paragraph, comment.language, comment.author_name) == (2, "kk", "Айгүл Бекова")

    # the period ends; staff sign in with their second factor and publish the results report
    today = timezone.localdate()
    DraftDecision.objects.filter(pk=draft.pk).update(
        comment_opens_on=today - timedelta(days=20), comment_closes_on=today - timedelta(days=6)
    )
    staff = _sign_in(
        browser, live_server.url, world["staff"].username, STAFF_PASSWORD, lang="en", width=1200, height=900
    )
    assert "/accounts/2fa/authenticate/" in staff.url, staff.url
    staff.fill("input[name=code]", _code(world["secret"]))
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_load_state()
    staff.goto(f"{live_server.url}/en/proceedings/drafts/{draft.pk}/results/")
    assert staff.url.endswith(f"/drafts/{draft.pk}/results/"), staff.url
    answer = staff.locator(f"#c{comment.pk}")
    answer.locator("select[name=response]").select_option("partly")
    answer.locator("textarea[name=reason]").fill(
        "Courtyards of apartment blocks get a paragraph of their own."
    )
    answer.get_by_role("button", name="Save the answer").click()
    staff.wait_for_load_state()
    staff.fill("textarea[name=changes]", "Paragraph 2 now covers the courtyards of apartment blocks.")
    staff.locator("#publish-results").click()
    staff.wait_for_load_state()
    assert "Results of the public comment" in staff.content()
    assert "partly accepted" in staff.content()
    shot(staff, "proceedings-results-report-desktop")
    draft.refresh_from_db()
    assert draft.status == "reported" and draft.results_published_at is not None

    # the session: convene, open, attendance, a roll-call vote, the decision, close
    staff.goto(f"{live_server.url}/en/proceedings/sessions/{session.pk}/")
    staff.fill("textarea[name=notice]", "The third session is convened. Agenda: the improvement rules.")
    staff.get_by_role("button", name="Convene").click()
    staff.wait_for_load_state()
    staff.get_by_role("button", name="Open the session").click()
    staff.wait_for_load_state()
    # the session is held today (the test moves it: a session is held on its day)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    staff.reload()
    staff.locator("summary", has_text="Record attendance").click()
    boxes = staff.locator("input[type=checkbox][name^=present_]")
    count = boxes.count()
    assert count >= 3
    for i in range(count - 1):  # the last deputy is away
        boxes.nth(i).check()
    staff.locator("input[name^=reason_]").nth(count - 1).fill("business trip")
    staff.get_by_role("button", name="Save attendance").click()
    staff.wait_for_load_state()
    assert f"{count - 1} of {count} deputies present." in staff.content()
    staff.locator("#item-1 summary", has_text="Record the vote").click()
    form = staff.locator("#item-1 form.stack-form")
    form.locator("select[name=method]").select_option("roll_call")
    selects = form.locator("select[name^=ballot_]")
    for i in range(count - 1):
        selects.nth(i).select_option("no" if i == 0 else "yes")
    shot(staff, "proceedings-vote-form-desktop")
    form.get_by_role("button", name="Count the vote").click()
    staff.wait_for_load_state()
    staff.get_by_role("button", name="Enter the decision in the register").click()
    staff.wait_for_load_state()
    staff.get_by_role("button", name="Close the session").click()
    staff.wait_for_load_state()
    session.refresh_from_db()
    assert session.status == "closed", staff.locator("main").inner_text()
    decision = Decision.objects.get(session=session)
    assert decision.number == "3-1"
    vote = decision.item.vote
    assert (vote.method, vote.yes, vote.no, vote.abstain, vote.absent) == ("roll_call", count - 2, 1, 0, 1)
    assert PersonVote.objects.filter(vote=vote).count() == count == vote.elected
    assert vote.result == "passed"
    staff.locator("#item-1 details summary", has_text="How each deputy voted").click()
    shot(staff, "proceedings-session-closed-desktop")

    # the register shows the decision with its number, on a phone too
    phone.goto(f"{live_server.url}/kk/proceedings/bodies/{world['body'].pk}/decisions/")
    assert "3-1" in phone.locator("main").inner_text()
    shot(phone, "proceedings-register-kk-phone")
    phone.goto(f"{live_server.url}/kk/proceedings/decisions/{decision.pk}/")
    assert "3-1" in phone.locator("h1").inner_text()
    shot(phone, "proceedings-decision-kk-phone")

    # the session's calendar file parses, with its UID and time in UTC
    with urllib.request.urlopen(f"{live_server.url}/en/proceedings/sessions/{session.pk}/calendar.ics") as r:  # noqa: S310
        assert r.headers["Content-Type"].startswith("text/calendar")
        cal = icalendar.Calendar.from_ical(r.read())
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    assert str(events[0]["uid"]).startswith(f"session-{session.pk}@")
    start = events[0].decoded("dtstart")
    assert start.utcoffset() == timedelta(0)
    assert abs(start - session.starts_at) < timedelta(seconds=1)
    phone.context.close()
    staff.context.close()
