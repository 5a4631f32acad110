"""The akim's reports and budget items: the day their report and draft reached the commissions,
the warning when that is less than three weeks (a setting) before the session, and the grounds
for a vote of no confidence after two rejections of the akim's report in a convocation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from maslikhat.core.errors import FieldErrors
from maslikhat.proceedings import selectors, services
from maslikhat.proceedings.models import AgendaItem, ProceedingsSettings

# The sitting's session is on 20 March 2031: three weeks before is 27 February.


def _url(name: str, pk: Any, **kw: Any) -> str:
    with translation.override("en"):
        return reverse(f"proceedings:{name}", kwargs={"pk": pk, **kw})


def _report(
    s: dict[str, Any], received: date | None, kind: str = "akim_report", title: str = "Report"
) -> Any:
    return services.agenda_item_add(
        actor=s["staff"], session=s["session"], title={"en": title}, kind=kind, materials_received_on=received
    )


def _late(s: dict[str, Any]) -> set[int]:
    s["session"].refresh_from_db()
    items = list(s["session"].items.all())
    return {x.item.pk for x in selectors.late_materials(s["session"], items)}


def test_materials_less_than_three_weeks_ahead_are_late(sitting: dict[str, Any]) -> None:
    on_time = _report(sitting, date(2031, 2, 27))
    late = _report(sitting, date(2031, 2, 28), kind="budget")
    missing = _report(sitting, None)
    assert _late(sitting) == {late.pk, missing.pk}
    assert on_time.pk not in _late(sitting) and sitting["item"].pk not in _late(sitting)


def test_the_lead_time_is_a_setting(sitting: dict[str, Any]) -> None:
    item = _report(sitting, date(2031, 3, 10))
    assert item.pk in _late(sitting)
    ProceedingsSettings.objects.create(body=sitting["maslikhat"], report_lead_days=7)
    assert item.pk not in _late(sitting)


def test_the_session_page_warns_and_the_staff_form_shows_the_deadline(sitting: dict[str, Any]) -> None:
    _report(sitting, date(2031, 3, 10), title="Akim's report 2030")
    page = Client().get(_url("session", sitting["session"].pk)).content.decode()
    assert "Late: the report and draft were to reach the commissions by" in page
    client = Client()
    client.force_login(sitting["staff"])
    staff = client.get(_url("session", sitting["session"].pk)).content.decode()
    assert "must reach the commissions by" in staff and "Add an agenda item" in staff


def test_the_date_must_fit_the_kind_and_the_session(sitting: dict[str, Any]) -> None:
    with pytest.raises(FieldErrors) as exc:
        _report(sitting, date(2031, 3, 21))
    assert exc.value.errors[0][0] == "materials_received_on"
    with pytest.raises(FieldErrors):
        _report(sitting, date(2031, 3, 1), kind="general")
    with pytest.raises(FieldErrors):
        _report(sitting, None, kind="nonsense")
    item = _report(sitting, None)
    services.agenda_item_materials_set(actor=sitting["staff"], item=item, received_on=date(2031, 2, 1))
    assert item.pk not in _late(sitting)


def _reject(s: dict[str, Any], item: Any) -> None:
    services.vote_record(actor=s["staff"], item=item, method="roll_call", ballots={s["deputies"][0].pk: "no"})


def test_two_rejections_of_the_akims_report_give_grounds_for_no_confidence(sitting: dict[str, Any]) -> None:
    body = sitting["maslikhat"]
    first = _report(sitting, date(2031, 2, 1), title="Report on the plan")
    budget = _report(sitting, date(2031, 2, 1), kind="budget", title="Budget")
    _reject(sitting, first)
    _reject(sitting, budget)  # a rejected budget item is not the akim's report
    assert selectors.no_confidence_grounds(body=body) == []
    second = _report(sitting, date(2031, 2, 1), title="Report on the programme")
    _reject(sitting, second)
    grounds = selectors.no_confidence_grounds(body=body)
    assert [i.pk for i in grounds] == [first.pk, second.pk]
    public = Client().get(_url("sessions", body.pk)).content.decode()
    assert "Grounds for a vote of no confidence in the akim" in public
    client = Client()
    client.force_login(sitting["staff"])
    assert (
        "Grounds for a vote of no confidence"
        in client.get(_url("session", sitting["session"].pk)).content.decode()
    )


def test_an_adopted_report_gives_no_grounds(sitting: dict[str, Any]) -> None:
    for n in range(2):
        item = _report(sitting, date(2031, 2, 1), title=f"Report {n}")
        yes = {d.pk: "yes" for d in sitting["deputies"][:5]}
        services.vote_record(actor=sitting["staff"], item=item, method="roll_call", ballots=yes)
    assert selectors.no_confidence_grounds(body=sitting["maslikhat"]) == []


def test_the_staff_agenda_form_adds_a_report_with_its_date(sitting: dict[str, Any]) -> None:
    client = Client()
    client.force_login(sitting["staff"])
    url = _url("session_act", sitting["session"].pk, action="agenda")
    data = {"title_en": "Akim's report", "kind": "akim_report", "materials_received_on": "2031-03-01"}
    assert client.post(url, data).status_code == 302
    item = AgendaItem.objects.get(title_en="Akim's report")
    assert (item.kind, item.materials_received_on) == ("akim_report", date(2031, 3, 1))


@pytest.mark.parametrize(
    "data",
    [
        {"title_en": "X", "kind": "akim_report", "materials_received_on": "2031-13-45"},
        {"title_en": "X", "kind": "bogus"},
        {"title_en": "X\x00Y", "kind": "general"},
        {"title_en": "x" * 100_000, "kind": "general"},
        {"title_en": "X", "kind": "general", "commission": "abc"},
        {"title_en": "", "kind": "general"},
    ],
    ids=["date", "kind", "nul", "huge", "commission", "empty"],
)
def test_bad_agenda_input_is_a_clear_error_and_changes_nothing(
    sitting: dict[str, Any], data: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(sitting["staff"])
    before = AgendaItem.objects.count()
    answer = client.post(_url("session_act", sitting["session"].pk, action="agenda"), data)
    assert answer.status_code in (400, 409, 422)
    assert AgendaItem.objects.count() == before


def test_a_lone_surrogate_in_the_agenda_form_is_refused(sitting: dict[str, Any]) -> None:
    client = Client()
    client.force_login(sitting["staff"])
    before = AgendaItem.objects.count()
    answer = client.post(
        _url("session_act", sitting["session"].pk, action="agenda"),
        b"title_en=%ED%A0%80&kind=general",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 422 and "cannot be stored" in answer.content.decode()
    assert AgendaItem.objects.count() == before
