"""Council API: public parts for anonymous callers, drafts and internal notes for those entitled."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from maslikhat.core.tokens import api_token_issue
from maslikhat.council import services

pytestmark = pytest.mark.django_db
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def record(council_record: dict[str, Any]) -> dict[str, Any]:
    rec = council_record
    services.meeting_publish(actor=rec["council_staff"], meeting=rec["meeting"])
    services.report_file(
        actor=rec["staff_user"], report=rec["rec"].reports.get(body=rec["maslikhat"]), text="Done"
    )
    return rec


def _token(user: Any) -> dict[str, Any]:
    user.set_password("pw-123456789")
    user.save()
    token = api_token_issue(username=user.username, password="pw-123456789")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", **EN}


def test_meetings_anonymous_sees_published_only(
    record: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = Client()
    with django_assert_num_queries(2):
        data = client.get("/api/v1/council/meetings", **EN).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["title"]["en"] == "Assessing the maslikhats" and item["kind"] == "extended"
    assert item["council"]["slug"] == "kurultai-council-on-maslikhats"
    assert item["recommendation_count"] == 1


def test_council_staff_token_sees_drafts(record: dict[str, Any]) -> None:
    data = Client().get("/api/v1/council/meetings", **_token(record["council_staff"])).json()
    assert {m["status"] for m in data["items"]} == {"published", "draft"}
    draft = Client().get(f"/api/v1/council/meetings/{record['draft'].pk}", **EN)
    assert draft.status_code == 404 and draft.json()["code"] == "not_found"


def test_bad_token_is_the_401_of_every_router(record: dict[str, Any]) -> None:
    # a bad token gets the one bearer authentication's answer, as on the appeals inbox
    response = Client().get("/api/v1/council/meetings", HTTP_AUTHORIZATION="Bearer nope", **EN)
    inbox = Client().get("/api/v1/inbox", HTTP_AUTHORIZATION="Bearer nope", **EN)
    assert response.status_code == inbox.status_code == 401
    assert response.json() == inbox.json()
    assert response.json()["code"] == "unauthorized"
    # without a token the public record answers
    assert Client().get("/api/v1/council/meetings", **EN).status_code == 200


def test_meeting_detail(record: dict[str, Any]) -> None:
    data = Client().get(f"/api/v1/council/meetings/{record['meeting'].pk}", **EN).json()
    assert data["agenda"] == [{"kk": "", "ru": "", "en": "Scorecard for 2026"}]
    roles = [p["role"] for p in data["participants"]]
    assert roles.count("maslikhat_chair") == 20
    assert data["recommendations"][0]["addressed"] == 2 and data["recommendations"][0]["filed"] == 1


def test_recommendations_with_reports(record: dict[str, Any], django_assert_num_queries: Any) -> None:
    client = Client()
    with django_assert_num_queries(2):
        data = client.get("/api/v1/council/recommendations", **EN).json()
    assert data["count"] == 1
    row = data["items"][0]
    assert (row["addressed"], row["filed"], row["filed_on_time"]) == (2, 1, 1)
    detail = client.get(f"/api/v1/council/recommendations/{row['id']}", **EN).json()
    reports = {r["body"]["slug"]: r for r in detail["reports"]}
    assert reports["kz-71-maslikhat"]["status"] == "filed" and reports["kz-71-maslikhat"]["text"] == "Done"
    assert reports["kz-75-maslikhat"]["status"] == "pending"
    mine = client.get(f"/api/v1/council/recommendations?body={record['almaty'].pk}", **EN).json()
    assert mine["count"] == 1


def test_proposals_public_and_internal(record: dict[str, Any], django_assert_num_queries: Any) -> None:
    client = Client()
    with django_assert_num_queries(2):
        data = client.get("/api/v1/council/proposals?status=submitted", **EN).json()
    assert data["count"] == 1 and data["items"][0]["body"]["slug"] == "kz-71-maslikhat"
    url = f"/api/v1/council/proposals/{record['proposal'].pk}"
    public = client.get(url, **EN).json()
    assert [e["public"] for e in public["events"]] == [True]
    own = client.get(url, **_token(record["staff_user"])).json()
    assert [e["text"] for e in own["events"] if not e["public"]] == ["Ask the ministry first"]


def test_proposals_filters_validate(record: dict[str, Any]) -> None:
    response = Client().get("/api/v1/council/proposals?status=lost", **EN)
    assert response.status_code == 422
    assert Client().get("/api/v1/council/proposals?body=999999", **EN).json() == {"items": [], "count": 0}
