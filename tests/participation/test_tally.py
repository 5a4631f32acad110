"""The tally functions alone (pure)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from maslikhat.participation.tally import Candidate, equal_shares, greedy


def test_greedy_skips_what_does_not_fit_and_projects_without_votes() -> None:
    c = [Candidate(1, 60, 10), Candidate(2, 50, 9), Candidate(3, 40, 8), Candidate(4, 1, 0)]
    assert greedy(c, 100) == [1, 3]


def test_greedy_breaks_ties_by_lower_cost() -> None:
    assert greedy([Candidate(1, 60, 5), Candidate(2, 50, 5)], 60) == [2]


def test_equal_shares_fund_minorities_and_stay_within_the_budget() -> None:
    c = [Candidate(1, 50, 6), Candidate(2, 40, 6), Candidate(3, 30, 4)]
    ballots = [[1, 2]] * 6 + [[3]] * 4
    won = equal_shares(c, ballots, 100)
    assert 3 in won and sum(x.cost for x in c if x.id in won) <= 100
    assert equal_shares(c, [], 100) == []


@given(
    costs=st.lists(st.integers(1, 90), min_size=2, max_size=9),
    ballots=st.lists(st.lists(st.integers(0, 9), max_size=4), min_size=1, max_size=60),
    budget=st.integers(1, 200),
)
@settings(max_examples=60, deadline=None)
def test_equal_shares_over_grouped_ballots_chooses_as_over_each_ballot(
    costs: list[int], ballots: list[list[int]], budget: int
) -> None:
    """Grouping identical ballots (the multiprofile) chooses what one ballot per voter chooses."""
    from fractions import Fraction

    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import method_of_equal_shares

    candidates = [Candidate(i + 1, c, sum(1 for b in ballots if i + 1 in b)) for i, c in enumerate(costs)]
    projects = {c.id: Project(str(c.id), Fraction(c.cost)) for c in candidates}
    instance = Instance(projects.values(), budget_limit=Fraction(budget))
    flat = ApprovalProfile(
        [ApprovalBallot(projects[i] for i in sorted(set(b)) if i in projects) for b in ballots],
        instance=instance,
    )
    expected = [int(p.name) for p in method_of_equal_shares(instance, flat, sat_class=Cost_Sat)]
    left = budget - sum(c.cost for c in candidates if c.id in expected)
    for c in sorted(candidates, key=lambda c: (-c.votes, c.cost, c.id)):  # completed by greedy
        if c.id not in expected and c.votes > 0 and c.cost <= left:
            expected.append(c.id)
            left -= c.cost
    got = equal_shares(candidates, ballots, budget)
    assert set(got) == set(expected)
    assert sum(c.cost for c in candidates if c.id in got) <= budget
