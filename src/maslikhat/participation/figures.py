"""The participation app's scorecard figures: initiatives received and answered on time, budget
turnout, implementation progress.

Registered with the scorecard's registry (`maslikhat.core.figures`) by `ParticipationConfig.ready`.
One aggregate query each (initiatives by the day they were received, initiatives by their answer
due date, budget processes by the end of their vote, implementation records today), whatever the
number of bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce
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

from .choices import ANSWER_STATUSES
from .models import BudgetProcess, Implementation, Initiative

PARTICIPATION = _("Participation")

FIGURES: tuple[Figure, ...] = (
    Figure(
        "initiatives_received",
        _("Initiatives received"),
        _(
            "Residents' initiatives addressed to the maslikhat in the period (by the day they were "
            "submitted), whatever became of them."
        ),
        "count",
        None,
        fmt_count,
        PARTICIPATION,
    ),
    Figure(
        "initiatives_answered_on_time_pct",
        _("Initiatives answered on time"),
        _(
            "Of the initiatives that reached their support threshold and whose answer was due in "
            "the period (the working days allowed after the threshold was reached) and is due by "
            "now or given, the share answered on or before the due date."
        ),
        "pct",
        True,
        fmt_pct,
        PARTICIPATION,
    ),
    Figure(
        "budget_turnout_pct",
        _("Participatory budget turnout"),
        _(
            "Voters in the participatory budget votes that ended in the period and were tallied, "
            "as a share of the adult population of their areas; only votes whose adult population "
            "is known count."
        ),
        "pct",
        True,
        fmt_pct,
        PARTICIPATION,
    ),
    Figure(
        "implementation_progress_pct",
        _("Implementation progress"),
        _(
            "Mean progress today of the implementation records of the maslikhat's accepted "
            "initiatives and winning budget projects, as last reported (whatever the period shown)."
        ),
        "pct",
        True,
        fmt_pct,
        PARTICIPATION,
        periodic=False,
    ),
)


def pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _moments(buckets: Sequence[Bucket]) -> list[tuple[datetime, datetime]]:
    """The buckets as aware datetimes: local midnights of their first and end days."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return [
        (datetime.combine(s, time(), tzinfo=tz), datetime.combine(e, time(), tzinfo=tz)) for s, e in buckets
    ]


def participation_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Four aggregates: initiatives by submission, initiatives by answer due date, tallied budget
    processes by the last day of their vote, and today's implementation records."""
    out = empty(buckets)
    if not bodies or not buckets:
        return out
    ids = [b.id for b in bodies]
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    moments = _moments(buckets)
    found: dict[tuple[int, int], dict[str, Any]] = {}

    received = (
        Initiative.objects.filter(
            body_id__in=ids,
            created_at__gte=min(m[0] for m in moments),
            created_at__lt=max(m[1] for m in moments),
        )
        .annotate(b=bucket_case("created_at", moments))
        .values("body_id", "b")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in received:
        found.setdefault((r["body_id"], r["b"]), {})["initiatives_received"] = r["n"]

    answered = Q(status__in=ANSWER_STATUSES, answered_on__isnull=False)
    due = (
        Initiative.objects.filter(body_id__in=ids, answer_due__gte=lo, answer_due__lt=hi)
        .filter(Q(answer_due__lt=today) | answered)
        .annotate(b=bucket_case("answer_due", buckets))
        .values("body_id", "b")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=answered & Q(answered_on__lte=F("answer_due"))),
        )
        .order_by()
    )
    for d in due:
        found.setdefault((d["body_id"], d["b"]), {})["initiatives_answered_on_time_pct"] = pct(
            d["on_time"], d["n"]
        )

    turnout = (
        BudgetProcess.objects.filter(
            body_id__in=ids,
            voting_until__gte=lo,
            voting_until__lt=hi,
            tallied_at__isnull=False,
            adult_population__gt=0,
        )
        .annotate(b=bucket_case("voting_until", buckets))
        .values("body_id", "b")
        .annotate(voters=Sum("voters"), adults=Sum("adult_population"))
        .order_by()
    )
    for t in turnout:
        found.setdefault((t["body_id"], t["b"]), {})["budget_turnout_pct"] = pct(
            int(t["voters"] or 0), int(t["adults"] or 0)
        )

    progress = dict(
        Implementation.objects.annotate(body_id=Coalesce("initiative__body_id", "project__process__body_id"))
        .filter(body_id__in=ids)
        .values("body_id")
        .annotate(mean=Avg("progress"))
        .order_by()
        .values_list("body_id", "mean")
    )

    zero = {
        "initiatives_received": 0,
        "initiatives_answered_on_time_pct": None,
        "budget_turnout_pct": None,
    }
    for i, values in enumerate(out):
        for body in bodies:
            mean = progress.get(body.id)
            values[body.id] = {
                **zero,
                **found.get((body.id, i), {}),
                "implementation_progress_pct": None if mean is None else round(float(mean), 1),
            }
    return out


# Kept per version of its family (core.figures.source_values).
SOURCE = FigureSource(
    name="participation", figures=FIGURES, compute=participation_source, families=("participation",)
)
