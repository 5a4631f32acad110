from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from maslikhat.appeals.models import Appeal, Topic
from maslikhat.council.models import Meeting, Recommendation, RecommendationReport
from maslikhat.notifications import services
from maslikhat.notifications.jobs import period_for, send_digests
from maslikhat.notifications.models import DigestDelivery, Follow
from tests.factories import UserFactory
from tests.news.factories import make_publication, make_tag

TZ = ZoneInfo("Asia/Almaty")
# Monday 9 March 2026, 06:00: the weekly digest covers Mon 2 - Sun 8 March, the daily one 8 March.
NOW = datetime(2026, 3, 9, 6, 0, tzinfo=TZ)
IN_WEEK = datetime(2026, 3, 4, 12, 0, tzinfo=TZ)
BEFORE = datetime(2026, 2, 20, 12, 0, tzinfo=TZ)


@pytest.fixture
def citizen(reference):
    return UserFactory(username="citizen", email="citizen@example.org", preferred_language="ru")


def _appeal(body, *, answered_at, deputy=None, is_public=True, number="KZ-71-2026-000001") -> Appeal:
    return Appeal.objects.create(
        registration_number=number,
        body=body,
        deputy=deputy,
        kind="application",
        topic=Topic.objects.get(code="roads"),
        text="The road on our street needs repair.",
        language="ru",
        applicant_name="A",
        applicant_iin="000000000000",
        applicant_address="A",
        applicant_phone="+7 701 000 00 00",
        applicant_email="a@example.org",
        token_hash="x",
        status="answered",
        received_at=BEFORE,
        registered_on=date(2026, 2, 20),
        due_on=date(2026, 3, 13),
        original_due_on=date(2026, 3, 13),
        answer_text="The road will be repaired in May.",
        answered_at=answered_at,
        publication_requested=is_public,
        # published: staff approved the redacted texts (the digest shows only those)
        published_at=answered_at if is_public else None,
        public_text="The road on our street needs repair." if is_public else "",
        public_answer_text="The road will be repaired in May." if is_public else "",
    )


def _recommendation(council, body, *, published_at) -> Recommendation:
    meeting = Meeting.objects.create(
        council=council,
        held_on=date(2026, 3, 3),
        status="published",
        published_at=published_at,
        title_en="Meeting",
    )
    rec = Recommendation.objects.create(
        council=council,
        meeting=meeting,
        number=1,
        title_en="Publish draft budgets",
        title_ru="Публиковать проекты бюджетов",
        adopted_on=date(2026, 3, 3),
        due_on=date(2026, 6, 3),
    )
    RecommendationReport.objects.create(recommendation=rec, body=body)
    return rec


def test_periods_are_local_days_and_iso_weeks():
    key, start, end = period_for("weekly", NOW)
    assert (key, start, end) == (
        "weekly:2026-W10",
        datetime(2026, 3, 2, tzinfo=TZ),
        datetime(2026, 3, 9, tzinfo=TZ),
    )
    key, start, end = period_for("daily", NOW)
    assert (key, start, end) == (
        "daily:2026-03-08",
        datetime(2026, 3, 8, tzinfo=TZ),
        datetime(2026, 3, 9, tzinfo=TZ),
    )


def test_weekly_area_digest_has_news_decisions_and_appeals_once(
    astana, council_body, citizen, django_capture_on_commit_callbacks
):
    # given a citizen following Astana weekly, and in the past week: news, a recommendation to
    # Astana's maslikhat, an answered public appeal; and older or private things
    follow = services.follow_create(actor=citizen, kind="area", target=astana["region"], frequency="weekly")
    make_publication(body=astana["maslikhat"], title_ru="Сессия маслихата", published_at=IN_WEEK)
    make_publication(body=astana["maslikhat"], title_ru="Старая новость", published_at=BEFORE)
    make_publication(body=astana["maslikhat"], title_ru="Черновик", status="draft")
    _recommendation(council_body, astana["maslikhat"], published_at=IN_WEEK)
    _appeal(astana["maslikhat"], answered_at=IN_WEEK)
    _appeal(astana["maslikhat"], answered_at=IN_WEEK, is_public=False, number="KZ-71-2026-000002")
    mail.outbox.clear()
    # when the weekly digests are sent twice
    with django_capture_on_commit_callbacks(execute=True):
        first = send_digests(frequency="weekly", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        second = send_digests(frequency="weekly", now=NOW)
    # then one email went, in Russian, with one of each, and the second run sent nothing
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["citizen@example.org"]
    assert "Сессия маслихата" in message.body
    assert "Старая новость" not in message.body
    assert "Черновик" not in message.body
    assert "Публиковать проекты бюджетов" in message.body
    assert "The road will be repaired in May." in message.body
    assert "http://127.0.0.1:8000/ru/news/" in message.body
    delivery = DigestDelivery.objects.get()
    assert (delivery.follow_id, delivery.period_key, delivery.language) == (
        follow.pk,
        "weekly:2026-W10",
        "ru",
    )
    assert (delivery.news_count, delivery.decisions_count, delivery.appeals_count) == (1, 1, 1)
    # and the email carries a one-click unsubscribe that works without logging in
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert unsubscribe.startswith("http://127.0.0.1:8000/ru/follow/unsubscribe/")
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    assert Client().post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    follow.refresh_from_db()
    assert follow.active is False


def test_digest_is_in_the_language_of_the_recipient(astana, django_capture_on_commit_callbacks):
    english = UserFactory(username="en-reader", email="en@example.org", preferred_language="en")
    services.follow_create(actor=english, kind="body", target=astana["maslikhat"], frequency="daily")
    make_publication(
        body=astana["maslikhat"],
        title_ru="Сессия",
        title_en="Session held",
        published_at=datetime(2026, 3, 8, 15, tzinfo=TZ),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency="daily", now=NOW) == 1
    assert mail.outbox[0].subject == f"Today's digest: {astana['maslikhat'].name_en}"
    assert "Session held" in mail.outbox[0].body
    assert "Сессия" not in mail.outbox[0].body
    assert "/en/follow/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_nothing_new_sends_nothing_but_records_the_period(
    astana, citizen, django_capture_on_commit_callbacks
):
    services.follow_create(actor=citizen, kind="area", target=astana["region"], frequency="weekly")
    make_publication(body=astana["maslikhat"], published_at=BEFORE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency="weekly", now=NOW) == 0
    assert mail.outbox == []
    delivery = DigestDelivery.objects.get()
    assert (delivery.sent_at, delivery.total) == (None, 0)


def test_cancelled_follows_and_other_frequencies_get_nothing(
    astana, citizen, django_capture_on_commit_callbacks
):
    follow = services.follow_create(actor=citizen, kind="area", target=astana["region"], frequency="weekly")
    services.follow_create(actor=citizen, kind="body", target=astana["maslikhat"], frequency="daily")
    services.follow_cancel(actor=citizen, follow=follow)
    make_publication(body=astana["maslikhat"], published_at=IN_WEEK)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency="weekly", now=NOW) == 0
    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 0


def test_next_digest_starts_where_the_last_one_ended(astana, citizen, django_capture_on_commit_callbacks):
    services.follow_create(actor=citizen, kind="body", target=astana["maslikhat"], frequency="daily")
    make_publication(
        body=astana["maslikhat"], title_ru="Первая", published_at=datetime(2026, 3, 8, 9, tzinfo=TZ)
    )
    make_publication(
        body=astana["maslikhat"], title_ru="Вторая", published_at=datetime(2026, 3, 9, 9, tzinfo=TZ)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(frequency="daily", now=NOW)
        send_digests(frequency="daily", now=datetime(2026, 3, 10, 6, tzinfo=TZ))
    assert len(mail.outbox) == 2
    assert ("Первая" in mail.outbox[0].body, "Вторая" in mail.outbox[0].body) == (True, False)
    assert ("Первая" in mail.outbox[1].body, "Вторая" in mail.outbox[1].body) == (False, True)


def test_deputy_and_tag_follows(astana, citizen, django_capture_on_commit_callbacks):
    tag = make_tag(code="budget")
    services.follow_create(actor=citizen, kind="deputy", target=astana["deputy"], frequency="weekly")
    services.follow_create(actor=citizen, kind="tag", target=tag, frequency="weekly")
    _appeal(astana["maslikhat"], answered_at=IN_WEEK, deputy=astana["deputy"])
    make_publication(body=astana["maslikhat"], title_ru="О бюджете", tags=[tag], published_at=IN_WEEK)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency="weekly", now=NOW) == 1
    counts = sorted(DigestDelivery.objects.values_list("follow__kind", "news_count", "appeals_count"))
    # the deputy's digest also has the news of the deputy's maslikhat
    assert counts == [("deputy", 1, 1), ("tag", 1, 0)]
    # one email for the citizen: a section per follow, each with its own link to stop it, and a
    # one-click unsubscribe of the whole digest
    (message,) = mail.outbox
    assert message.subject == f"Сводка за неделю: {astana['deputy'].name_ru}, {tag.name_ru}"
    assert message.body.count("Что нового:") == 2
    assert message.body.count("/ru/follow/unsubscribe/") == 3
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://127.0.0.1:8000/ru/follow/unsubscribe/digest/")
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 200
    assert Follow.objects.filter(user=citizen, active=True).count() == 2  # GET only asks
    assert Client().post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Follow.objects.filter(user=citizen, active=True).count() == 0
    assert Client().post(path[:-3] + "xx/").status_code == 404  # forged


def test_a_citizen_with_daily_and_weekly_follows_gets_each_digest_once(
    astana, citizen, django_capture_on_commit_callbacks
):
    tag = make_tag(code="budget")
    services.follow_create(actor=citizen, kind="area", target=astana["region"], frequency="daily")
    services.follow_create(actor=citizen, kind="tag", target=tag, frequency="weekly")
    make_publication(body=astana["maslikhat"], tags=[tag], published_at=datetime(2026, 3, 8, 9, tzinfo=TZ))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = [send_digests(frequency=f, now=NOW) for f in ("daily", "weekly", "daily", "weekly")]
    assert sent == [1, 1, 0, 0]
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Сводка за сегодня", "Сводка за неделю"]


def test_command_sends_the_digests(astana, citizen):
    out = StringIO()
    call_command("send_digests", "--frequency", "weekly", stdout=out)
    assert out.getvalue() == "digests sent: 0\n"
