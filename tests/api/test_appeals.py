from __future__ import annotations

import pytest
from django.core.cache import cache

from maslikhat.appeals.models import Appeal, AppealEvent
from maslikhat.core.models import ActionLog
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _payload(astana, applicant, **extra):
    data = {
        "body_id": astana["maslikhat"].pk,
        "kind": "proposal",
        "topic": "ecology",
        "text": "Plant trees along the Esil embankment.",
        "language": "kk",
        "applicant": applicant,
    }
    data.update(extra)
    return data


def _token(client, user):
    user.set_password("staff-password-1")
    user.save()
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "staff-password-1"},
        content_type="application/json",
    )
    assert r.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_kinds_and_topics_are_listed(db, client):
    kinds = client.get("/api/v1/appeal-kinds").json()
    assert [k["code"] for k in kinds] == [
        "application",
        "complaint",
        "proposal",
        "feedback",
        "report",
        "request",
    ]
    topics = client.get("/api/v1/appeal-topics").json()
    assert [t["code"] for t in topics][:3] == ["utilities", "roads", "housing"]
    assert topics[0]["name"]["ru"] == "Коммунальные услуги"


def test_submit_then_follow(astana, applicant, client):
    r = client.post("/api/v1/appeals", _payload(astana, applicant), content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["registration_number"].startswith("KZ-71-")
    assert body["status"] == "registered"
    got = client.get(f"/api/v1/appeals/{body['registration_number']}?token={body['token']}")
    assert got.status_code == 200
    data = got.json()
    assert data["text"] == "Plant trees along the Esil embankment."
    assert applicant["iin"] not in got.content.decode()
    assert (
        client.get(f"/api/v1/appeals/{body['registration_number']}?token=nope").json()["code"] == "not_found"
    )


def test_bad_input_is_422_with_field_codes_and_stores_nothing(astana, applicant, client):
    before = (Appeal.objects.count(), AppealEvent.objects.count(), ActionLog.objects.count())
    r = client.post(
        "/api/v1/appeals",
        _payload(astana, {**applicant, "iin": "000000000000", "email": "bad"}, kind="petition"),
        content_type="application/json",
    )
    assert r.status_code == 422
    codes = {(e["field"], e["code"]) for e in r.json()["errors"]}
    assert {
        ("kind", "invalid_choice"),
        ("applicant.iin", "iin_century"),
        ("applicant.email", "invalid_email"),
    } <= codes
    assert applicant["iin"] not in r.content.decode()
    assert (Appeal.objects.count(), AppealEvent.objects.count(), ActionLog.objects.count()) == before


def test_anonymous_appeal_is_refused(astana, client):
    r = client.post(
        "/api/v1/appeals",
        {"body_id": astana["maslikhat"].pk, "kind": "report", "topic": "other", "text": "x", "applicant": {}},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert {e["code"] for e in r.json()["errors"]} == {"anonymous_not_allowed"}
    assert Appeal.objects.count() == 0


def test_rate_limit_429(astana, applicant, client):
    statuses = [
        client.post(
            "/api/v1/appeals", _payload(astana, applicant), content_type="application/json"
        ).status_code
        for _ in range(11)
    ]
    assert statuses == [201] * 10 + [429]


def test_staff_workflow_through_api(astana, applicant, client):
    created = client.post(
        "/api/v1/appeals", _payload(astana, applicant), content_type="application/json"
    ).json()
    number, token = created["registration_number"], created["token"]
    auth = _token(client, astana["staff_user"])
    inbox = client.get("/api/v1/inbox?due_within=20", **auth)
    assert inbox.status_code == 200
    assert [i["registration_number"] for i in inbox.json()["items"]] == [number]
    assert inbox.json()["items"][0]["applicant"]["iin"] == applicant["iin"]
    assert (
        client.post(f"/api/v1/appeals/{number}/assign", {}, content_type="application/json", **auth).json()[
            "status"
        ]
        == "assigned"
    )
    assert client.post(f"/api/v1/appeals/{number}/start", **auth).json()["status"] == "in_progress"
    answered = client.post(
        f"/api/v1/appeals/{number}/answer",
        {"text": "Planned for spring."},
        content_type="application/json",
        **auth,
    )
    assert answered.json()["status"] == "answered"
    rated = client.post(
        f"/api/v1/appeals/{number}/rating", {"token": token, "rating": 5}, content_type="application/json"
    )
    assert rated.json()["rating"] == 5
    stats = client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}/appeal-stats").json()
    assert (stats["received"], stats["answered"], stats["average_rating"]) == (1, 1, 5.0)


def test_staff_of_another_body_and_citizens_are_refused(astana, applicant, client):
    created = client.post(
        "/api/v1/appeals", _payload(astana, applicant), content_type="application/json"
    ).json()
    number = created["registration_number"]
    assert client.get("/api/v1/inbox").status_code == 401
    citizen = UserFactory(username="citizen-x")
    auth = _token(client, citizen)
    assert client.get("/api/v1/inbox", **auth).status_code == 403
    assert client.post(f"/api/v1/appeals/{number}/close", **auth).status_code == 404
    assert Appeal.objects.get().status == "registered"


def test_wrong_credentials(db, client):
    r = client.post("/api/v1/auth/token", {"username": "x", "password": "y"}, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")
