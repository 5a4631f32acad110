"""Queries per appeal submission, pinned, through the API and through the page, on SQLite and
PostgreSQL (bench/README.md, bench/appeals, gives the before and after).

Transactional tests: the submission commits as in production, so the reference data
(appeals/refdata.py: topics, bodies, deputies' bodies) comes from the process's snapshot, which
is only ever loaded outside a transaction. After a warm-up submission, one submission runs,
through the API (body_id): the calendar overrides (core.calendar, read once per request), then
on PostgreSQL one statement (data-modifying CTEs: the registration number's upsert with
RETURNING, the appeal, its events, both rollups' upserts, the audit row); on SQLite the same
rows in six (the number, the appeal, its events (one INSERT), one upsert per rollup, the audit
row); no savepoint."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maslikhat.appeals import refdata
from maslikhat.appeals.models import Appeal, AppealEvent, AppealMonthStats, AppealStats

pytestmark = pytest.mark.django_db(transaction=True)

PG = connection.vendor == "postgresql"
# Counted as captured: BEGIN (SQLite's BEGIN IMMEDIATE) and COMMIT included; the after-commit
# jobs are queued. Before the in-process reference data: 12 through the API and 13 through the
# page on both databases (+3 when the rollup row was new: get_or_create's SAVEPOINT, INSERT,
# RELEASE); then 8 (PostgreSQL) / 9 (SQLite) and 10 / 11; now PostgreSQL writes in one statement.
API_QUERIES = 4 if PG else 9
PAGE_QUERIES = 6 if PG else 11  # the page (not changed here) also reads the body and the topics


@pytest.fixture(autouse=True)
def _jobs_to_the_broker(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """After-commit jobs (emails, search index) go to the broker in production: queued here, so
    the counts are the request's own."""
    from maslikhat.core import background

    queued: list[str] = []
    monkeypatch.setattr(background, "enqueue", lambda job, *args: queued.append(job))
    return queued


@pytest.fixture(autouse=True)
def _fresh_snapshot() -> Any:
    refdata.invalidate()
    yield
    refdata.invalidate()  # the next test's database is another one


def _payload(body_id: int, applicant: dict[str, str], i: int) -> dict[str, Any]:
    return {
        "body_id": body_id,
        "kind": "application",
        "topic": "roads",
        "text": f"The road on our street {i} has not been repaired for three years.",
        "language": "ru",
        "applicant": applicant,
    }


def _api(client: Any, body_id: int, applicant: dict[str, str], i: int) -> Any:
    return client.post("/api/v1/appeals", _payload(body_id, applicant, i), content_type="application/json")


def _sql(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


def test_api_submission_queries(client, astana, applicant, _jobs_to_the_broker):
    body = astana["maslikhat"]
    assert _api(client, body.pk, applicant, 0).status_code == 201  # warms the per-process data
    _jobs_to_the_broker.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = _api(client, body.pk, applicant, 1)
    assert r.status_code == 201, r.content
    queries = _sql(ctx)
    assert len(queries) == API_QUERIES, "\n".join(queries)
    assert not [q for q in queries if "SAVEPOINT" in q]
    reference_reads = ('SELECT "appeals_topic"', 'SELECT "directory_organization"')
    assert not [q for q in queries if q.startswith(reference_reads)]
    # what the fewer statements wrote is all there
    appeal = Appeal.objects.get(registration_number=r.json()["registration_number"])
    assert appeal.registration_number.endswith("-000002")
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list("to_status", flat=True)) == [
        "received",
        "registered",
    ]
    assert AppealStats.objects.get(body=body).received == 2
    assert AppealMonthStats.objects.get(body=body).received == 2
    # the registration email; a new appeal is never public: no search-index job
    assert _jobs_to_the_broker == ["appeals.registered"]


def test_a_published_appeal_is_still_indexed(client, astana, applicant, _jobs_to_the_broker):
    """Skipping the creation's index job must not skip the later saves that can publish it."""
    body = astana["maslikhat"]
    r = _api(client, body.pk, applicant, 0)
    appeal = Appeal.objects.get(registration_number=r.json()["registration_number"])
    _jobs_to_the_broker.clear()
    appeal.save()
    assert _jobs_to_the_broker == ["search.index"]


def test_page_submission_queries(client, astana, applicant):
    body = astana["maslikhat"]
    form = {
        "kind": "application",
        "topic": "roads",
        "full_name": applicant["full_name"],
        "iin": applicant["iin"],
        "address": applicant["address"],
        "phone": applicant["phone"],
        "email": applicant["email"],
        "language": "ru",
        "step": "confirm",
    }
    url = f"/ru/appeals/new/?body={body.pk}"
    assert client.post(url, {**form, "text": "Please repair the road, 0."}).status_code == 302
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, {**form, "text": "Please repair the road, 1."})
    assert r.status_code == 302
    assert len(_sql(ctx)) == PAGE_QUERIES, "\n".join(_sql(ctx))
    assert Appeal.objects.count() == 2


def test_a_changed_topic_is_seen_at_once(client, astana, applicant):
    from maslikhat.appeals.models import Topic

    body = astana["maslikhat"]
    assert _api(client, body.pk, applicant, 0).status_code == 201  # the snapshot is loaded
    topic = Topic.objects.get(code="roads")
    topic.is_active = False
    topic.save()  # invalidates the snapshot after commit
    r = _api(client, body.pk, applicant, 1)
    assert r.status_code == 422
    assert "topic" in r.content.decode()
    assert Appeal.objects.count() == 1
