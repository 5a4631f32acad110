"""The daily close job: support periods end (reached or not), budget phases move by date, late
answers are marked overdue; a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maslikhat.core.background import JOBS, run_job
from maslikhat.core.models import ActionLog
from maslikhat.participation.models import BudgetProcess, Initiative
from maslikhat.participation.services import (
    initiative_create,
    initiative_moderate,
    participation_close_day,
)

pytestmark = pytest.mark.django_db


def _collecting(loc: dict[str, Any], author: Any, title: str, **fields: Any) -> Initiative:
    i = initiative_create(actor=author, area=loc["village"], title=title, text="Text.", category="other")
    i = initiative_moderate(actor=loc["staff"], initiative=i, publish=True)
    Initiative.objects.filter(pk=i.pk).update(**fields)
    return Initiative.objects.get(pk=i.pk)


def test_the_job_is_registered() -> None:
    assert "participation.close_day" in JOBS


def test_ended_support_periods_close_reached_or_not(locality: dict[str, Any], resident: Any) -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    short = _collecting(locality, resident, "Short of supports", support_until=yesterday)
    enough = _collecting(
        locality, resident, "Enough on paper", support_until=yesterday, paper_supports=10, threshold=10
    )
    still = _collecting(locality, resident, "Still open", support_until=today)
    # when the job runs
    result = run_job("participation.close_day")
    # then
    assert (result.reached, result.not_reached) == (1, 1)
    statuses = dict(Initiative.objects.values_list("pk", "status"))
    assert statuses == {short.pk: "not_reached", enough.pk: "reached", still.pk: "collecting"}
    reached = Initiative.objects.get(pk=enough.pk)
    assert reached.reached_on == yesterday and reached.answer_due is not None
    assert reached.answer_due > yesterday


def test_budget_phases_move_by_date(locality: dict[str, Any], voting: dict[str, Any]) -> None:
    process = voting["process"]
    assert process.phase == "upcoming"  # created directly, never moved
    result = participation_close_day(actor=None)
    assert result.phases_moved == 1
    assert BudgetProcess.objects.get(pk=process.pk).phase == "voting"
    # when the voting ends
    later = process.voting_until + timedelta(days=1)
    participation_close_day(actor=None, today=later)
    assert BudgetProcess.objects.get(pk=process.pk).phase == "tally"
    events = ActionLog.objects.filter(event="participation.phase_changed").order_by("id")
    assert [e.data["to"] for e in events] == ["voting", "tally"]


def test_late_answers_are_marked_overdue(locality: dict[str, Any], resident: Any) -> None:
    today = timezone.localdate()
    late = _collecting(
        locality,
        resident,
        "Late",
        status="reached",
        reached_on=today - timedelta(days=40),
        answer_due=today - timedelta(days=3),
    )
    on_time = _collecting(
        locality,
        resident,
        "On time",
        status="reached",
        reached_on=today,
        answer_due=today + timedelta(days=20),
    )
    assert participation_close_day(actor=None).overdue == 1
    assert Initiative.objects.get(pk=late.pk).overdue_since == today - timedelta(days=2)
    assert Initiative.objects.get(pk=on_time.pk).overdue_since is None


def test_a_second_run_changes_nothing(
    locality: dict[str, Any], resident: Any, voting: dict[str, Any]
) -> None:
    today = timezone.localdate()
    _collecting(locality, resident, "Short", support_until=today - timedelta(days=1))
    _collecting(
        locality,
        resident,
        "Late",
        status="reached",
        reached_on=today - timedelta(days=40),
        answer_due=today - timedelta(days=3),
    )
    first = participation_close_day(actor=None)
    rows = list(Initiative.objects.order_by("pk").values())
    phases = list(BudgetProcess.objects.values_list("phase", flat=True))
    logs = ActionLog.objects.count()
    # when it runs again the same day
    second = participation_close_day(actor=None)
    # then
    assert (first.not_reached, first.phases_moved, first.overdue) == (1, 1, 1)
    assert (second.reached, second.not_reached, second.phases_moved, second.overdue) == (0, 0, 0, 0)
    assert list(Initiative.objects.order_by("pk").values()) == rows
    assert list(BudgetProcess.objects.values_list("phase", flat=True)) == phases
    assert ActionLog.objects.count() == logs
