"""Appeal submission limits that don't punish typos: one decision for the page and the API.

Only accepted submissions count against APPEAL_SUBMIT_LIMIT_PER_HOUR; every attempt counts
against APPEAL_ATTEMPT_LIMIT_PER_HOUR. Limited, the page shows the form again with what was
typed and says in minutes when to retry; the API answers 429 JSON with `retry_after`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from html import escape
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from maslikhat.appeals.limits import ATTEMPTS, SUBMISSIONS, SubmissionAttempt, attempt_limit
from maslikhat.appeals.models import Appeal
from maslikhat.core.models import ActionLog


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _form(applicant: dict[str, str], **extra: str) -> dict[str, str]:
    data = {
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road on Abai street.",
        "language": "ru",
        **applicant,
        "step": "confirm",  # the page's second POST sends it (the first is the preview)
    }
    data.update(extra)
    return data


def _payload(astana: dict[str, Any], applicant: dict[str, str], **applicant_extra: str) -> dict[str, Any]:
    return {
        "body_id": astana["maslikhat"].pk,
        "kind": "proposal",
        "topic": "ecology",
        "text": "Plant trees along the Esil embankment.",
        "language": "kk",
        "applicant": {**applicant, **applicant_extra},
    }


def _minutes(seconds: int) -> str:
    n = max(1, math.ceil(seconds / 60))
    return f"Please try again in {n} minute." if n == 1 else f"Please try again in {n} minutes."


BAD_IIN = "123456789012"


# ------------------------------------------------------------------------------------------ page


def test_typos_do_not_count_against_the_page_limit(astana, applicant, client, settings) -> None:
    # given: a limit of 3 accepted appeals an hour
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 3
    url = f"/en/appeals/new/?body={astana['maslikhat'].pk}"
    # when: the citizen mistypes the IIN ten times, then sends three good appeals and a fourth
    typos = [client.post(url, _form(applicant, iin=BAD_IIN)) for _ in range(10)]
    good = [client.post(url, _form(applicant, text=f"Appeal {i}")).status_code for i in range(4)]
    # then: every typo is answered with the form's error, three appeals are accepted, the fourth waits
    assert [r.status_code for r in typos] == [200] * 10
    assert all("iin" in r.context["form"].errors for r in typos)
    assert good == [302, 302, 302, 429]
    assert Appeal.objects.count() == 3


def test_limited_page_keeps_the_typed_text_and_says_when_in_minutes(
    astana, applicant, client, settings
) -> None:
    # given: the hourly limit is used up
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 1
    url = f"/en/appeals/new/?body={astana['maslikhat'].pk}"
    assert client.post(url, _form(applicant)).status_code == 302
    before = (Appeal.objects.count(), ActionLog.objects.count())
    typed = 'The lamp at "Abai 5" & the park <b>is broken</b>.\nSecond line.'
    # when: another appeal is sent
    response = client.post(url, _form(applicant, text=typed, full_name="Арман Сейтов"))
    # then: 429 with the form again, what was typed in it, and the time to wait in minutes
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    page = response.content.decode()
    assert f"Too many appeals from your connection. {_minutes(retry_after)}" in page
    assert "What you typed is kept below. Attached files have to be chosen again." in page
    assert f">\n{escape(typed, quote=True)}</textarea>" in page
    assert 'value="Арман Сейтов"' in page
    assert f'value="{applicant["iin"]}"' in page
    # the form was not validated (no field errors) and nothing was written
    assert response.context["form"].is_bound is False
    assert (Appeal.objects.count(), ActionLog.objects.count()) == before


def test_every_attempt_counts_against_the_attempt_limit(astana, applicant, client, settings) -> None:
    # given: 2 accepted appeals and 5 attempts an hour
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 2
    settings.APPEAL_ATTEMPT_LIMIT_PER_HOUR = 5
    url = f"/en/appeals/new/?body={astana['maslikhat'].pk}"
    # when: a bot sends five invalid forms, then a valid one
    bad = [client.post(url, _form(applicant, iin=BAD_IIN)).status_code for _ in range(5)]
    limited = client.post(url, _form(applicant))
    # then: the valid one waits as well, with the attempts message
    assert bad == [200] * 5
    assert limited.status_code == 429
    retry_after = int(limited["Retry-After"])
    expected = f"Too many attempts to send an appeal from your connection. {_minutes(retry_after)}"
    assert expected in limited.content.decode()
    assert Appeal.objects.count() == 0


def test_the_attempt_limit_is_never_below_the_submission_limit(astana, applicant, client, settings) -> None:
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 4
    settings.APPEAL_ATTEMPT_LIMIT_PER_HOUR = 2
    assert attempt_limit() == 4
    url = f"/en/appeals/new/?body={astana['maslikhat'].pk}"
    statuses = [client.post(url, _form(applicant, text=f"Appeal {i}")).status_code for i in range(5)]
    assert statuses == [302] * 4 + [429]


# ------------------------------------------------------------------------------------------ API


def test_typos_do_not_count_against_the_api_limit(astana, applicant, client, settings) -> None:
    # given: a limit of 2 accepted appeals an hour
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 2
    bad_iin = _payload(astana, applicant, iin=BAD_IIN)
    no_body = {**_payload(astana, applicant), "body_id": 999_999}
    # when: eight refused submissions (a wrong IIN, an unknown body), then three good ones
    refused = [
        client.post("/api/v1/appeals", p, content_type="application/json").status_code
        for p in [bad_iin, no_body] * 4
    ]
    good = [
        client.post(
            "/api/v1/appeals", _payload(astana, applicant), content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    # then
    assert refused == [422] * 8
    assert good == [201, 201, 429]
    assert Appeal.objects.count() == 2


def test_api_429_says_retry_after_in_seconds_and_the_message_in_minutes(
    astana, applicant, client, settings
) -> None:
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 1
    payload = _payload(astana, applicant)
    assert client.post("/api/v1/appeals", payload, content_type="application/json").status_code == 201
    before = (Appeal.objects.count(), ActionLog.objects.count())
    # (the message in the language the client asks for; the API's default is Kazakh)
    response = client.post(
        "/api/v1/appeals", payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"code", "message", "retry_after"}
    assert body["code"] == "rate_limited"
    assert 0 < body["retry_after"] <= 3600
    assert response["Retry-After"] == str(body["retry_after"])
    assert body["message"] == f"Too many appeals from your connection. {_minutes(body['retry_after'])}"
    assert (Appeal.objects.count(), ActionLog.objects.count()) == before


def test_api_attempt_limit(astana, applicant, client, settings) -> None:
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 1
    settings.APPEAL_ATTEMPT_LIMIT_PER_HOUR = 3
    bad = _payload(astana, applicant, iin=BAD_IIN)
    statuses = [
        client.post("/api/v1/appeals", bad, content_type="application/json").status_code for _ in range(3)
    ]
    limited = client.post(
        "/api/v1/appeals",
        _payload(astana, applicant),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert statuses == [422] * 3
    assert limited.status_code == 429
    assert limited.json()["message"].startswith("Too many attempts to send an appeal from your connection. ")
    assert Appeal.objects.count() == 0


def test_page_and_api_share_one_limit(astana, applicant, client, settings) -> None:
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 3
    url = f"/en/appeals/new/?body={astana['maslikhat'].pk}"
    api = "/api/v1/appeals"
    answers = [
        client.post(url, _form(applicant)).status_code,
        client.post(api, _payload(astana, applicant), content_type="application/json").status_code,
        client.post(url, _form(applicant)).status_code,
        client.post(api, _payload(astana, applicant), content_type="application/json").status_code,
        client.post(url, _form(applicant)).status_code,
    ]
    assert answers == [302, 201, 302, 429, 429]
    assert Appeal.objects.count() == 3


# --------------------------------------------------------------------------------- the message


@pytest.mark.parametrize(
    ("seconds", "minutes", "sentence"),
    [
        (1, 1, "Please try again in 1 minute."),
        (60, 1, "Please try again in 1 minute."),
        (61, 2, "Please try again in 2 minutes."),
        (1799, 30, "Please try again in 30 minutes."),
        (3600, 60, "Please try again in 60 minutes."),
    ],
)
def test_the_wait_is_rounded_up_to_whole_minutes(seconds: int, minutes: int, sentence: str) -> None:
    from django.utils import translation

    attempt = SubmissionAttempt(allowed=False, retry_after=seconds, reason=SUBMISSIONS)
    with translation.override("en"):
        assert attempt.retry_minutes == minutes
        assert attempt.message == f"Too many appeals from your connection. {sentence}"
        assert SubmissionAttempt(allowed=False, retry_after=seconds, reason=ATTEMPTS).message == (
            f"Too many attempts to send an appeal from your connection. {sentence}"
        )


# --------------------------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_from_one_client_never_pass_the_limit(
    astana, applicant, settings, monkeypatch
) -> None:
    # given: a limit of 10 and 40 simultaneous submissions from one address, and no counts
    # left in the cache by an earlier test in this process
    from django.core.cache import cache

    cache.clear()
    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 10
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory (shared cache), where a second writer fails at
        # once instead of waiting: the writes take turns, the limit checks before them still
        # run in parallel. On PostgreSQL everything runs in parallel.
        from maslikhat.appeals import services

        real_submit, turn = services.appeal_submit, threading.Lock()

        def submit_in_turn(**kwargs: Any) -> Any:
            with turn:
                return real_submit(**kwargs)

        monkeypatch.setattr(services, "appeal_submit", submit_in_turn)
    n = 40
    barrier = threading.Barrier(n)
    statuses: list[int] = []
    unexpected: list[str] = []
    lock = threading.Lock()
    payload = _payload(astana, applicant)

    def worker(i: int) -> None:
        try:
            client = Client(REMOTE_ADDR="198.51.100.40")
            barrier.wait(timeout=30)
            data = {**payload, "text": f"Appeal {i}"}
            response = client.post("/api/v1/appeals", data, content_type="application/json")
            with lock:
                statuses.append(response.status_code)
                if response.status_code not in (201, 429):
                    unexpected.append(response.content.decode()[:300])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # then: exactly ten are accepted (and stored), thirty are told to wait
    assert sorted(statuses) == [201] * 10 + [429] * 30, unexpected[:3]
    numbers = sorted(Appeal.objects.values_list("registration_number", flat=True))
    year = Appeal.objects.first().registered_on.year
    assert numbers == [f"KZ-71-{year}-{i:06d}" for i in range(1, 11)]
