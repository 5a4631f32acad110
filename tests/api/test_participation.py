"""The participation API: lists and details, support counts only, results, and the residents'
writes with a bearer token (403 with how to verify, 422 phase_closed / over the limit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from maslikhat.core.tokens import api_token_issue
from maslikhat.participation.models import BudgetProcess, Initiative
from maslikhat.participation.services import (
    initiative_create,
    initiative_moderate,
    process_tally,
    residency_in_person,
)
from tests.participation.world import build_locality, build_voting


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    w = build_locality()
    residency_in_person(actor=w["staff"], user=w["resident"], area=w["village"], document_note="ID card")
    initiative = initiative_create(
        actor=w["resident"],
        area=w["village"],
        title="Lights for the school road",
        text="No street lights on the road to the school.",
        category="utilities",
    )
    w["initiative"] = initiative_moderate(actor=w["staff"], initiative=initiative, publish=True)
    w.update(build_voting(w))
    w["token"] = api_token_issue(username=w["resident"].username, password="test-password")
    w["outsider_token"] = api_token_issue(username=w["outsider"].username, password="test-password")
    return w


def _post(path: str, token: str | None, data: Any = None) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(
        path, data or {}, content_type="application/json", **headers
    )


def test_initiatives_list_and_detail_show_counts_never_who(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = Client()
    with django_assert_num_queries(3):  # the area, the page, the count
        page = client.get("/api/v1/participation/initiatives?area=TR-01-D1").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert item["supports_online"] == 0 and item["threshold"] == 4000
    assert "supporters" not in item and world["resident"].username not in str(page)
    assert client.get("/api/v1/participation/initiatives?area=NOPE").json()["count"] == 0
    assert client.get(f"/api/v1/participation/initiatives/{world['initiative'].pk}").status_code == 200
    assert client.get("/api/v1/participation/initiatives/999999999").status_code == 404


def test_a_resident_supports_once_and_withdraws(world: dict[str, Any]) -> None:
    path = f"/api/v1/participation/initiatives/{world['initiative'].pk}/support"
    first = _post(path, world["token"])
    assert first.status_code == 200 and first.json()["supported"] is True
    again = _post(path, world["token"])
    assert again.json()["supports_online"] == 1
    withdrawn = _post(path + "/withdraw", world["token"])
    assert withdrawn.json() == {**withdrawn.json(), "supported": False, "supports_online": 0}


def test_a_non_resident_gets_403_with_how_to_verify(world: dict[str, Any]) -> None:
    path = f"/api/v1/participation/initiatives/{world['initiative'].pk}/support"
    answer = _post(path, world["outsider_token"])
    assert answer.status_code == 403
    body = answer.json()
    assert body["code"] == "not_resident" and "verify" in body["how_to_verify"].lower()
    assert _post(path, None).status_code == 401
    assert Initiative.objects.get().online_supports == 0


def test_ballots_through_the_api(world: dict[str, Any]) -> None:
    p, pr = world["process"], world["projects"]
    path = f"/api/v1/participation/processes/{p.pk}/ballot"
    ok = _post(path, world["token"], {"projects": [pr[0].pk, pr[3].pk]})
    assert ok.status_code == 200 and ok.json()["projects"] == sorted([pr[0].pk, pr[3].pk])
    over = _post(path, world["token"], {"projects": [x.pk for x in pr]})
    assert over.status_code == 422 and over.json()["errors"][0]["code"] == "over_limit"
    budget = _post(path, world["token"], {"projects": [pr[0].pk, pr[1].pk, pr[2].pk]})
    assert budget.status_code == 422 and budget.json()["errors"][0]["code"] == "over_budget"
    assert _post(path, world["token"], {"projects": "x"}).status_code == 422
    assert _post(path, world["outsider_token"], {"projects": [pr[0].pk]}).status_code == 403
    BudgetProcess.objects.filter(pk=p.pk).update(voting_until=timezone.localdate() - timedelta(days=1))
    closed = _post(path, world["token"], {"projects": [pr[0].pk]})
    assert closed.status_code == 422 and closed.json()["errors"][0]["code"] == "phase_closed"


def test_process_results_and_implementation(world: dict[str, Any]) -> None:
    p, pr = world["process"], world["projects"]
    client = Client()
    detail = client.get(f"/api/v1/participation/processes/{p.pk}").json()
    assert detail["phase"] == "voting" and len(detail["projects"]) == 5
    assert all(x["votes"] is None for x in detail["projects"])  # no counts before the tally
    assert client.get(f"/api/v1/participation/processes/{p.pk}/results").status_code == 404
    _post(f"/api/v1/participation/processes/{p.pk}/ballot", world["token"], {"projects": [pr[0].pk]})
    BudgetProcess.objects.filter(pk=p.pk).update(voting_until=timezone.localdate() - timedelta(days=1))
    p.refresh_from_db()
    process_tally(actor=world["staff"], process=p)
    results = client.get(f"/api/v1/participation/processes/{p.pk}/results").json()
    assert results["winners"] == [pr[0].pk] and results["voters"] == 1
    assert results["turnout_pct"] == round(100 / 30_000, 2)
    listing = client.get("/api/v1/participation/implementation").json()
    assert listing["count"] == 1
    one = client.get(f"/api/v1/participation/implementation/{listing['items'][0]['id']}").json()
    assert one["project_id"] == pr[0].pk and one["updates"] == []
    assert client.get("/api/v1/participation/processes").json()["count"] == 1
