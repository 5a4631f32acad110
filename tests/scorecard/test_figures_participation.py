"""The participation figures of the scorecard: initiatives received and answered on time, budget
turnout, implementation progress.

The locality comes from the participation world builder (tests/participation/world.py);
initiatives and budget processes are rows as the services leave them at the dates the test needs
(the services stamp today), with the due dates the services compute (`answer_due_for`);
implementation progress is reported through `implementation_update`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from maslikhat.core.figures import Body, figure_get
from maslikhat.directory.models import Organization
from maslikhat.participation.choices import InitiativeStatus, ProjectStatus
from maslikhat.participation.figures import FIGURES, SOURCE, participation_source
from maslikhat.participation.models import BudgetProcess, Implementation, Initiative, Project
from maslikhat.participation.services import answer_due_for, implementation_update
from maslikhat.scorecard.selectors import Period, scorecard_build
from tests.participation.world import build_locality, phases

TODAY = date(2025, 11, 20)
Y2025 = (date(2025, 1, 1), date(2026, 1, 1))
Y2024 = (date(2024, 1, 1), date(2025, 1, 1))
KEYS = [f.key for f in FIGURES]
ALMATY = ZoneInfo("Asia/Almaty")


def body_of(org: Organization) -> Body:
    return Body(
        id=org.pk, name=org.name, kind=org.kind, area_code="", area_name="", population=None, region_code=""
    )


def initiative(
    org: Organization,
    area: Any,
    *,
    created: datetime,
    status: str = InitiativeStatus.SUBMITTED,
    reached_on: date | None = None,
    answered_after_due: int | None = None,
) -> Initiative:
    """An initiative as the services leave it: submitted at `created`; when it reached its
    threshold, due `answer_due_for(reached_on)`; answered that many days after the due date
    (negative: before)."""
    due = answer_due_for(reached_on) if reached_on else None
    answered = due + timedelta(days=answered_after_due) if due and answered_after_due is not None else None
    row = Initiative.objects.create(
        body=org,
        area=area,
        title="Light the street",
        text="The street has no lights.",
        category="utilities",
        status=status,
        answer_text="Answered." if answered else "",
        threshold=10,
        reached_on=reached_on,
        answer_due=due,
        answered_on=answered,
    )
    Initiative.objects.filter(pk=row.pk).update(created_at=created)
    return row


def process(org: Organization, area: Any, *, voting_until: date, voters: int, adults: int | None) -> Any:
    """A budget process whose vote ended on `voting_until`, tallied (unless voters is negative)."""
    tallied = voters >= 0
    return BudgetProcess.objects.create(
        body=org,
        area=area,
        title="District budget",
        total_amount=100_000_000,
        cost_limit=60_000_000,
        adult_population=adults,
        voters=max(voters, 0),
        tallied_at=datetime(voting_until.year, voting_until.month, voting_until.day, 12, tzinfo=UTC)
        + timedelta(days=3)
        if tallied
        else None,
        **phases(voting_until - timedelta(days=14)),
    )


def progress(staff: Any, record: Implementation, pct: int) -> None:
    implementation_update(
        actor=staff,
        implementation=record,
        on=date(2025, 10, 1),
        text="Work under way.",
        progress=pct,
        spent=pct * 1000,
        status="done" if pct == 100 else "in_progress",
    )


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    loc = build_locality("SF")
    body, other, regional, district = loc["body"], loc["other_body"], loc["regional"], loc["district"]
    staff = loc["staff"]

    # The district's initiatives: six received in 2025 (one at 02:00 local on 1 January, still
    # 2024 in UTC), one in 2024 still awaiting moderation.
    at = lambda y, m, d: datetime(y, m, d, 10, tzinfo=ALMATY)  # noqa: E731
    i1 = initiative(
        body,
        district,
        created=at(2025, 2, 10),
        status="accepted",
        reached_on=date(2025, 3, 3),
        answered_after_due=-1,
    )
    i2 = initiative(
        body,
        district,
        created=at(2025, 4, 1),
        status="accepted",
        reached_on=date(2025, 5, 5),
        answered_after_due=3,
    )
    initiative(body, district, created=at(2025, 6, 1), status="reached", reached_on=date(2025, 9, 1))
    initiative(body, district, created=at(2025, 11, 3), status="reached", reached_on=date(2025, 11, 17))
    initiative(
        body,
        district,
        created=at(2025, 8, 1),
        status="rejected",
        reached_on=date(2025, 10, 30),
        answered_after_due=-10,
    )
    initiative(body, district, created=datetime(2024, 12, 31, 20, tzinfo=UTC))
    initiative(body, district, created=at(2024, 6, 1))
    # answered on time: the first and the rejected one (due after today, answered early); late:
    # the second and the one past its due date unanswered; not yet due: the one of November.

    # Budget votes of 2025: 3,000 of 30,000 and 1,500 of 20,000 adults (9.0%); one with no adult
    # population, one not tallied; the other district: no one of 10,000 voted (0.0%).
    p1 = process(body, district, voting_until=date(2025, 9, 14), voters=3000, adults=30_000)
    process(body, district, voting_until=date(2025, 5, 14), voters=1500, adults=20_000)
    process(body, district, voting_until=date(2025, 10, 14), voters=500, adults=None)
    process(body, district, voting_until=date(2025, 11, 30), voters=-1, adults=40_000)
    process(body, district, voting_until=date(2024, 9, 14), voters=2000, adults=25_000)
    process(other, loc["other_district"], voting_until=date(2025, 9, 14), voters=0, adults=10_000)

    # Implementation today: two accepted initiatives at 40% and 100%, a winning project at 10%.
    winner = Project.objects.create(
        process=p1,
        title="Playground",
        text="A playground.",
        object_ref="Yard 5",
        cost=50_000_000,
        status=ProjectStatus.FEASIBLE,
        votes=2000,
        is_winner=True,
    )
    for target, pct in ((i1, 40), (i2, 100)):
        progress(staff, Implementation.objects.create(initiative=target, responsible=body), pct)
    progress(staff, Implementation.objects.create(project=winner, responsible=body), 10)
    return {"body": body, "other": other, "regional": regional}


def test_the_figures_of_each_body_are_exact(world: dict[str, Any]) -> None:
    # given the world; when the source reads 2025 and 2024
    bodies = [body_of(world[k]) for k in ("body", "other", "regional")]
    now, before = participation_source(bodies, [Y2025, Y2024], TODAY)
    body, other, regional = (b.id for b in bodies)
    # then the district's figures are the ones counted by hand
    assert now[body] == {
        "initiatives_received": 6,
        "initiatives_answered_on_time_pct": 50.0,
        "budget_turnout_pct": 9.0,
        "implementation_progress_pct": 50.0,
    }
    assert before[body] == {
        "initiatives_received": 1,
        "initiatives_answered_on_time_pct": None,
        "budget_turnout_pct": 8.0,
        "implementation_progress_pct": 50.0,  # today's, whatever the period
    }
    # and a vote no one took part in is a turnout of zero, not a blank
    assert now[other] == {
        "initiatives_received": 0,
        "initiatives_answered_on_time_pct": None,
        "budget_turnout_pct": 0.0,
        "implementation_progress_pct": None,
    }
    # and a maslikhat with nothing has zero counts and no rates
    assert now[regional] == {
        "initiatives_received": 0,
        "initiatives_answered_on_time_pct": None,
        "budget_turnout_pct": None,
        "implementation_progress_pct": None,
    }


def test_an_unanswered_initiative_counts_once_its_answer_is_due(world: dict[str, Any]) -> None:
    # given the initiative of November, due some working days after 17 November
    body = body_of(world["body"])
    due = answer_due_for(date(2025, 11, 17))
    # when read on its due date and the day after
    on_due = participation_source([body], [Y2025], due)[0][body.id]
    after = participation_source([body], [Y2025], due + timedelta(days=1))[0][body.id]
    # then it counts only once the due date has passed (2 of 4, then 2 of 5 on time)
    assert on_due["initiatives_answered_on_time_pct"] == 50.0
    assert after["initiatives_answered_on_time_pct"] == 40.0


def test_the_scorecard_shows_them_with_a_dash_for_no_rate(world: dict[str, Any]) -> None:
    # given the world; when the district scorecard of 2025 is built
    table = scorecard_build(period=Period("year", *Y2025), level="district", today=TODAY)
    rows = {r.body.id: r for r in table.rows}
    cells = {c.figure.key: c for c in rows[world["body"].pk].cells(table.figures)}
    other = {c.figure.key: c for c in rows[world["other"].pk].cells(table.figures)}
    # then the participation columns are there, formatted, with a dash for no rate
    assert cells["initiatives_received"].text == "6"
    assert cells["budget_turnout_pct"].text == "9.0%"
    assert other["budget_turnout_pct"].text == "0.0%"
    assert other["initiatives_answered_on_time_pct"].text == "—"
    assert other["implementation_progress_pct"].text == "—"
    # and the progress of today has no change against the previous period
    assert rows[world["body"].pk].changes["implementation_progress_pct"] is None
    assert rows[world["body"].pk].changes["initiatives_received"] == 5
    for key in KEYS:
        figure = figure_get(key)
        assert figure is not None and str(figure.definition) and str(figure.group)


def test_the_source_is_registered() -> None:
    from maslikhat.core.figures import SOURCES

    assert SOURCE in SOURCES


def test_queries_do_not_grow_with_the_bodies(db: None, django_assert_num_queries: Any) -> None:
    # given two localities' districts, then five, each with an initiative, a vote and a record
    def some(prefix: str, n: int) -> list[Body]:
        out = []
        for i in range(n):
            loc = build_locality(f"{prefix}{i}")
            body, district = loc["body"], loc["district"]
            item = initiative(
                body,
                district,
                created=datetime(2025, 3, 1, 6, tzinfo=UTC),
                status="accepted",
                reached_on=date(2025, 3, 10),
                answered_after_due=0,
            )
            process(body, district, voting_until=date(2025, 9, 14), voters=100, adults=1000)
            progress(loc["staff"], Implementation.objects.create(initiative=item, responsible=body), 30)
            out.append(body_of(body))
        return out

    two, five = some("QA", 2), some("QB", 5)
    # when each set is read over two buckets; then four queries each time
    with django_assert_num_queries(4):
        small = participation_source(two, [Y2025, Y2024], TODAY)
    with django_assert_num_queries(4):
        large = participation_source([*two, *five], [Y2025, Y2024], TODAY)
    assert all(small[0][b.id]["initiatives_answered_on_time_pct"] == 100.0 for b in two)
    assert all(
        large[0][b.id]
        == {
            "initiatives_received": 1,
            "initiatives_answered_on_time_pct": 100.0,
            "budget_turnout_pct": 10.0,
            "implementation_progress_pct": 30.0,
        }
        for b in five
    )
    with django_assert_num_queries(0):
        assert participation_source([], [Y2025], TODAY) == [{}]
