"""The one reader of appeal figures, from the monthly rollups (`AppealStats`): the body page
and `/api/v1/bodies/{id}/appeal-stats` (`body_figures`) and the scorecard (`appeal_source`,
`appeal_totals`, registered with `maslikhat.core.figures` by `AppealsConfig.ready`) derive
their rates, medians and "overdue now" with the same functions here.

Nothing here scans appeals: the sums and the answer-days histograms come from the rollups (the
scorecard reads one AppealMonthStats row per body and month); "overdue now" is the count the
services keep per body (appeals.rollups), moved forward by a daily pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.figures import (
    Body,
    BoundedCache,
    Bucket,
    Figure,
    FigureSource,
    Values,
    bucket_case,
    bucket_sql,
    empty,
    fmt_count,
    fmt_one,
    fmt_pct,
    fmt_rating,
    ids_sql,
    median_from_histogram,
)

from . import rollups
from .choices import OPEN_STATUSES
from .models import Appeal, AppealMonthStats, AppealStats

APPEALS = _("Appeals")

FIGURES: tuple[Figure, ...] = (
    Figure(
        "appeals_received",
        _("Appeals received"),
        _("Appeals registered by the maslikhat in the period (by registration date), of every kind."),
        "count",
        None,
        fmt_count,
        APPEALS,
    ),
    Figure(
        "appeals_per_10k",
        _("Appeals per 10,000 residents"),
        _(
            "Appeals received in the period per 10,000 residents of the maslikhat's territory "
            "(approximate population of its area); blank when the population is not known."
        ),
        "per_10k",
        None,
        fmt_one,
        APPEALS,
    ),
    Figure(
        "appeals_answered",
        _("Appeals answered"),
        _("Appeals received in the period that have been answered."),
        "count",
        None,
        fmt_count,
        APPEALS,
    ),
    Figure(
        "appeals_answered_on_time_pct",
        _("Answered on time"),
        _(
            "Share of the answered appeals received in the period whose answer was given on or "
            "before the statutory due date (15 working days, or the extended date)."
        ),
        "pct",
        True,
        fmt_pct,
        APPEALS,
    ),
    Figure(
        "appeals_median_answer_days",
        _("Median days to answer"),
        _(
            "Median number of working days from registration to answer, over the answered appeals "
            "received in the period."
        ),
        "days",
        False,
        fmt_one,
        APPEALS,
    ),
    Figure(
        "appeals_overdue_now",
        _("Overdue now"),
        _("Appeals still awaiting an answer today whose due date has passed (whatever the period shown)."),
        "count",
        False,
        fmt_count,
        APPEALS,
        periodic=False,
    ),
    Figure(
        "appeals_average_rating",
        _("Average citizen rating"),
        _("Mean of the ratings (1 to 5) citizens gave to the answers to appeals received in the period."),
        "rating",
        True,
        fmt_rating,
        APPEALS,
    ),
)


# ------------------------------------------------------------------ the derived figures


def on_time_pct(on_time: int, answered: int) -> float | None:
    return round(100.0 * on_time / answered, 1) if answered else None


def average_rating(rating_sum: int, rated: int) -> float | None:
    return round(rating_sum / rated, 2) if rated else None


def per_10k(received: int, population: int | None) -> float | None:
    return round(received * 10000 / population, 1) if population else None


def overdue(today: date) -> QuerySet[Appeal]:
    """Open appeals whose due date has passed (indexed: open appeals by due date)."""
    return Appeal.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)


@dataclass
class AppealFigures:
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    answered_on_time_pct: float | None = None
    median_working_days: float | None = None
    overdue_now: int = 0
    average_rating: float | None = None
    rated: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_topic: dict[str, int] = field(default_factory=dict)


def body_figures(*, body_id: int, start: date | None = None, end: date | None = None) -> AppealFigures:
    """One body's figures from the monthly rollups (months whose first day is in [start,
    end)), plus the live overdue count (an indexed query)."""
    rows = AppealStats.objects.filter(body_id=body_id)
    if start:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end:
        rows = rows.filter(month__lt=end)
    figures = AppealFigures()
    hist: dict[int, int] = {}
    rating_sum = 0
    for r in rows.select_related("topic"):
        figures.received += r.received
        figures.answered += r.answered
        figures.answered_on_time += r.answered_on_time
        figures.rated += r.rated
        rating_sum += r.rating_sum
        figures.by_kind[r.kind] = figures.by_kind.get(r.kind, 0) + r.received
        figures.by_topic[r.topic.code] = figures.by_topic.get(r.topic.code, 0) + r.received
        for days, count in r.answer_days.items():
            hist[int(days)] = hist.get(int(days), 0) + count
    figures.answered_on_time_pct = on_time_pct(figures.answered_on_time, figures.answered)
    figures.median_working_days = median_from_histogram(hist)
    figures.average_rating = average_rating(rating_sum, figures.rated)
    today = timezone.localdate()
    figures.overdue_now = rollups.overdue_now([body_id], today).get(body_id, 0)
    return figures


# ------------------------------------------------------------------ the scorecard's source


# (body, bucket start, bucket end) -> (fingerprint, merged answer-days histogram)
HISTOGRAMS: BoundedCache[tuple[int, date, date], tuple[tuple[int, ...], dict[int, int]]] = BoundedCache(
    50_000
)


def reset_histograms() -> None:
    """Forget the histograms kept in this process (tests, benches)."""
    HISTOGRAMS.reset()


def _histograms(
    fingerprints: dict[tuple[int, int], tuple[int, ...]], buckets: Sequence[Bucket], table: str
) -> dict[tuple[int, int], dict[int, int]]:
    """The merged answer-days histogram of each (body, bucket), kept in this process while the
    bucket's fingerprint (answered, on time, rollup rows, lowest and highest row id) is unchanged: a histogram
    changes only when an answer is recorded (answered grows) or the rollups are rebuilt (new
    ids). The missing or stale ones are merged by the database in one query."""
    out: dict[tuple[int, int], dict[int, int]] = {}
    stale: list[tuple[int, int]] = []
    for (body_id, b), fp in fingerprints.items():
        if not fp[0]:
            out[(body_id, b)] = {}
            continue
        hit = HISTOGRAMS.get((body_id, *buckets[b]))
        if hit is not None and hit[0] == fp:
            out[(body_id, b)] = hit[1]
        else:
            stale.append((body_id, b))
    if stale:
        case, case_params = bucket_sql("s.month", buckets)
        bodies = sorted({body_id for body_id, _ in stale})
        marks = ", ".join(["%s"] * len(bodies))
        each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
        lo = min(buckets[b][0] for _, b in stale)
        hi = max(buckets[b][1] for _, b in stale)
        fetched: dict[tuple[int, int], dict[int, int]] = {}
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT {case} AS b, s.body_id, j.key, SUM(CAST(j.value AS integer)) "  # noqa: S608
                f"FROM {table} s, {each}(s.answer_days) j "
                f"WHERE s.body_id IN ({marks}) AND s.month >= %s AND s.month < %s "
                f"GROUP BY b, s.body_id, j.key",
                [*case_params, *bodies, lo, hi],
            )
            for b, body_id, key, n in cur.fetchall():
                if b is not None:
                    fetched.setdefault((body_id, b), {})[int(key)] = int(n)
        for pair in stale:
            out[pair] = fetched.get(pair, {})
            HISTOGRAMS.set((pair[0], *buckets[pair[1]]), (fingerprints[pair], out[pair]))
    return out


def overdue_counts(today: date, *, body_ids: Sequence[int]) -> dict[int, int]:
    """Open appeals past their due date as of `today`, per body: the counts the services keep
    (appeals.rollups: AppealOverdue, moved forward by the daily pass), no scan of the appeals."""
    return rollups.overdue_now(body_ids, today)


def refresh_overdue(today: date) -> int:
    """The scorecard's periodic job calls this (idempotent): the daily pass of the counts."""
    return rollups.overdue_pass(today)


def appeal_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Appeal figures from AppealMonthStats: one query for the sums per body and bucket, the
    merged answer-days histograms per body and bucket (kept in the process by fingerprint, else
    one query), and the kept "overdue now" counts (not per bucket: they describe today)."""
    out = empty(buckets)
    if not bodies or not buckets:
        return out
    table = AppealMonthStats._meta.db_table
    case, case_params = bucket_sql("s.month", buckets)
    ids, id_params = ids_sql(bodies)
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {case} AS b, s.body_id, SUM(s.received), SUM(s.answered), "  # noqa: S608
            f"SUM(s.answered_on_time), SUM(s.rated), SUM(s.rating_sum), COUNT(*), MIN(s.id), MAX(s.id) "
            f"FROM {table} s WHERE s.body_id IN ({ids}) AND s.month >= %s AND s.month < %s "
            f"GROUP BY b, s.body_id",
            [*case_params, *id_params, lo, hi],
        )
        sums = [r for r in cur.fetchall() if r[0] is not None]
    totals: dict[tuple[int, int], list[int]] = {
        (body_id, b): [int(v or 0) for v in values[:5]] for b, body_id, *values in sums
    }
    fingerprints: dict[tuple[int, int], tuple[int, ...]] = {
        (body_id, b): (int(answered or 0), int(on_time or 0), int(n), int(min_id), int(max_id))
        for b, body_id, _r, answered, on_time, _rt, _rs, n, min_id, max_id in sums
    }
    hists = _histograms(fingerprints, buckets, table)
    population = {b.id: b.population for b in bodies}
    for (body_id, b), (received, answered, on_time, rated, rating_sum) in totals.items():
        pop = population.get(body_id)
        out[b][body_id] = {
            "appeals_received": received,
            "appeals_per_10k": per_10k(received, pop),
            "appeals_answered": answered,
            "appeals_answered_on_time_pct": on_time_pct(on_time, answered),
            "appeals_median_answer_days": median_from_histogram(hists.get((body_id, b), {})),
            "appeals_average_rating": average_rating(rating_sum, rated),
        }
    # Bodies without any rollup row in a bucket received nothing.
    for values in out:
        for body in bodies:
            values.setdefault(
                body.id,
                {
                    "appeals_received": 0,
                    "appeals_per_10k": 0.0 if body.population else None,
                    "appeals_answered": 0,
                    "appeals_answered_on_time_pct": None,
                    "appeals_median_answer_days": None,
                    "appeals_average_rating": None,
                },
            )
    overdue_now = overdue_counts(today, body_ids=[b.id for b in bodies])
    for values in out:
        for body in bodies:
            values[body.id]["appeals_overdue_now"] = overdue_now.get(body.id, 0)
    return out


def appeal_totals(bodies: Sequence[Body], buckets: Sequence[Bucket]) -> dict[str, list[Any]]:
    """The bodies' appeal figures added together, per bucket (the briefing's national trend,
    month by month): two queries over the rollups."""
    starts = [b[0] for b in buckets]
    series: dict[str, list[Any]] = {
        "appeals_received": [0] * len(starts),
        "appeals_answered_on_time_pct": [None] * len(starts),
        "appeals_median_answer_days": [None] * len(starts),
        "appeals_average_rating": [None] * len(starts),
    }
    if not bodies or not buckets:
        return series
    table = AppealStats._meta.db_table
    case, case_params = bucket_sql("s.month", buckets)
    ids, id_params = ids_sql(bodies)
    where = f"s.body_id IN ({ids}) AND s.month >= %s AND s.month < %s"
    params = [*case_params, *id_params, buckets[0][0], buckets[-1][1]]
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {case} AS b, SUM(s.received), SUM(s.answered), SUM(s.answered_on_time), "  # noqa: S608
            f"SUM(s.rated), SUM(s.rating_sum) FROM {table} s WHERE {where} GROUP BY b",
            params,
        )
        sums = cur.fetchall()
        cur.execute(
            f"SELECT {case} AS b, j.key, SUM(CAST(j.value AS integer)) "  # noqa: S608
            f"FROM {table} s, {each}(s.answer_days) j WHERE {where} GROUP BY b, j.key",
            params,
        )
        hists: dict[int, dict[int, int]] = {}
        for b, key, n in cur.fetchall():
            hists.setdefault(b, {})[int(key)] = int(n)
    for b, received, answered, on_time, rated, rating_sum in sums:
        if b is None:
            continue
        answered, rated = int(answered or 0), int(rated or 0)
        series["appeals_received"][b] = int(received or 0)
        series["appeals_answered_on_time_pct"][b] = on_time_pct(int(on_time or 0), answered)
        series["appeals_average_rating"][b] = average_rating(int(rating_sum or 0), rated)
        series["appeals_median_answer_days"][b] = median_from_histogram(hists.get(b, {}))
    return series


# Kept per version of the appeals' family (every appeal write bumps it after commit; the
# daily pass of the overdue counts changes no figure: a reader corrects them to its day).
SOURCE = FigureSource(
    name="appeals",
    figures=FIGURES,
    compute=appeal_source,
    refresh=refresh_overdue,
    totals=appeal_totals,
    families=("appeals-public",),
)


# ------------------------------------------------------------------ the follow-up answers (B)

FOLLOWUP_FIGURES: tuple[Figure, ...] = (
    Figure(
        "appeals_followup_satisfied_pct",
        _("Satisfying reply, in the citizens' words"),
        _(
            "Of the citizens who answered the follow-up question (asked two weeks after the answer, "
            "or two weeks after the due date when no answer came), the share who said they got a "
            "satisfying reply. “Partly”, “not satisfying” and “no reply” count against it; appeals "
            "received in the period; blank when nobody answered."
        ),
        "pct",
        True,
        fmt_pct,
        APPEALS,
    ),
)


def followup_values(bodies: Sequence[Body], buckets: Sequence[Bucket]) -> Values:
    """One query: the answered follow-up questions and the satisfied ones per body and bucket
    (by the appeal's registration date)."""
    from django.db.models import Count, Q

    from .models import AppealFollowup, FollowupAnswer

    out = empty(buckets)
    if not bodies or not buckets:
        return out
    rows = (
        AppealFollowup.objects.filter(
            appeal__body_id__in=[b.id for b in bodies],
            appeal__registered_on__gte=min(b[0] for b in buckets),
            appeal__registered_on__lt=max(b[1] for b in buckets),
        )
        .exclude(answer="")
        .annotate(b=bucket_case("appeal__registered_on", buckets))
        .values("appeal__body_id", "b")
        .annotate(n=Count("id"), yes=Count("id", filter=Q(answer=FollowupAnswer.YES)))
        .order_by()
    )
    found = {(r["appeal__body_id"], r["b"]): on_time_pct(r["yes"], r["n"]) for r in rows}
    for i, values in enumerate(out):
        for body in bodies:
            values[body.id] = {"appeals_followup_satisfied_pct": found.get((body.id, i))}
    return out


def followup_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    return followup_values(bodies, buckets)


# The follow-up figure, a source of its own after the appeals' (AppealsConfig.ready registers both).
FOLLOWUP_SOURCE = FigureSource(
    name="appeals_followup",
    figures=FOLLOWUP_FIGURES,
    compute=followup_source,
    families=("appeals-public",),
)
SOURCES = (SOURCE, FOLLOWUP_SOURCE)
