"""Participatory budgets: phases, projects and review, ballots, paper ballots, the tally."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maslikhat.core.errors import DomainError, FieldErrors
from maslikhat.participation import selectors
from maslikhat.participation.choices import Phase, ProjectStatus, TallyMethod
from maslikhat.participation.models import Ballot, BudgetProcess, Implementation
from maslikhat.participation.services import (
    ballot_cast,
    paper_ballot_enter,
    phase_of,
    process_create,
    process_tally,
    project_review,
    project_submit,
)


def _to_tally(process: BudgetProcess) -> None:
    today = timezone.localdate()
    BudgetProcess.objects.filter(pk=process.pk).update(
        voting_until=today - timedelta(days=1), tally_until=today + timedelta(days=5)
    )
    process.refresh_from_db()


def test_phases_follow_the_dates(voting: dict[str, Any]) -> None:
    p = voting["process"]
    assert phase_of(p) == Phase.VOTING
    assert phase_of(p, p.applications_from - timedelta(days=1)) == Phase.UPCOMING
    assert phase_of(p, p.applications_from) == Phase.APPLICATIONS
    assert phase_of(p, p.review_until) == Phase.REVIEW
    assert phase_of(p, p.revision_until) == Phase.REVISION
    assert phase_of(p, p.second_review_until) == Phase.SECOND_REVIEW
    assert phase_of(p, p.voting_until + timedelta(days=1)) == Phase.TALLY


def test_staff_create_a_process_with_ordered_phases(locality: dict[str, Any], process_dates: Any) -> None:
    dates = process_dates(timezone.localdate() + timedelta(days=60))
    p = process_create(
        actor=locality["staff"],
        area=locality["district"],
        title="2027",
        total_amount=10**8,
        cost_limit=10**7,
        dates=dates,
    )
    assert p.body == locality["body"] and phase_of(p) == Phase.UPCOMING
    bad = dict(dates, voting_from=dates["applications_from"])
    with pytest.raises(FieldErrors):
        process_create(
            actor=locality["staff"],
            area=locality["district"],
            title="x",
            total_amount=10,
            cost_limit=20,
            dates=bad,
        )
    with pytest.raises(DomainError):
        process_create(
            actor=locality["outsider"],
            area=locality["district"],
            title="x",
            total_amount=10**8,
            cost_limit=10**7,
            dates=dates,
        )
    assert BudgetProcess.objects.count() == 1


def test_projects_one_per_author_and_object_within_the_limit(
    locality: dict[str, Any], resident: Any, process_dates: Any
) -> None:
    dates = process_dates(timezone.localdate() + timedelta(days=45))  # applications are open
    p = process_create(
        actor=locality["staff"],
        area=locality["district"],
        title="2027",
        total_amount=10**8,
        cost_limit=10**7,
        dates=dates,
    )
    project = project_submit(
        actor=resident, process=p, title="Benches", text="Ten benches.", object_ref="Park 1", cost=5_000_000
    )
    with pytest.raises(FieldErrors) as caught:
        project_submit(actor=resident, process=p, title="More", text="More.", object_ref="park 1", cost=1)
    assert caught.value.errors[0][1] == "duplicate_application"
    with pytest.raises(FieldErrors) as caught:
        project_submit(
            actor=resident, process=p, title="Big", text="Big.", object_ref="Park 2", cost=10**7 + 1
        )
    assert caught.value.errors[0][1] == "over_cost_limit"
    with pytest.raises(DomainError):
        project_submit(actor=locality["outsider"], process=p, title="X", text="X.", object_ref="X", cost=1)
    with pytest.raises(FieldErrors):
        project_review(
            actor=locality["staff"], project=project, feasible=False, legal=True, estimate=None, reason=""
        )
    reviewed = project_review(
        actor=locality["staff"],
        project=project,
        feasible=True,
        legal=True,
        estimate=6_000_000,
        reason="Estimate by the akimat.",
    )
    assert reviewed.status == ProjectStatus.FEASIBLE and reviewed.price == 6_000_000


def test_a_resident_votes_and_changes_the_vote(voting: dict[str, Any], resident: Any) -> None:
    p, projects = voting["process"], voting["projects"]
    ballot_cast(actor=resident, process=p, project_ids=[projects[0].pk, projects[2].pk])
    ballot_cast(actor=resident, process=p, project_ids=[projects[1].pk, projects[3].pk, projects[3].pk])
    ballot = Ballot.objects.get()
    assert sorted(ballot.projects.values_list("pk", flat=True)) == [projects[1].pk, projects[3].pk]


@pytest.mark.parametrize(
    ("pick", "code"),
    [
        ([0, 1, 2, 3], "over_limit"),
        ([0, 1, 2], "over_budget"),  # 120 M of 100 M
        ([], "required"),
    ],
)
def test_a_bad_ballot_is_refused(voting: dict[str, Any], resident: Any, pick: list[int], code: str) -> None:
    ids = [voting["projects"][i].pk for i in pick]
    with pytest.raises(FieldErrors) as caught:
        ballot_cast(actor=resident, process=voting["process"], project_ids=ids)
    assert caught.value.status == 422 and caught.value.errors[0][1] == code
    assert not Ballot.objects.exists()


def test_a_rejected_or_foreign_project_cannot_be_chosen(voting: dict[str, Any], resident: Any) -> None:
    with pytest.raises(FieldErrors) as caught:
        ballot_cast(actor=resident, process=voting["process"], project_ids=[voting["rejected"].pk])
    assert caught.value.errors[0][1] == "not_in_process"


def test_a_vote_outside_its_phase_is_phase_closed(voting: dict[str, Any], resident: Any) -> None:
    _to_tally(voting["process"])
    with pytest.raises(FieldErrors) as caught:
        ballot_cast(actor=resident, process=voting["process"], project_ids=[voting["projects"][0].pk])
    assert caught.value.status == 422 and caught.value.errors[0][1] == "phase_closed"


def test_a_non_resident_cannot_vote(voting: dict[str, Any], locality: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as caught:
        ballot_cast(
            actor=locality["outsider"], process=voting["process"], project_ids=[voting["projects"][0].pk]
        )
    assert caught.value.status == 403


def test_greedy_tally_with_paper_ballots_turnout_and_implementation(
    voting: dict[str, Any], locality: dict[str, Any], make_resident: Any
) -> None:
    p, pr = voting["process"], voting["projects"]
    for _ in range(3):
        ballot_cast(actor=make_resident(), process=p, project_ids=[pr[0].pk, pr[3].pk])
    ballot_cast(actor=make_resident(), process=p, project_ids=[pr[1].pk])
    with pytest.raises(DomainError):
        paper_ballot_enter(actor=make_resident(), process=p, project_ids=[pr[1].pk])
    paper_ballot_enter(actor=locality["staff"], process=p, project_ids=[pr[1].pk, pr[2].pk])
    with pytest.raises(FieldErrors):  # not before the vote closes
        process_tally(actor=locality["staff"], process=p)
    _to_tally(p)
    p = process_tally(actor=locality["staff"], process=p)
    r = selectors.results(process=p)
    assert r is not None
    votes = {x.pk: x.votes for x in r.projects}
    assert votes == {pr[0].pk: 3, pr[1].pk: 2, pr[2].pk: 1, pr[3].pk: 3}
    # by votes: 0 (50 M), 3 (20 M), then 1 (40 M) does not fit the 30 M left, 2 (30 M) does
    assert sorted(x.pk for x in r.winners) == sorted([pr[0].pk, pr[3].pk, pr[2].pk])
    assert r.voters == 5 and r.turnout_pct == round(100 * 5 / 30_000, 2)
    assert Implementation.objects.filter(project__in=[x.pk for x in r.winners]).count() == 3
    assert phase_of(p) == Phase.FINISHED


def test_equal_shares_tally(voting: dict[str, Any], locality: dict[str, Any], make_resident: Any) -> None:
    p, pr = voting["process"], voting["projects"]
    BudgetProcess.objects.filter(pk=p.pk).update(method=TallyMethod.EQUAL_SHARES)
    for _ in range(6):
        ballot_cast(actor=make_resident(), process=p, project_ids=[pr[0].pk, pr[1].pk])
    for _ in range(4):
        ballot_cast(actor=make_resident(), process=p, project_ids=[pr[2].pk])
    _to_tally(p)
    process_tally(actor=locality["staff"], process=p)
    winners = {x.pk for x in p.projects.filter(is_winner=True)}
    # greedy would fund 0 and 1 (90 M) and leave the 4 voters of project 2 with nothing
    assert pr[2].pk in winners
    assert sum(x.price for x in p.projects.filter(is_winner=True)) <= p.total_amount
