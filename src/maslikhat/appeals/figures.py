"""The one reader of appeal figures, from the monthly rollups (`AppealStats`): the body page
and `/api/v1/bodies/{id}/appeal-stats` (`body_figures`) and the scorecard (`appeal_source`,
`appeal_totals`, registered with `maslikhat.core.figures` by `AppealsConfig.ready`) derive
their rates, medians and "overdue now" with the same functions here.

Nothing here scans appeals: the sums, and the answer-days histograms merged in SQL, come from
the rollups; "overdue now" is one indexed count over the open appeals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.figures import (
    Body,
    Bucket,
    Figure,
    FigureSource,
    Values,
    bucket_sql,
    empty,
    fmt_count,
    fmt_one,
    fmt_pct,
    fmt_rating,
    ids_sql,
    median_from_histogram,
)

from .choices import OPEN_STATUSES
from .models import Appeal, AppealStats

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
    figures.overdue_now = overdue(timezone.localdate()).filter(body_id=body_id).count()
    return figures


# ------------------------------------------------------------------ the scorecard's source

HIST_CACHE_SECONDS = 7 * 24 * 3600


def _month_key(month: date) -> str:
    return f"scorecard:hist:{month:%Y%m}"


def _month_histograms(
    found: dict[tuple[int, date], tuple[int, ...]], table: str, each: str
) -> dict[tuple[int, date], dict[int, int]]:
    """The merged answer-days histogram of each (body, month). One cache entry per month holds
    {body id: (fingerprint, histogram)}; a body's histogram is reused while its fingerprint
    (answered, answered on time, highest rollup row id) is unchanged: histograms change only
    when an answer is recorded (answered grows) or the rollups are rebuilt (new row ids).
    The stale or missing ones are read in one query."""
    months = sorted({m for _, m in found})
    cached = cache.get_many([_month_key(m) for m in months])
    entries: dict[date, dict[int, tuple[tuple[int, ...], dict[int, int]]]] = {
        m: dict(cached.get(_month_key(m)) or {}) for m in months
    }
    out: dict[tuple[int, date], dict[int, int]] = {}
    missing: list[tuple[int, date]] = []
    for (body_id, month), fp in found.items():
        if not fp[0]:
            out[(body_id, month)] = {}
            continue
        hit = entries[month].get(body_id)
        if hit is not None and tuple(hit[0]) == fp:
            out[(body_id, month)] = hit[1]
        else:
            missing.append((body_id, month))
    if missing:
        bodies = sorted({b for b, _ in missing})
        stale_months = sorted({m for _, m in missing})
        marks = ", ".join(["%s"] * len(bodies))
        month_marks = ", ".join(["%s"] * len(stale_months))
        fetched: dict[tuple[int, date], dict[int, int]] = {}
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT s.body_id, s.month, j.key, SUM(CAST(j.value AS integer)) "  # noqa: S608
                f"FROM {table} s, {each}(s.answer_days) j "
                f"WHERE s.body_id IN ({marks}) AND s.month IN ({month_marks}) "
                f"GROUP BY s.body_id, s.month, j.key",
                [*bodies, *stale_months],
            )
            for body_id, month, key, n in cur.fetchall():
                day = month if isinstance(month, date) else date.fromisoformat(str(month))
                fetched.setdefault((body_id, day), {})[int(key)] = int(n)
        for pair in missing:
            out[pair] = fetched.get(pair, {})
            entries[pair[1]][pair[0]] = (found[pair], out[pair])
        cache.set_many({_month_key(m): entries[m] for m in stale_months}, HIST_CACHE_SECONDS)
    return out


OVERDUE_CACHE_SECONDS = 10 * 60


def overdue_counts(today: date, *, refresh: bool = False) -> dict[int, int]:
    """Open appeals past their due date, per body, for every body: one query over the open
    appeals (they are few next to all appeals, but at millions a count still costs a scan of
    them), kept for ten minutes; the scorecard's periodic job refreshes it (`refresh_overdue`)."""
    key = f"scorecard:overdue:{today.isoformat()}"
    found = None if refresh else cache.get(key)
    if isinstance(found, dict):
        return found
    counts = dict(
        overdue(today).values("body_id").annotate(n=Count("id")).order_by().values_list("body_id", "n")
    )
    cache.set(key, counts, OVERDUE_CACHE_SECONDS)
    return counts


def refresh_overdue(today: date) -> int:
    """The scorecard's periodic job calls this (idempotent): recount today's overdue appeals."""
    return len(overdue_counts(today, refresh=True))


def appeal_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Appeal figures from AppealStats: one query for the sums per body and month, the merged
    answer-days histograms per body and month (cached by fingerprint, else one query), and one
    indexed count of the overdue appeals (not per bucket: it describes today)."""
    out = empty(buckets)
    if not bodies or not buckets:
        return out
    table = AppealStats._meta.db_table
    ids, id_params = ids_sql(bodies)
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT s.body_id, s.month, SUM(s.received), SUM(s.answered), "  # noqa: S608
            f"SUM(s.answered_on_time), SUM(s.rated), SUM(s.rating_sum), MAX(s.id) "
            f"FROM {table} s WHERE s.body_id IN ({ids}) AND s.month >= %s AND s.month < %s "
            f"GROUP BY s.body_id, s.month",
            [*id_params, lo, hi],
        )
        monthly = [
            (body_id, m if isinstance(m, date) else date.fromisoformat(str(m)), *(int(v or 0) for v in rest))
            for body_id, m, *rest in cur.fetchall()
        ]
    fingerprints: dict[tuple[int, date], tuple[int, ...]] = {
        (r[0], r[1]): (r[3], r[4], r[7]) for r in monthly
    }
    month_hists = _month_histograms(fingerprints, table, each)
    totals: dict[tuple[int, int], list[int]] = {}
    hists: dict[tuple[int, int], dict[int, int]] = {}
    for body_id, month, received, answered, on_time, rated, rating_sum, _max_id in monthly:
        b = next((i for i, (s, e) in enumerate(buckets) if s <= month < e), None)
        if b is None:
            continue
        t = totals.setdefault((body_id, b), [0, 0, 0, 0, 0])
        for i, v in enumerate((received, answered, on_time, rated, rating_sum)):
            t[i] += v
        merged = hists.setdefault((body_id, b), {})
        for days, n in month_hists.get((body_id, month), {}).items():
            merged[days] = merged.get(days, 0) + n
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
    overdue_now = overdue_counts(today)
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


SOURCE = FigureSource(
    name="appeals",
    figures=FIGURES,
    compute=appeal_source,
    refresh=refresh_overdue,
    totals=appeal_totals,
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


def _with_followup(compute: Any) -> Any:
    def appeal_source_with_followup(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
        out = compute(bodies, buckets, today)
        for values, extra in zip(out, followup_values(bodies, buckets), strict=True):
            for body_id, figures in extra.items():
                values.setdefault(body_id, {}).update(figures)
        return out

    return appeal_source_with_followup


# The appeals' source, with the follow-up figure after the others (AppealsConfig.ready
# registers SOURCE).
SOURCE = replace(SOURCE, figures=(*SOURCE.figures, *FOLLOWUP_FIGURES), compute=_with_followup(SOURCE.compute))
