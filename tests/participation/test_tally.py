"""The tally functions alone (pure)."""

from __future__ import annotations

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
