"""An initiative's answer linked to the agenda item of the maslikhat's session that carries it
out (plan_reference stays for plans outside sessions)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from maslikhat.core.errors import FieldErrors
from maslikhat.participation.models import Initiative
from maslikhat.participation.services import initiative_answer
from maslikhat.proceedings.models import AgendaItem, Convocation, Session

pytestmark = pytest.mark.django_db


def _item(body: Any, number: int, status: str = "convened", order: int = 1) -> AgendaItem:
    convocation, _created = Convocation.objects.get_or_create(
        body=body, number=8, defaults={"start_date": date(2023, 3, 19), "seats": 20}
    )
    session = Session.objects.create(
        convocation=convocation,
        body=body,
        number=number,
        status=status,
        starts_at=timezone.now() + timedelta(days=number),
        notice="The session is convened." if status != "planned" else "",
    )
    return AgendaItem.objects.create(session=session, order=order, title_en="On street lighting")


@pytest.fixture
def reached(collecting: Initiative) -> Initiative:
    Initiative.objects.filter(pk=collecting.pk).update(
        status="reached", reached_on=timezone.localdate(), answer_due=timezone.localdate()
    )
    return Initiative.objects.get(pk=collecting.pk)


def test_accepted_answer_links_the_agenda_item_and_the_page_links_the_session(
    locality: dict[str, Any], reached: Initiative
) -> None:
    item = _item(locality["body"], 12, order=3)
    initiative_answer(
        actor=locality["staff"],
        initiative=reached,
        outcome="accepted",
        text="Lights will be installed.",
        agenda_item_id=item.pk,
    )
    saved = Initiative.objects.get(pk=reached.pk)
    assert saved.agenda_item_id == item.pk and saved.plan_reference == ""
    html = Client().get(f"/en/participation/initiatives/{reached.pk}/").content.decode()
    assert f'href="/en/proceedings/sessions/{item.session_id}/#item-3"' in html
    assert "item 3: On street lighting" in html


def test_a_planned_session_is_named_without_a_link(locality: dict[str, Any], reached: Initiative) -> None:
    item = _item(locality["body"], 13, status="planned")
    initiative_answer(
        actor=locality["staff"], initiative=reached, outcome="partly", text="In part.", agenda_item_id=item.pk
    )
    html = Client().get(f"/en/participation/initiatives/{reached.pk}/").content.decode()
    assert "On street lighting" in html and f"/proceedings/sessions/{item.session_id}/" not in html


def test_a_plan_outside_sessions_stays_free_text(locality: dict[str, Any], reached: Initiative) -> None:
    initiative_answer(
        actor=locality["staff"],
        initiative=reached,
        outcome="accepted",
        text="In the akimat's plan.",
        plan_reference="Akimat's plan for 2027, line 14",
    )
    saved = Initiative.objects.get(pk=reached.pk)
    assert saved.agenda_item_id is None and saved.plan_reference == "Akimat's plan for 2027, line 14"


def test_the_staff_form_offers_this_maslikhats_items_only(
    locality: dict[str, Any], reached: Initiative
) -> None:
    mine = _item(locality["body"], 14)
    theirs = _item(locality["other_body"], 15)
    client = Client()
    client.force_login(locality["staff"])
    html = client.get(f"/en/participation/initiatives/{reached.pk}/").content.decode()
    assert f'<option value="{mine.pk}">' in html and f'<option value="{theirs.pk}">' not in html
    # and the form posts it
    response = client.post(
        f"/en/participation/initiatives/{reached.pk}/answer/",
        {"outcome": "accepted", "text": "Yes.", "agenda_item": str(mine.pk)},
    )
    assert response.status_code == 302
    assert Initiative.objects.get(pk=reached.pk).agenda_item_id == mine.pk


@pytest.mark.parametrize(
    ("outcome", "item_of", "plan"),
    [
        ("accepted", "other", ""),  # another maslikhat's session
        ("accepted", "missing", ""),
        ("rejected", "mine", ""),  # a rejection carried out by an item makes no sense
        ("accepted", None, "x" * 301),
        ("accepted", None, "plan \ud800"),
    ],
)
def test_bad_links_are_refused_and_nothing_changes(
    locality: dict[str, Any], reached: Initiative, outcome: str, item_of: str | None, plan: str
) -> None:
    ids = {
        "other": lambda: _item(locality["other_body"], 16).pk,
        "missing": lambda: 999_999,
        "mine": lambda: _item(locality["body"], 17).pk,
    }
    item_id = ids[item_of]() if item_of else None
    with pytest.raises(FieldErrors) as caught:
        initiative_answer(
            actor=locality["staff"],
            initiative=reached,
            outcome=outcome,
            text="Answer.",
            plan_reference=plan,
            agenda_item_id=item_id,
        )
    assert {f for f, _c, _m in caught.value.errors} <= {"agenda_item", "plan_reference"}
    saved = Initiative.objects.get(pk=reached.pk)
    assert saved.status == "reached" and saved.agenda_item_id is None and saved.answer_text == ""


def test_a_form_value_that_is_not_a_number_is_refused(locality: dict[str, Any], reached: Initiative) -> None:
    client = Client()
    client.force_login(locality["staff"])
    response = client.post(
        f"/en/participation/initiatives/{reached.pk}/answer/",
        {"outcome": "accepted", "text": "Yes.", "agenda_item": "item one"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "Choose an agenda item" in response.content.decode()
    assert Initiative.objects.get(pk=reached.pk).status == "reached"


def test_deleting_the_item_keeps_the_answer(locality: dict[str, Any], reached: Initiative) -> None:
    item = _item(locality["body"], 18)
    initiative_answer(
        actor=locality["staff"], initiative=reached, outcome="accepted", text="Yes.", agenda_item_id=item.pk
    )
    item.delete()
    saved = Initiative.objects.get(pk=reached.pk)
    assert saved.status == "accepted" and saved.agenda_item_id is None
