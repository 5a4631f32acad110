"""The figures registry: each domain app contributes its figures from its own module; the
scorecard reads them in the order the apps are installed; its job refreshes the sources' caches."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maslikhat.appeals import figures as appeal_figures
from maslikhat.core import figures as registry
from maslikhat.core.background import run_job
from maslikhat.council import figures as council_figures
from maslikhat.deputies import figures as deputies_figures
from maslikhat.participation import figures as participation_figures
from maslikhat.proceedings import figures as proceedings_figures
from maslikhat.scorecard import selectors as sc


def test_the_scorecard_shows_the_figures_the_domains_registered() -> None:
    # given the apps are ready; then the figures follow the installed apps: the appeals', the
    # follow-up figure (a source of its own), the council's, then the proceedings',
    # participation's and deputies'
    assert [s.name for s in registry.SOURCES] == [
        "appeals",
        "appeals_followup",
        "council",
        "proceedings",
        "participation",
        "deputies",
    ]
    assert [f.key for f in sc.FIGURES] == [
        *(f.key for f in appeal_figures.FIGURES),
        *(f.key for f in appeal_figures.FOLLOWUP_FIGURES),
        *(f.key for f in council_figures.FIGURES),
        *(f.key for f in proceedings_figures.FIGURES),
        *(f.key for f in participation_figures.FIGURES),
        *(f.key for f in deputies_figures.FIGURES),
    ]
    assert sc.FIGURES is registry.FIGURES


def test_registering_a_source_again_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # given an empty registry with the appeals' source
    monkeypatch.setattr(registry, "SOURCES", [])
    monkeypatch.setattr(registry, "FIGURES", [])
    registry.register_figures(appeal_figures.SOURCE)
    # when it is registered a second time (an AppConfig.ready run twice)
    found = registry.register_figures(appeal_figures.SOURCE)
    # then it is there once
    assert found is appeal_figures.SOURCE
    assert registry.SOURCES == [appeal_figures.SOURCE]
    assert len(registry.FIGURES) == len(appeal_figures.FIGURES)


def test_a_figure_key_cannot_be_registered_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a registry with the appeals' source
    monkeypatch.setattr(registry, "SOURCES", [])
    monkeypatch.setattr(registry, "FIGURES", [])
    registry.register_figures(appeal_figures.SOURCE)
    # when another source claims one of its keys
    other = registry.FigureSource(
        name="other", figures=appeal_figures.FIGURES[:1], compute=appeal_figures.appeal_source
    )
    # then it is refused and the registry is unchanged
    with pytest.raises(ValueError, match="appeals_received"):
        registry.register_figures(other)
    assert registry.SOURCES == [appeal_figures.SOURCE]
    assert len(registry.FIGURES) == len(appeal_figures.FIGURES)


def test_the_refresh_job_moves_the_overdue_counts_to_today(reference: dict[str, int]) -> None:
    # given an open appeal whose due date passed yesterday, and no pass run today
    from datetime import timedelta

    from maslikhat.appeals.models import AppealOverdue
    from tests.scorecard.world import make_appeal, regional

    today = timezone.localdate()
    body = regional("KZ-71")
    make_appeal(body, registered_on=today - timedelta(days=30), due_on=today - timedelta(days=1))
    # when the periodic job runs (every figure source's refresh: the appeals' overdue pass)
    counted = run_job("scorecard.refresh_overdue")
    # then the body's maintained count says so, as of today; a second run changes nothing
    row = AppealOverdue.objects.get(body=body)
    assert (row.overdue, row.as_of) == (1, today)
    assert counted > 0
    assert run_job("scorecard.refresh_overdue") == 0
    assert AppealOverdue.objects.get(body=body).overdue == 1
