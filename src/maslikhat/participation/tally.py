"""Tallies of a participatory budget: pure functions over (project, cost, votes) and ballots."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Candidate:
    id: int
    cost: int
    votes: int


def greedy(candidates: Sequence[Candidate], budget: int) -> list[int]:
    """Approval within the budget: by votes (then lower cost, then id), each project that still
    fits is funded; one that does not fit is skipped and the next is tried."""
    left = budget
    winners: list[int] = []
    for c in sorted(candidates, key=lambda c: (-c.votes, c.cost, c.id)):
        if c.votes > 0 and c.cost <= left:
            winners.append(c.id)
            left -= c.cost
    return winners


def equal_shares(candidates: Sequence[Candidate], ballots: Iterable[Iterable[int]], budget: int) -> list[int]:
    """The method of equal shares (pabutools, cost utility), completed by greedy on what is left.

    Identical ballots are counted once with their multiplicity (pabutools' multiprofile): a city's
    200,000 ballots hold a few hundred distinct sets, and the rule's work grows with the sets.
    A ballot left empty (its projects were not admitted) still counts: it holds a voter's share."""
    from pabutools.election import ApprovalMultiProfile, Cost_Sat, FrozenApprovalBallot, Instance, Project
    from pabutools.rules import method_of_equal_shares

    projects = {c.id: Project(str(c.id), Fraction(c.cost)) for c in candidates}
    instance = Instance(projects.values(), budget_limit=Fraction(budget))
    counts = Counter(frozenset(i for i in b if i in projects) for b in ballots)
    if not counts:
        return []
    profile = ApprovalMultiProfile(instance=instance)
    for chosen_set, n in counts.items():
        profile[FrozenApprovalBallot(projects[i] for i in sorted(chosen_set))] = n
    chosen = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    winners = [int(p.name) for p in chosen]
    left = budget - sum(projects[i].cost for i in winners)
    for c in sorted(candidates, key=lambda c: (-c.votes, c.cost, c.id)):
        if c.id not in winners and c.votes > 0 and c.cost <= left:
            winners.append(c.id)
            left -= c.cost
    return winners
