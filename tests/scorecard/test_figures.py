"""Scorecard figures: every figure against a direct computation over the same appeals,
proposals and reports; periods, ranks, ties and the change against the previous period.

The data comes from the scorecard's world builder (tests/scorecard/world.py) through the
`scorecard_world` fixture.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.models import Appeal, AppealStats
from maslikhat.appeals.services import appeal_stats_rebuild
from maslikhat.directory.models import Area, Organization
from maslikhat.scorecard.selectors import (
    FIGURES,
    Period,
    PeriodError,
    compute,
    median_from_histogram,
    period_parse,
    rank,
    scorecard_bodies,
    scorecard_build,
    scorecard_trends,
)
from tests.factories import valid_iin
from tests.scorecard.world import DOMAIN_QUERIES, PG_EXTRA, TODAY, World, direct, make_appeal, regional

PERIODS = ["2024", "2025", "2025-Q1", "2025-Q3", "2024-02", "2025-09", "2023"]


@pytest.mark.parametrize("code", PERIODS)
def test_every_figure_matches_a_direct_computation(scorecard_world: World, code: str) -> None:
    # given varied data and its rebuilt rollups; when the table of a period is built at both levels
    period = period_parse(code)
    regional_table = scorecard_build(period=period, level="regional", today=TODAY)
    district_table = scorecard_build(period=period, level="district", today=TODAY)
    rows = {r.body.id: r for r in [*regional_table.rows, *district_table.rows]}
    # then every figure of every body equals the direct computation, in this and the previous period
    previous = period.previous()
    for body in [*scorecard_world.bodies, *scorecard_world.districts]:
        assert rows[body.id].values == direct(body, period.start, period.end), (code, body.slug)
        expected_before = direct(body, previous.start, previous.end)
        assert rows[body.id].previous == expected_before, (code, body.slug)
    # and the registry's keys are exactly the ones computed
    assert set(rows[scorecard_world.bodies[0].id].values) == {f.key for f in FIGURES}


def test_figures_follow_the_services_live_rollups(reference: dict[str, int], submit_appeal: Any) -> None:
    # given appeals submitted, answered and rated through the services (the rollups maintained live)
    from maslikhat.appeals.services import appeal_answer, appeal_rate

    cache.clear()

    body = regional("KZ-71")
    first = submit_appeal(body)
    second = submit_appeal(body)
    submit_appeal(body)
    appeal_answer(actor=None, appeal=first, text="Done.")
    appeal_answer(actor=None, appeal=second, text="Done.")
    appeal_rate(actor=None, appeal=Appeal.objects.get(pk=first.pk), rating=4)
    today = date.today()  # noqa: DTZ011 - the services stamp today's local date
    period = Period("year", date(first.registered_on.year, 1, 1), date(first.registered_on.year + 1, 1, 1))
    # when the table is built from those rollups
    table = scorecard_build(period=period, level="regional", today=today)
    row = next(r for r in table.rows if r.body.id == body.id)
    # then it equals the direct computation
    assert row.values == direct(body, period.start, period.end, today=today)
    assert row.values["appeals_received"] == 3
    assert row.values["appeals_answered"] == 2
    assert row.values["appeals_average_rating"] == 4.0


@pytest.fixture
def submit_appeal(reference: dict[str, int]) -> Any:
    from maslikhat.appeals.services import appeal_submit

    def _submit(body: Organization) -> Appeal:
        appeal, _ = appeal_submit(
            actor=None,
            body=body,
            kind="application",
            topic_code="roads",
            text="The road on our street has not been repaired for three years.",
            language="ru",
            applicant={
                "full_name": "Айгүл Бекова",
                "iin": valid_iin(),
                "address": "Астана",
                "phone": "+7 701 234 56 78",
                "email": "aigul@example.org",
            },
            notify=False,
        )
        return appeal

    return _submit


def test_trends_match_the_direct_computation_month_by_month(scorecard_world: World) -> None:
    # given the data; when the monthly trends of one maslikhat up to November 2025 are read
    body = scorecard_world.bodies[1]
    (b,) = [x for x in scorecard_bodies(level="regional") if x.id == body.id]
    trend = scorecard_trends(body=b, end=date(2025, 11, 5), months=24)
    # then 24 months end with November 2025 and each month's figures are the direct ones
    assert trend.months[0] == date(2023, 12, 1)
    assert trend.months[-1] == date(2025, 11, 1)
    for i, month in enumerate(trend.months):
        end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        expected = direct(body, month, end, today=date.today())  # noqa: DTZ011
        for key, series in trend.series.items():
            if key in ("reports_due", "reports_on_time_pct"):
                continue  # deadlines after today are not yet due: compared below with TODAY
            assert series[i] == expected[key], (month, key)
    assert "appeals_overdue_now" not in trend.series


def test_a_body_without_appeals_has_zero_counts_and_blank_rates(reference: dict[str, int]) -> None:
    # given no data at all; when the table is built
    table = scorecard_build(period=period_parse("2025"), today=TODAY)
    # then 20 regional maslikhats, each with zero counts and no rates
    assert len(table.rows) == 20
    row = table.rows[0]
    assert row.values["appeals_received"] == 0
    assert row.values["appeals_per_10k"] == 0.0
    assert row.values["appeals_answered_on_time_pct"] is None
    assert row.values["appeals_median_answer_days"] is None
    assert row.values["reports_on_time_pct"] is None
    assert row.ranks["appeals_answered_on_time_pct"] is None
    assert row.ranks["appeals_received"] == 1  # all tie at zero


def test_per_10k_is_blank_without_a_population(scorecard_world: World) -> None:
    # given a district maslikhat whose area has no population recorded
    table = scorecard_build(period=period_parse("2025"), level="district", today=TODAY)
    row = next(r for r in table.rows if r.body.id == scorecard_world.districts[1].id)
    # then its rate per residents is blank and shown as a dash
    assert row.values["appeals_received"] > 0
    assert row.values["appeals_per_10k"] is None
    cell = next(c for c in row.cells(table.figures) if c.figure.key == "appeals_per_10k")
    assert cell.text == "—"


def test_district_level_is_filtered_by_region(scorecard_world: World) -> None:
    # given district maslikhats in KZ-11 only
    kz11 = Area.objects.get(code="KZ-11")
    kz71 = Area.objects.get(code="KZ-71")
    # when the district level is asked for by region
    in_kz11 = scorecard_build(period=period_parse("2025"), level="district", region=kz11, today=TODAY)
    in_kz71 = scorecard_build(period=period_parse("2025"), level="district", region=kz71, today=TODAY)
    # then only that region's district maslikhats appear
    assert [r.body.area_code for r in in_kz11.rows] == ["KZ-11-D1", "KZ-11-D2"]
    assert in_kz71.rows == []


def test_rollups_are_read_not_appeals(scorecard_world: World, django_assert_num_queries: Any) -> None:
    # given the data; when the national table is built
    # then it takes a fixed number of queries: bodies, the per-body-per-month sums, their merged
    # histograms, the kept overdue counts and (no daily pass has run yet) one count of the
    # overdue appeals, proposals, reports, and the later domains' sources
    from maslikhat.appeals import figures as appeal_figures
    from maslikhat.appeals.rollups import overdue_pass

    # (the follow-up figure, registered by the appeals source too, reads its answers: one more)
    followup = 1 if any(f.key == "appeals_followup_satisfied_pct" for f in FIGURES) else 0
    appeal_figures.reset_histograms()
    with django_assert_num_queries(7 + followup + DOMAIN_QUERIES + PG_EXTRA):
        cold = scorecard_build(period=period_parse("2025"), today=TODAY)
    # and once the histograms are kept and the day's pass of the overdue counts has run, two
    # fewer, with the same figures
    overdue_pass(TODAY)
    with django_assert_num_queries(5 + followup + DOMAIN_QUERIES + PG_EXTRA):
        warm = scorecard_build(period=period_parse("2025"), today=TODAY)
    assert [r.values for r in warm.rows] == [r.values for r in cold.rows]
    assert AppealStats.objects.count() > 0


def test_a_new_answer_refreshes_the_cached_median(scorecard_world: World) -> None:
    # given a table built once (histograms cached)
    body = scorecard_world.bodies[0]
    period = period_parse("2025-06")
    scorecard_build(period=period, today=TODAY)
    # when three more appeals of that month are answered slowly and the rollups rebuilt
    for _ in range(3):
        make_appeal(
            body, registered_on=date(2025, 6, 10), status=AppealStatus.ANSWERED, days=40, on_time=False
        )
    appeal_stats_rebuild(actor=None)
    # then the table shows the new median, equal to the direct computation
    row = next(r for r in scorecard_build(period=period, today=TODAY).rows if r.body.id == body.id)
    assert row.values == direct(body, period.start, period.end)


# ------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("value", "kind", "start", "end", "previous_start"),
    [
        ("2025", "year", date(2025, 1, 1), date(2026, 1, 1), date(2024, 1, 1)),
        ("2025-Q1", "quarter", date(2025, 1, 1), date(2025, 4, 1), date(2024, 10, 1)),
        ("2025-Q4", "quarter", date(2025, 10, 1), date(2026, 1, 1), date(2025, 7, 1)),
        ("2025-01", "month", date(2025, 1, 1), date(2025, 2, 1), date(2024, 12, 1)),
        ("2025-12", "month", date(2025, 12, 1), date(2026, 1, 1), date(2025, 11, 1)),
        (" 2024-07 ", "month", date(2024, 7, 1), date(2024, 8, 1), date(2024, 6, 1)),
    ],
)
def test_periods_parse(value: str, kind: str, start: date, end: date, previous_start: date) -> None:
    period = period_parse(value)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.previous().start == previous_start
    assert period.previous().end == start
    assert period_parse(period.code) == period


def test_empty_period_is_the_current_year() -> None:
    assert period_parse("", today=date(2025, 5, 5)) == Period("year", date(2025, 1, 1), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2025-13", "invalid_period"),
        ("2025-00", "invalid_period"),
        ("2025-Q5", "invalid_period"),
        ("25", "invalid_period"),
        ("2025-1", "invalid_period"),
        ("abcd", "invalid_period"),
        ("2025/01", "invalid_period"),
        ("1999", "period_out_of_range"),
        ("9999-Q1", "period_out_of_range"),
    ],
)
def test_bad_periods_are_refused_with_a_stable_code(value: str, code: str) -> None:
    with pytest.raises(PeriodError) as caught:
        period_parse(value)
    assert caught.value.code == code
    assert str(caught.value.message)


# ------------------------------------------------------------------ ranks, ties, change


def test_ranks_share_ties_and_skip_after_them() -> None:
    values = {1: 90.0, 2: 75.5, 3: 90.0, 4: None, 5: 60.0}
    assert rank(values, higher_is_better=True) == {1: 1, 2: 3, 3: 1, 4: None, 5: 4}
    assert rank(values, higher_is_better=False) == {1: 3, 2: 2, 3: 3, 4: None, 5: 1}
    assert rank(values, higher_is_better=None) == {1: 1, 2: 3, 3: 1, 4: None, 5: 4}


def test_table_ranks_respect_the_direction_of_each_figure(scorecard_world: World) -> None:
    table = scorecard_build(period=period_parse("2025"), today=TODAY)
    for key, better_first in [("appeals_answered_on_time_pct", True), ("appeals_median_answer_days", False)]:
        values = {r.body.id: r.values[key] for r in table.rows}
        assert {r.body.id: r.ranks[key] for r in table.rows} == rank(values, higher_is_better=better_first)
        best = min((r for r in table.rows if r.ranks[key] is not None), key=lambda r: r.ranks[key] or 0)
        present = [v for v in values.values() if v is not None]
        assert best.values[key] == (max(present) if better_first else min(present))


def test_change_is_the_difference_against_the_previous_period(scorecard_world: World) -> None:
    table = scorecard_build(period=period_parse("2025-Q3"), today=TODAY)
    for row in table.rows:
        for f in table.figures:
            now, before = row.values[f.key], row.previous[f.key]
            if not f.periodic or now is None or before is None:
                assert row.changes[f.key] is None
            else:
                assert row.changes[f.key] == round(float(now) - float(before), 2)
    row = next(r for r in table.rows if r.body.id == scorecard_world.bodies[0].id)
    received = next(c for c in row.cells(table.figures) if c.figure.key == "appeals_received")
    delta = row.values["appeals_received"] - row.previous["appeals_received"]
    assert received.change_text == ("+" if delta > 0 else "−" if delta < 0 else "±") + str(abs(delta))


def test_median_from_histogram() -> None:
    assert median_from_histogram({}) is None
    assert median_from_histogram({5: 1}) == 5.0
    assert median_from_histogram({1: 1, 3: 1}) == 2.0
    assert median_from_histogram({1: 2, 10: 1}) == 1.0
    assert median_from_histogram({2: 3, 4: 3}) == 3.0
    assert median_from_histogram({3: 1, 1: 1, 2: 1}) == 2.0


def test_compute_with_no_bodies_is_empty() -> None:
    assert compute([], [(date(2025, 1, 1), date(2026, 1, 1))], today=TODAY) == [{}]
