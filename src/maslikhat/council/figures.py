"""The national council app's scorecard figures: proposals by submission date, reports by
their recommendation's deadline (one aggregate each).

Registered with the scorecard's registry (`maslikhat.core.figures`) by `CouncilConfig.ready`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from maslikhat.core.figures import (
    Body,
    Bucket,
    Figure,
    FigureSource,
    Values,
    bucket_case,
    empty,
    fmt_count,
    fmt_pct,
)

from .choices import ACCEPTED_STATUSES, ProposalStatus, ReportStatus
from .models import Proposal, RecommendationReport

COUNCIL = _("National council")

FIGURES: tuple[Figure, ...] = (
    Figure(
        "proposals_submitted",
        _("Proposals to the council"),
        _("Proposals the maslikhat submitted to the national council in the period (as proposer)."),
        "count",
        None,
        fmt_count,
        COUNCIL,
    ),
    Figure(
        "proposals_accepted",
        _("Proposals accepted"),
        _(
            "Of the proposals submitted in the period, those the council has accepted: included in "
            "its recommendations, sent on, or with an outcome recorded."
        ),
        "count",
        True,
        fmt_count,
        COUNCIL,
    ),
    Figure(
        "proposals_implemented",
        _("Proposals implemented"),
        _("Of the proposals submitted in the period, those recorded as implemented fully or partly."),
        "count",
        True,
        fmt_count,
        COUNCIL,
    ),
    Figure(
        "reports_due",
        _("Reports due"),
        _("Reports on the council's recommendations whose deadline fell in the period and has passed."),
        "count",
        None,
        fmt_count,
        COUNCIL,
    ),
    Figure(
        "reports_on_time_pct",
        _("Reports filed on time"),
        _("Share of the reports due in the period that were filed on or before their deadline."),
        "pct",
        True,
        fmt_pct,
        COUNCIL,
    ),
)


IMPLEMENTED_STATUSES = (ProposalStatus.IMPLEMENTED, ProposalStatus.PARTLY_IMPLEMENTED)


def council_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Proposals by submission date, reports by their recommendation's deadline: one aggregate
    each."""
    out = empty(buckets)
    if not bodies or not buckets:
        return out
    ids = [b.id for b in bodies]
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    proposals = (
        Proposal.objects.filter(body_id__in=ids, submitted_on__gte=lo, submitted_on__lt=hi)
        .annotate(b=bucket_case("submitted_on", buckets))
        .values("body_id", "b")
        .annotate(
            n=Count("id"),
            accepted=Count("id", filter=Q(status__in=ACCEPTED_STATUSES)),
            implemented=Count("id", filter=Q(status__in=IMPLEMENTED_STATUSES)),
        )
        .order_by()
    )
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for p in proposals:
        found[(p["body_id"], p["b"])] = {
            "proposals_submitted": p["n"],
            "proposals_accepted": p["accepted"],
            "proposals_implemented": p["implemented"],
        }
    reports = (
        RecommendationReport.objects.filter(
            body_id__in=ids,
            recommendation__due_on__gte=lo,
            recommendation__due_on__lt=min(hi, date.fromordinal(today.toordinal() + 1)),
        )
        .annotate(b=bucket_case("recommendation__due_on", buckets))
        .values("body_id", "b")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(status=ReportStatus.FILED, on_time=True)),
        )
        .order_by()
    )
    for r in reports:
        found.setdefault((r["body_id"], r["b"]), {}).update(
            {
                "reports_due": r["n"],
                "reports_on_time_pct": round(100.0 * r["on_time"] / r["n"], 1) if r["n"] else None,
            }
        )
    zero = {
        "proposals_submitted": 0,
        "proposals_accepted": 0,
        "proposals_implemented": 0,
        "reports_due": 0,
        "reports_on_time_pct": None,
    }
    for i, values in enumerate(out):
        for body in bodies:
            values[body.id] = {**zero, **found.get((body.id, i), {})}
    return out


# Kept per version of its family (core.figures.source_values).
SOURCE = FigureSource(name="council", figures=FIGURES, compute=council_source, families=("council",))
