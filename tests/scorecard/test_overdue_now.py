""" "Overdue now": the count the services keep per body (appeals.rollups, AppealOverdue) against
the direct count over the open appeals, through submissions, answers, extensions, withdrawals,
the daily pass and days passing without it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from maslikhat.appeals.choices import OPEN_STATUSES
from maslikhat.appeals.models import Appeal, AppealOverdue
from maslikhat.appeals.rollups import overdue_now, overdue_pass
from maslikhat.appeals.services import appeal_answer, appeal_extend, appeal_submit, appeal_withdraw
from maslikhat.directory.models import Organization
from maslikhat.scorecard.selectors import Period, scorecard_build
from tests.factories import valid_iin
from tests.scorecard.world import regional


def _direct(body: Organization, day: Any) -> int:
    return Appeal.objects.filter(body=body, status__in=OPEN_STATUSES, due_on__lt=day).count()


@pytest.fixture
def submit(reference: dict[str, int]) -> Any:
    def _submit(body: Organization, *, days_ago: int = 0) -> Appeal:
        received = timezone.make_aware(datetime.combine(timezone.localdate(), time(10)))
        appeal, _ = appeal_submit(
            actor=None,
            body=body,
            kind="application",
            topic_code="roads",
            text="The bridge needs repair.",
            language="ru",
            applicant={
                "full_name": "Айгүл Бекова",
                "iin": valid_iin(),
                "address": "Астана",
                "phone": "+7 701 234 56 78",
                "email": "aigul@example.org",
            },
            received_at=received - timedelta(days=days_ago),
            notify=False,
        )
        return appeal

    return _submit


def test_the_kept_count_follows_every_change_and_equals_the_direct_count(submit: Any) -> None:
    today = timezone.localdate()
    body, other = regional("KZ-71"), regional("KZ-75")
    # given three appeals already past their due date, two recent ones, one elsewhere
    late = [submit(body, days_ago=40) for _ in range(3)]
    recent = [submit(body) for _ in range(2)]
    submit(other, days_ago=40)
    # when the daily pass has run, the kept counts equal the direct ones
    assert overdue_pass(today) > 0
    assert overdue_now([body.id, other.id], today) == {body.id: 3, other.id: 1}
    assert AppealOverdue.objects.get(body=body).overdue == 3
    # an answer, an extension past today and a withdrawal each take one off
    appeal_answer(actor=None, appeal=late[0], text="Repaired.")
    assert overdue_now([body.id], today)[body.id] == _direct(body, today) == 2
    appeal_extend(actor=None, appeal=late[1], until=today + timedelta(days=5), reason="An expert review.")
    assert overdue_now([body.id], today)[body.id] == _direct(body, today) == 1
    appeal_withdraw(actor=None, appeal=late[2])
    assert overdue_now([body.id], today)[body.id] == _direct(body, today) == 0
    # a late registration (received 40 days ago, registered now) counts at once
    submit(body, days_ago=40)
    assert overdue_now([body.id], today)[body.id] == _direct(body, today) == 1
    # and the kept row itself says so (no correction needed on the pass's day)
    assert AppealOverdue.objects.get(body=body).overdue == 1
    # the other body is untouched
    assert overdue_now([other.id], today)[other.id] == _direct(other, today) == 1
    # when days pass without the pass, the reader adds the appeals that crossed their due date
    later = max(a.due_on for a in recent) + timedelta(days=10)
    assert overdue_now([body.id], later)[body.id] == _direct(body, later) == 4  # extension too
    # and once the pass has run for that day, the kept count is the same, without correction
    overdue_pass(later)
    assert AppealOverdue.objects.get(body=body).overdue == _direct(body, later)
    assert overdue_now([body.id], later)[body.id] == _direct(body, later)


def test_the_pass_is_idempotent(submit: Any) -> None:
    today = timezone.localdate()
    body = regional("KZ-71")
    submit(body, days_ago=40)
    first = overdue_pass(today)
    # a second run on the same day changes nothing
    assert first > 0
    assert overdue_pass(today) == 0
    assert AppealOverdue.objects.get(body=body).overdue == 1 == _direct(body, today)


def test_without_any_pass_or_with_a_pass_for_a_later_day_the_reader_is_exact(submit: Any) -> None:
    today = timezone.localdate()
    body = regional("KZ-71")
    submit(body, days_ago=40)
    recent = submit(body)
    # no counter yet: the reader counts the body's overdue appeals itself
    assert not AppealOverdue.objects.filter(body=body).exists()
    assert overdue_now([body.id], today)[body.id] == _direct(body, today) == 1
    # a counter moved to a later day answers for an earlier one (removing what crossed since)
    later = recent.due_on + timedelta(days=1)
    overdue_pass(later)
    assert AppealOverdue.objects.get(body=body).overdue == _direct(body, later) == 2
    assert overdue_now([body.id], today)[body.id] == _direct(body, today) == 1


def test_the_scorecard_figure_is_the_kept_count(submit: Any) -> None:
    today = timezone.localdate()
    body = regional("KZ-71")
    for _ in range(2):
        submit(body, days_ago=40)
    overdue_pass(today)
    appeal_answer(actor=None, appeal=Appeal.objects.filter(body=body).first(), text="Done.")
    period = Period("year", today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1))
    row = next(r for r in scorecard_build(period=period, today=today).rows if r.body.id == body.id)
    assert row.values["appeals_overdue_now"] == _direct(body, today) == 1


def test_the_daily_pass_is_a_registered_job() -> None:
    from maslikhat.appeals.jobs import JOBS
    from maslikhat.scorecard.jobs import JOBS as SCORECARD_JOBS

    assert "appeals.overdue" in JOBS
    assert "scorecard.refresh_overdue" in SCORECARD_JOBS
