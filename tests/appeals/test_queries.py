"""Query counts do not grow with the rows shown: the inbox page, /api/v1/inbox, the tracking page.

Each test measures a page with 5 rows, adds 15 more and asserts the same count for 20.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maslikhat.appeals.choices import EventKind
from maslikhat.appeals.models import AppealEvent
from maslikhat.core.models import CalendarOverride


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _an_override(db: Any) -> None:
    # the deadline of every row reads the operator's overrides: there must be some to read
    CalendarOverride.objects.create(date=date(2030, 1, 2), kind=CalendarOverride.Kind.DAY_OFF)


def _count(get: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _bearer(client: Any, user: Any) -> dict[str, str]:
    user.set_password("staff-password-1")
    user.save()
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "staff-password-1"},
        content_type="application/json",
    )
    assert r.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_inbox_page_queries_do_not_grow_with_rows(submit, astana, client, django_assert_num_queries):
    for _ in range(5):
        submit()
    client.force_login(astana["staff_user"])
    page = lambda: client.get("/ru/inbox/")  # noqa: E731
    page()  # warm the per-process caches (sessions, content types, translations)
    five = _count(page)
    for _ in range(15):
        submit()
    with django_assert_num_queries(five):
        response = page()
    assert response.content.decode().count("KZ-71-") >= 20


def test_api_inbox_queries_do_not_grow_with_rows(submit, astana, client, django_assert_num_queries):
    for _ in range(5):
        submit()
    auth = _bearer(client, astana["staff_user"])
    get = lambda: client.get("/api/v1/inbox", **auth)  # noqa: E731
    get()
    five = _count(get)
    for _ in range(15):
        submit()
    with django_assert_num_queries(five):
        response = get()
    assert len(response.json()["items"]) == 20


def test_tracking_page_queries_do_not_grow_with_events(submit, client, django_assert_num_queries):
    appeal, token = submit()

    def add_events(n: int) -> None:
        AppealEvent.objects.bulk_create(
            AppealEvent(appeal=appeal, kind=EventKind.NOTE, public=True, text=f"note {i}") for i in range(n)
        )

    add_events(5)
    page = lambda: client.get(f"/ru/appeals/{appeal.registration_number}/?token={token}")  # noqa: E731
    page()
    five = _count(page)
    add_events(15)
    with django_assert_num_queries(five):
        page()


def test_a_request_reads_the_overrides_once(submit, astana, client):
    for _ in range(5):
        submit()
    client.force_login(astana["staff_user"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/ru/inbox/").status_code == 200
    reads = [q for q in ctx.captured_queries if "core_calendaroverride" in q["sql"]]
    assert len(reads) == 1
