"""The pages: public lists and details, verifying by code, supporting, voting, staff forms."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from maslikhat.participation.models import (
    Ballot,
    BudgetProcess,
    Initiative,
    SmsMessage,
    Support,
    Verification,
)
from maslikhat.participation.services import process_tally


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _as(user: Any) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def test_index_lists_public_initiatives_and_processes(
    collecting: Initiative, voting: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(12):
        page = client.get("/en/participation/").content.decode()
    assert collecting.title in page and voting["process"].title in page
    assert "court decision" in page  # the published list of excluded topics
    assert client.get("/en/participation/?area=TR-01-D2").content.decode().count(collecting.title) == 0
    assert client.get("/en/participation/?page=%00&status=%00&area=%ED%A0%80").status_code in (200, 400)


def test_the_feed_and_details(collecting: Initiative, voting: dict[str, Any]) -> None:
    client = Client()
    feed = client.get("/en/participation/feed/")
    assert feed.status_code == 200 and collecting.title in feed.content.decode()
    assert client.get(f"/en/participation/initiatives/{collecting.pk}/").status_code == 200
    assert client.get(f"/en/participation/budgets/{voting['process'].pk}/").status_code == 200
    assert client.get("/en/participation/initiatives/99999999/").status_code == 404


def test_an_initiative_awaiting_moderation_is_shown_to_its_staff_only(
    locality: dict[str, Any], resident: Any
) -> None:
    from maslikhat.participation.services import initiative_create

    i = initiative_create(
        actor=resident, area=locality["village"], title="Draft", text="Text.", category="other"
    )
    assert Client().get(f"/en/participation/initiatives/{i.pk}/").status_code == 404
    assert _as(resident).get(f"/en/participation/initiatives/{i.pk}/").status_code == 404
    assert _as(locality["staff"]).get(f"/en/participation/initiatives/{i.pk}/").status_code == 200
    _as(locality["staff"]).post(f"/en/participation/initiatives/{i.pk}/publish/")
    i.refresh_from_db()
    assert i.status == "collecting"


def test_verify_by_code_then_support_then_withdraw(locality: dict[str, Any], collecting: Initiative) -> None:
    user = locality["outsider"]
    client = _as(user)
    refused = client.post(f"/en/participation/initiatives/{collecting.pk}/support/")
    assert refused.status_code == 403 and b"Verify your residency" in refused.content
    sent = client.post(
        "/en/participation/verify/", {"action": "send", "area": "TR-01-D1-S1", "phone": "87012345678"}
    )
    assert sent.status_code == 200 and b"one-time-code" in sent.content
    found = re.search(r"\d{6}", SmsMessage.objects.get().text)
    assert found is not None
    wrong = client.post("/en/participation/verify/", {"action": "confirm", "code": "abc"})
    assert wrong.status_code == 422
    ok = client.post("/en/participation/verify/", {"action": "confirm", "code": found.group(0)})
    assert ok.status_code == 302 and Verification.objects.filter(user=user).exists()
    assert client.post(f"/en/participation/initiatives/{collecting.pk}/support/").status_code == 302
    assert Support.objects.filter(user=user).count() == 1
    assert b"Withdraw my support" in client.get(f"/en/participation/initiatives/{collecting.pk}/").content
    client.post(f"/en/participation/initiatives/{collecting.pk}/withdraw/")
    assert not Support.objects.exists()


def test_verify_refuses_bad_input_with_a_form_error(locality: dict[str, Any]) -> None:
    client = _as(locality["outsider"])
    bad = client.post("/en/participation/verify/", {"action": "send", "area": "TR-01-D1-S1", "phone": "12"})
    assert bad.status_code == 422 and b"valid mobile" in bad.content
    nul = client.post("/en/participation/verify/", {"action": "send", "area": "TR-01-D1-S1", "phone": "\x00"})
    assert nul.status_code in (400, 422)
    assert client.post("/en/participation/verify/", {"action": "send", "area": "NOPE"}).status_code == 422
    assert (
        client.post(
            "/en/participation/verify/", {"action": "list", "area": "TR-01-D1-S1", "iin": "1"}
        ).status_code
        == 422
    )
    assert Client().get("/en/participation/verify/").status_code == 302


def test_propose_with_similar_suggestions(
    locality: dict[str, Any], collecting: Initiative, resident: Any
) -> None:
    client = _as(resident)
    check = client.post(
        "/en/participation/initiatives/new/",
        {"action": "check", "area": "TR-01-D1-S1", "title": "street lights", "text": "school road lights"},
    )
    assert check.status_code == 200 and collecting.title.encode() in check.content
    made = client.post(
        "/en/participation/initiatives/new/",
        {
            "action": "submit",
            "area": "TR-01-D1-S1",
            "title": "Bins",
            "text": "More bins.",
            "category": "environment",
        },
    )
    assert made.status_code == 302 and Initiative.objects.filter(title="Bins").exists()
    bad = client.post(
        "/en/participation/initiatives/new/", {"action": "submit", "area": "TR-01-D1-S1", "title": ""}
    )
    assert bad.status_code == 422


def test_vote_change_and_staff_tally(voting: dict[str, Any], resident: Any, locality: dict[str, Any]) -> None:
    p, pr = voting["process"], voting["projects"]
    client = _as(resident)
    assert b'type="checkbox"' in client.get(f"/en/participation/budgets/{p.pk}/").content
    client.post(f"/en/participation/budgets/{p.pk}/vote/", {"projects": [pr[0].pk, pr[3].pk]})
    client.post(f"/en/participation/budgets/{p.pk}/vote/", {"projects": [pr[1].pk]})
    assert list(Ballot.objects.get().projects.values_list("pk", flat=True)) == [pr[1].pk]
    over = client.post(f"/en/participation/budgets/{p.pk}/vote/", {"projects": [x.pk for x in pr]})
    assert over.status_code == 422
    assert client.post(f"/en/participation/budgets/{p.pk}/tally/").status_code == 404  # not staff
    staff = _as(locality["staff"])
    staff.post(f"/en/participation/budgets/{p.pk}/paper/", {"projects": [pr[0].pk]})
    assert Ballot.objects.filter(paper=True, entered_by=locality["staff"]).count() == 1
    BudgetProcess.objects.filter(pk=p.pk).update(voting_until=timezone.localdate() - timedelta(days=1))
    assert staff.post(f"/en/participation/budgets/{p.pk}/tally/").status_code == 302
    page = Client().get(f"/en/participation/budgets/{p.pk}/").content.decode()
    assert "Results" in page and "2 voters" in page


def test_results_csv_is_formula_safe(voting: dict[str, Any], locality: dict[str, Any]) -> None:
    p, pr = voting["process"], voting["projects"]
    pr[0].title = "=HYPERLINK(1)"
    pr[0].save()
    assert Client().get(f"/en/participation/budgets/{p.pk}/results.csv").status_code == 404
    BudgetProcess.objects.filter(pk=p.pk).update(voting_until=timezone.localdate() - timedelta(days=1))
    p.refresh_from_db()
    process_tally(actor=locality["staff"], process=p)
    body = Client().get(f"/en/participation/budgets/{p.pk}/results.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "Voters" in body


def test_the_demo_shows_the_sms_it_would_have_sent_and_production_does_not(
    locality: dict[str, Any], settings: Any
) -> None:
    client = _as(locality["outsider"])
    sent = client.post(
        "/en/participation/verify/", {"action": "send", "area": "TR-01-D1-S1", "phone": "87012345678"}
    )
    message = SmsMessage.objects.get()
    html = sent.content.decode()
    assert 'id="demo-sms"' in html and message.text in html
    settings.PRODUCTION = True
    again = _as(locality["resident"]).post(
        "/en/participation/verify/", {"action": "send", "area": "TR-01-D1-S1", "phone": "87019998877"}
    )
    assert again.status_code == 200 and b'id="demo-sms"' not in again.content
