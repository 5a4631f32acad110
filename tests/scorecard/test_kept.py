"""The sources' kept values (core.figures.source_values): a table computed once per change of
what it shows, in a constant number of queries, and always equal to the direct computation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import caches

from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.figures import HISTOGRAMS, reset_histograms
from maslikhat.core.figures import KEPT, BoundedCache, reset_kept
from maslikhat.council.choices import ProposalStatus
from maslikhat.scorecard.selectors import period_parse, scorecard_build
from tests.scorecard.world import DOMAIN_QUERIES, PG_EXTRA, TODAY, World, direct, make_appeal, make_proposal

# the council's source: proposals and reports
COUNCIL_QUERIES = 2


@pytest.fixture
def kept(scorecard_world: World, settings: Any) -> World:
    settings.SCORECARD_KEEP_VALUES = True
    return scorecard_world


def _values(table: Any) -> dict[int, dict[str, Any]]:
    return {r.body.id: r.values for r in table.rows}


def test_a_warm_table_reads_nothing_and_equals_the_direct_computation(
    kept: World, django_assert_num_queries: Any
) -> None:
    period = period_parse("2025")
    # given a table computed once (cold: the same queries as without keeping)
    cold = scorecard_build(period=period, today=TODAY)
    # when it is built again, nothing written in between
    with django_assert_num_queries(0):
        warm = scorecard_build(period=period, today=TODAY)
    # then it is the same table, equal to the direct computation
    assert _values(warm) == _values(cold)
    for body in kept.bodies:
        assert _values(warm)[body.id] == direct(body, period.start, period.end)
    # and the district level is kept on its own (its bodies only), then read for nothing
    scorecard_build(period=period, level="district", today=TODAY)
    with django_assert_num_queries(0):
        district = scorecard_build(period=period, level="district", today=TODAY)
    assert {r.body.id for r in district.rows} == {d.id for d in kept.districts}


def test_a_write_recomputes_only_the_sources_it_changes(kept: World, django_assert_num_queries: Any) -> None:
    period = period_parse("2025")
    scorecard_build(period=period, today=TODAY)
    body = kept.bodies[0]
    # when a proposal is submitted (the council's family is bumped after commit)
    make_proposal(body, submitted_on=date(2025, 3, 3), status=ProposalStatus.INCLUDED)
    # then only the council's source is computed again (inside the sources' transaction on
    # PostgreSQL), and the table shows the new proposal
    with django_assert_num_queries(COUNCIL_QUERIES + PG_EXTRA):
        table = scorecard_build(period=period, today=TODAY)
    assert _values(table)[body.id] == direct(body, period.start, period.end)
    # and when an appeal is answered, the appeals' sources (their kept histograms reused for
    # the bodies whose rollups did not change) are computed again, not the council's
    make_appeal(body, registered_on=date(2025, 4, 2), status=AppealStatus.ANSWERED, days=30, on_time=False)
    from maslikhat.appeals.services import appeal_stats_rebuild

    appeal_stats_rebuild(actor=None)
    table = scorecard_build(period=period, today=TODAY)
    assert _values(table)[body.id] == direct(body, period.start, period.end)


def test_cold_again_once_the_caches_are_emptied(kept: World, django_assert_num_queries: Any) -> None:
    period = period_parse("2025")
    scorecard_build(period=period, today=TODAY)
    assert len(KEPT) > 0 and len(HISTOGRAMS) > 0
    # when this process's kept values and histograms and the shared cache are emptied
    reset_kept()
    reset_histograms()
    caches["pages"].clear()
    assert len(KEPT) == 0 and len(HISTOGRAMS) == 0
    # then the table is computed in full again: bodies, appeal sums, histograms, overdue
    # counters and their catch-up count, follow-up answers, proposals, reports, the later
    # domains' sources
    with django_assert_num_queries(8 + DOMAIN_QUERIES + PG_EXTRA):
        scorecard_build(period=period, today=TODAY)
    # and another process (only the shared cache kept) reads the kept values for nothing
    reset_kept()
    reset_histograms()
    with django_assert_num_queries(0):
        scorecard_build(period=period, today=TODAY)


def test_the_next_day_is_computed_again(kept: World, django_assert_num_queries: Any) -> None:
    period = period_parse("2025")
    scorecard_build(period=period, today=TODAY)
    with django_assert_num_queries(0):
        scorecard_build(period=period, today=TODAY)
    tomorrow = date.fromordinal(TODAY.toordinal() + 1)
    table = scorecard_build(period=period, today=tomorrow)
    body = kept.bodies[0]
    assert _values(table)[body.id] == direct(body, period.start, period.end, today=tomorrow)


def test_nothing_is_kept_when_switched_off(scorecard_world: World, django_assert_num_queries: Any) -> None:
    # the fixture's default: the tables are computed every time (the histograms kept in the
    # process): bodies, appeal sums, overdue counters and their catch-up count, follow-up
    # answers, proposals, reports, the later domains' sources
    period = period_parse("2025")
    scorecard_build(period=period, today=TODAY)
    assert len(KEPT) == 0
    with django_assert_num_queries(7 + DOMAIN_QUERIES + PG_EXTRA):
        scorecard_build(period=period, today=TODAY)


def test_a_bounded_cache_forgets_the_least_recently_used() -> None:
    c: BoundedCache[str, int] = BoundedCache(2)
    c.set("a", 1)
    c.set("b", 2)
    assert c.get("a") == 1  # a used last
    c.set("c", 3)
    assert c.get("b") is None
    assert (c.get("a"), c.get("c"), len(c)) == (1, 3, 2)
    c.reset()
    assert (c.get("a"), len(c)) == (None, 0)


def test_the_periodic_job_leaves_the_current_tables_kept(kept: World, django_assert_num_queries: Any) -> None:
    from maslikhat.core.background import run_job

    # when the scorecard's periodic job has run (the overdue pass, then the current year's tables)
    run_job("scorecard.refresh_overdue")
    # then a visitor's national tables of the current year are read for nothing
    with django_assert_num_queries(0):
        scorecard_build(period=period_parse(""), level="regional")
        scorecard_build(period=period_parse(""), level="district")
