"""Saved searches in the citizen's digest: new public matches, once, in the one email the
citizen gets per period (their most frequent digest; daily when they follow nothing), with the
digest's one-click unsubscribe."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from maslikhat.notifications import services as follows
from maslikhat.notifications.jobs import send_digests
from maslikhat.notifications.models import DigestDelivery, Follow
from maslikhat.search import services
from maslikhat.search.digests import take
from maslikhat.search.models import SavedSearch
from tests.factories import UserFactory
from tests.news.factories import make_publication

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Almaty")
# Monday 11 May 2026, 06:00: the daily digest covers 10 May, the weekly one 4-10 May.
NOW = datetime(2026, 5, 11, 6, 0, tzinfo=TZ)
TUESDAY = datetime(2026, 5, 12, 6, 0, tzinfo=TZ)
SITE = "http://127.0.0.1:8000"


def _saved(user: Any, query: str, *, since: date = date(2026, 5, 3), kinds: str = "news") -> SavedSearch:
    saved = services.saved_search_create(user=user, query=query, kinds=[kinds], area_code="", language="ru")
    SavedSearch.objects.filter(pk=saved.pk).update(sent_until=since)  # as if saved on `since`
    return SavedSearch.objects.get(pk=saved.pk)


def _news(world: dict[str, Any], title: str, day: date, **kwargs: Any) -> Any:
    at = datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
    return make_publication(body=world["body"], title_ru=title, published_on=day, published_at=at, **kwargs)


def _run(capture: Any, frequency: str, now: datetime = NOW) -> int:
    with capture(execute=True):
        return send_digests(frequency=frequency, now=now)


@pytest.fixture
def reader(world: dict[str, Any]) -> Any:
    return UserFactory(username="reader", email="reader@example.org", preferred_language="ru")


def test_a_citizen_who_follows_nothing_gets_new_public_matches_daily_once(
    world: dict[str, Any], reader: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given two saved searches that both match one new publication, and older, draft and
    # today's matches
    _saved(reader, "водопровод")
    _saved(reader, "ремонт водопровода")
    fresh = _news(world, "Ремонт водопровода на улице", date(2026, 5, 10))
    _news(world, "Старый водопровод", date(2026, 5, 1))
    _news(world, "Водопровод черновик", date(2026, 5, 10), status="draft")
    _news(world, "Водопровод сегодня", date(2026, 5, 11))
    services.index_rebuild()
    # when the daily digests run twice, and the weekly one
    sent = [_run(django_capture_on_commit_callbacks, f) for f in ("daily", "daily", "weekly")]
    # then one email went, with the new public match once, and nothing else
    assert sent == [1, 0, 0]
    (message,) = mailoutbox
    assert message.to == ["reader@example.org"]
    assert message.body.count("Ремонт водопровода на улице") == 1
    assert f"{SITE}/ru/news/{fresh.pk}/" in message.body
    for absent in ("Старый водопровод", "Водопровод черновик", "Водопровод сегодня"):
        assert absent not in message.body
    assert f"{SITE}/ru/search/saved/" in message.body
    assert set(SavedSearch.objects.values_list("sent_until", flat=True)) == {date(2026, 5, 10)}
    assert DigestDelivery.objects.count() == 0  # no follow: the searches keep their own mark
    # and the next day brings today's match only
    assert _run(django_capture_on_commit_callbacks, "daily", TUESDAY) == 1
    assert "Водопровод сегодня" in mailoutbox[1].body
    assert "Ремонт водопровода на улице" not in mailoutbox[1].body


def test_saved_searches_are_a_part_of_the_follows_digest_with_one_unsubscribe(
    world: dict[str, Any], reader: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a citizen following the district's maslikhat daily, with a saved search
    follow = follows.follow_create(actor=reader, kind="body", target=world["body"], frequency="daily")
    _saved(reader, "водопровод")
    _news(world, "Ремонт водопровода", date(2026, 5, 10))
    _news(world, "Сессия о бюджете", date(2026, 5, 10))
    services.index_rebuild()
    # when the daily digests run twice
    sent = [_run(django_capture_on_commit_callbacks, "daily") for _ in range(2)]
    # then one email holds the follow's news and the search's match
    assert sent == [1, 0]
    (message,) = mailoutbox
    body = message.body
    assert "Сессия о бюджете" in body
    assert body.count("Ремонт водопровода") == 2  # in the follow's news and in the search's part
    assert body.index("Сессия о бюджете") < body.rindex("Ремонт водопровода")  # the search comes last
    delivery = DigestDelivery.objects.get()
    assert (delivery.follow_id, delivery.news_count) == (follow.pk, 2)
    # and its one-click unsubscribe stops both the follow and the saved searches
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{SITE}/ru/follow/unsubscribe/digest/")
    assert unsubscribe in body
    assert Client().post(unsubscribe.removeprefix(SITE)).status_code == 200
    assert Follow.objects.get(pk=follow.pk).active is False
    assert not SavedSearch.objects.filter(user=reader).exists()
    _news(world, "Новый водопровод", date(2026, 5, 11))
    services.index_rebuild()
    assert _run(django_capture_on_commit_callbacks, "daily", TUESDAY) == 0


def test_they_ride_in_the_weekly_digest_of_a_citizen_whose_follows_are_all_weekly(
    world: dict[str, Any], reader: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    follows.follow_create(actor=reader, kind="body", target=world["body"], frequency="weekly")
    saved = _saved(reader, "водопровод")
    _news(world, "Ремонт водопровода", date(2026, 5, 6))
    services.index_rebuild()
    # the daily run leaves them alone
    assert _run(django_capture_on_commit_callbacks, "daily") == 0
    assert SavedSearch.objects.get(pk=saved.pk).sent_until == date(2026, 5, 3)
    # the weekly one brings them, in the follow's email
    assert _run(django_capture_on_commit_callbacks, "weekly") == 1
    (message,) = mailoutbox
    assert message.body.count("Ремонт водопровода") == 2
    assert SavedSearch.objects.get(pk=saved.pk).sent_until == date(2026, 5, 10)


def test_taking_matches_twice_takes_nothing_the_second_time(world: dict[str, Any], reader: Any) -> None:
    _saved(reader, "водопровод")
    _news(world, "Ремонт водопровода", date(2026, 5, 10))
    services.index_rebuild()
    count, groups = take(reader, NOW)
    assert (count, [h.title for g in groups for h in g.hits]) == (1, ["Ремонт водопровода"])
    assert take(reader, NOW) == (0, [])


def test_inactive_citizens_and_bad_searches_get_nothing(
    world: dict[str, Any], reader: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _saved(reader, "водопровод")
    _news(world, "Ремонт водопровода", date(2026, 5, 10))
    services.index_rebuild()
    type(reader).objects.filter(pk=reader.pk).update(is_active=False)
    assert _run(django_capture_on_commit_callbacks, "daily") == 0
    type(reader).objects.filter(pk=reader.pk).update(is_active=True)
    # a search whose area is gone since is taken with nothing new, the others still go
    broken = _saved(reader, "ремонт")
    SavedSearch.objects.filter(pk=broken.pk).update(area_code="GONE")
    assert _run(django_capture_on_commit_callbacks, "daily") == 1
    assert mailoutbox[0].body.count("Ремонт водопровода") == 1
    assert SavedSearch.objects.get(pk=broken.pk).sent_until == date(2026, 5, 10)


def test_the_part_prints_queries_and_titles_as_written() -> None:
    from types import SimpleNamespace

    from django.utils import translation

    from maslikhat.core.emails import render_text
    from tests.factories import ESCAPES, HOSTILE

    hit = SimpleNamespace(title=HOSTILE, date=date(2026, 5, 10), url="/ru/news/1/?a=1&b=2")
    group = SimpleNamespace(saved=SimpleNamespace(query=HOSTILE), hits=[hit], total=1)
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            text = render_text("search/digest/saved.txt", {"items": [group], "site_url": SITE})
        assert text.count(HOSTILE) == 2 and f"{SITE}/ru/news/1/?a=1&b=2" in text
        assert [e for e in ESCAPES if e in text] == []
