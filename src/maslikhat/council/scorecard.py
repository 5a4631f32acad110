"""The scorecard: an assessment of every maslikhat's current activities, per period.

One registry of figures (`FIGURES`) feeds the pages, the API, the CSV/XLSX/PDF exports and the
definitions endpoint; each figure is computed by a *source*, a function that reads rollups for a
list of bodies and a list of date ranges ("buckets": the period and the previous one, or the
months of a trend) in a fixed number of queries. Later modules (sessions, participation) append
their figures with `register_source`.

Nothing here scans appeals: appeal figures come from the monthly rollup `AppealStats` (sums,
and the answer-days histograms merged in SQL), "overdue now" is one indexed count over open
appeals; proposals and reports are small tables read by an aggregate each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maslikhat.appeals.choices import OPEN_STATUSES
from maslikhat.appeals.models import Appeal, AppealStats
from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.models import Area, Organization

from .choices import ACCEPTED_STATUSES, ProposalStatus, ReportStatus
from .models import Proposal, RecommendationReport

# ------------------------------------------------------------------ periods


class PeriodError(ValueError):
    """A period that cannot be read; `code` is stable, `message` translated."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


PERIOD_FORMS = _("a year (2025), a quarter (2025-Q2) or a month (2025-04)")
MIN_YEAR = 2000
MAX_YEAR = 2100
_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A calendar year, quarter or month: [start, end)."""

    kind: str  # "year" | "quarter" | "month"
    start: date
    end: date

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    def __str__(self) -> str:
        return self.code

    @property
    def months(self) -> int:
        return {"year": 12, "quarter": 3, "month": 1}[self.kind]

    def previous(self) -> Period:
        start = add_months(self.start, -self.months)
        return Period(self.kind, start, self.start)

    def month_starts(self) -> list[date]:
        return [add_months(self.start, i) for i in range(self.months)]


def period_parse(value: str | None, *, today: date | None = None) -> Period:
    """YYYY, YYYY-Qn or YYYY-MM; empty means the current year. Raises PeriodError."""
    text = (value or "").strip()
    if not text:
        day = today or timezone.localdate()
        return Period("year", date(day.year, 1, 1), date(day.year + 1, 1, 1))
    m = _PERIOD_RE.match(text)
    if not m:
        raise PeriodError(
            "invalid_period",
            _("The period must be %(forms)s.") % {"forms": PERIOD_FORMS},
        )
    year = int(m.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            "period_out_of_range",
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    if m.group(2):
        start = date(year, 3 * (int(m.group(2)) - 1) + 1, 1)
        return Period("quarter", start, add_months(start, 3))
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise PeriodError("invalid_period", _("The period must be %(forms)s.") % {"forms": PERIOD_FORMS})
        start = date(year, month, 1)
        return Period("month", start, add_months(start, 1))
    return Period("year", date(year, 1, 1), date(year + 1, 1, 1))


def median_from_histogram(hist: dict[int, int]) -> float | None:
    """The median of the values a histogram {value: count} describes, without expanding it."""
    total = sum(hist.values())
    if total == 0:
        return None
    lo_pos, hi_pos = (total - 1) // 2, total // 2
    lo: int | None = None
    seen = 0
    for value, count in sorted(hist.items()):
        if lo is None and lo_pos < seen + count:
            lo = value
        if hi_pos < seen + count:
            return ((lo if lo is not None else value) + value) / 2
        seen += count
    return None  # unreachable: hi_pos < total


# ------------------------------------------------------------------ figures


def _number(value: float | int | None, decimals: int) -> str:
    if value is None:
        return "—"
    return str(formats.number_format(value, decimals, use_l10n=True, force_grouping=True))


def fmt_count(value: Any) -> str:
    return _number(value, 0)


def fmt_one(value: Any) -> str:
    return _number(value, 1)


def fmt_pct(value: Any) -> str:
    return "—" if value is None else f"{_number(value, 1)}%"


def fmt_rating(value: Any) -> str:
    return _number(value, 2)


@dataclass(frozen=True)
class Figure:
    """One column of the scorecard. `higher_is_better` None: a volume, ranked by size only."""

    key: str
    label: Promise
    definition: Promise
    unit: str  # "count" | "per_10k" | "pct" | "days" | "rating"
    higher_is_better: bool | None
    formatter: Callable[[Any], str] = fmt_count
    group: Promise = _("Appeals")
    # False for a figure that describes today, not the period (no change column).
    periodic: bool = True

    def format(self, value: Any) -> str:
        return self.formatter(value)

    def format_change(self, value: float | None) -> str:
        if value is None:
            return "—"
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        text = self.formatter(abs(value))
        return sign + (text.removesuffix("%") + " pp" if self.unit == "pct" else text)


APPEALS = _("Appeals")
COUNCIL = _("National council")

FIGURES: list[Figure] = [
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
]


def figure_get(key: str | None) -> Figure | None:
    return next((f for f in FIGURES if f.key == key), None)


# ------------------------------------------------------------------ sources

Bucket = tuple[date, date]  # [start, end)
# body id -> figure key -> value, one dict per bucket
Values = list[dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class Body:
    """What the scorecard needs of a maslikhat (no boundary, no text)."""

    id: int
    name: str
    kind: str
    area_code: str
    area_name: str
    population: int | None
    region_code: str


Source = Callable[[Sequence[Body], Sequence[Bucket], date], Values]
SOURCES: list[Source] = []


def register_source(source: Source, figures: Sequence[Figure] = ()) -> Source:
    """Add a source and its figures (later modules: sessions, participation)."""
    SOURCES.append(source)
    FIGURES.extend(figures)
    return source


def _bucket_sql(column: str, buckets: Sequence[Bucket]) -> tuple[str, list[Any]]:
    whens = " ".join(f"WHEN {column} >= %s AND {column} < %s THEN {i}" for i in range(len(buckets)))
    params: list[Any] = [d for b in buckets for d in b]
    return f"CASE {whens} END", params


def _bucket_case(field_name: str, buckets: Sequence[Bucket]) -> Case:
    return Case(
        *(
            When(Q(**{f"{field_name}__gte": s, f"{field_name}__lt": e}), then=Value(i))
            for i, (s, e) in enumerate(buckets)
        ),
        output_field=IntegerField(),
    )


def _empty(buckets: Sequence[Bucket]) -> Values:
    return [{} for _ in buckets]


def _ids_sql(bodies: Sequence[Body]) -> tuple[str, list[int]]:
    return ", ".join(["%s"] * len(bodies)), [b.id for b in bodies]


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
    them), kept for ten minutes; `scorecard_refresh_overdue` (a periodic task) refreshes it."""
    key = f"scorecard:overdue:{today.isoformat()}"
    found = None if refresh else cache.get(key)
    if isinstance(found, dict):
        return found
    counts = dict(
        Appeal.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .values("body_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("body_id", "n")
    )
    cache.set(key, counts, OVERDUE_CACHE_SECONDS)
    return counts


def scorecard_refresh_overdue() -> int:
    """The periodic task's body (idempotent): recount today's overdue appeals."""
    return len(overdue_counts(timezone.localdate(), refresh=True))


def appeal_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Appeal figures from AppealStats: one query for the sums per body and month, the merged
    answer-days histograms per body and month (cached by fingerprint, else one query), and one
    indexed count of the overdue appeals (not per bucket: it describes today)."""
    out = _empty(buckets)
    if not bodies or not buckets:
        return out
    table = AppealStats._meta.db_table
    ids, id_params = _ids_sql(bodies)
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
            "appeals_per_10k": round(received * 10000 / pop, 1) if pop else None,
            "appeals_answered": answered,
            "appeals_answered_on_time_pct": round(100.0 * on_time / answered, 1) if answered else None,
            "appeals_median_answer_days": median_from_histogram(hists.get((body_id, b), {})),
            "appeals_average_rating": round(rating_sum / rated, 2) if rated else None,
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
    overdue = overdue_counts(today)
    for values in out:
        for body in bodies:
            values[body.id]["appeals_overdue_now"] = overdue.get(body.id, 0)
    return out


IMPLEMENTED_STATUSES = (ProposalStatus.IMPLEMENTED, ProposalStatus.PARTLY_IMPLEMENTED)


def council_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Proposals by submission date, reports by their recommendation's deadline: one aggregate
    each."""
    out = _empty(buckets)
    if not bodies or not buckets:
        return out
    ids = [b.id for b in bodies]
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    proposals = (
        Proposal.objects.filter(body_id__in=ids, submitted_on__gte=lo, submitted_on__lt=hi)
        .annotate(b=_bucket_case("submitted_on", buckets))
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
        .annotate(b=_bucket_case("recommendation__due_on", buckets))
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


SOURCES.extend([appeal_source, council_source])


# ------------------------------------------------------------------ bodies and levels

LEVELS = ("regional", "district")
DISTRICT_KINDS = (OrganizationKind.CITY_MASLIKHAT, OrganizationKind.DISTRICT_MASLIKHAT)


def _body(org: Organization) -> Body:
    area = org.area
    region = ""
    if area is not None:
        region = area.code if area.kind == AreaKind.REGION else (area.parent.code if area.parent else "")
    return Body(
        id=org.pk,
        name=org.name,
        kind=org.kind,
        area_code=area.code if area else "",
        area_name=area.name if area else "",
        population=area.population if area else None,
        region_code=region,
    )


def scorecard_bodies(*, level: str = "regional", region: Area | None = None) -> list[Body]:
    """The maslikhats in force of a level (regional: the 20; district: city and district ones,
    of one region when given), in one query."""
    qs = Organization.objects.current().select_related("area", "area__parent")
    qs = qs.only(
        "id",
        "kind",
        "name_kk",
        "name_ru",
        "name_en",
        "area__code",
        "area__kind",
        "area__name_kk",
        "area__name_ru",
        "area__name_en",
        "area__population",
        "area__parent__code",
    )
    if level == "regional":
        qs = qs.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
    else:
        qs = qs.filter(kind__in=DISTRICT_KINDS)
        if region is not None:
            qs = qs.filter(Q(area__parent=region) | Q(parent__area=region))
    return [_body(o) for o in qs.order_by("area__code", "name_en", "id")]


def _collect(bodies: Sequence[Body], buckets: Sequence[Bucket], day: date, out: Values) -> None:
    for source in SOURCES:
        for i, values in enumerate(source(bodies, buckets, day)):
            for body_id, figures in values.items():
                out[i].setdefault(body_id, {}).update(figures)


def compute(bodies: Sequence[Body], buckets: Sequence[Bucket], *, today: date | None = None) -> Values:
    """Every registered figure for the bodies in each bucket."""
    day = today or timezone.localdate()
    out = _empty(buckets)
    if not bodies:
        return out
    if connection.vendor != "postgresql":
        _collect(bodies, buckets, day, out)
        return out
    with transaction.atomic(), connection.cursor() as cur:
        # These aggregates are estimated far above their real cost (jsonb_each, IN lists),
        # which triggers JIT compilation costing more than the query (measured: ~1 s).
        cur.execute("SET LOCAL jit = off")
        _collect(bodies, buckets, day, out)
    return out


# ------------------------------------------------------------------ the table


@dataclass
class Row:
    body: Body
    values: dict[str, Any]
    previous: dict[str, Any]
    ranks: dict[str, int | None] = field(default_factory=dict)
    changes: dict[str, float | None] = field(default_factory=dict)

    def cells(self, figures: Sequence[Figure]) -> list[Cell]:
        return [
            Cell(
                figure=f,
                value=self.values.get(f.key),
                text=f.format(self.values.get(f.key)),
                rank=self.ranks.get(f.key),
                change=self.changes.get(f.key),
                change_text=f.format_change(self.changes.get(f.key)) if f.periodic else "",
            )
            for f in figures
        ]


@dataclass(frozen=True)
class Cell:
    figure: Figure
    value: Any
    text: str
    rank: int | None
    change: float | None
    change_text: str


@dataclass
class Scorecard:
    period: Period
    previous_period: Period
    level: str
    region: Area | None
    figures: list[Figure]
    rows: list[Row]

    def sorted_rows(self, key: str | None, descending: bool = False) -> list[Row]:
        """Rows by a figure (missing values last), or by area code."""
        if key is None or figure_get(key) is None:
            return sorted(self.rows, key=lambda r: (r.body.area_code, r.body.name), reverse=descending)
        present = [r for r in self.rows if r.values.get(key) is not None]
        missing = [r for r in self.rows if r.values.get(key) is None]
        present.sort(key=lambda r: (r.values[key], r.body.area_code), reverse=descending)
        return present + sorted(missing, key=lambda r: r.body.area_code)


def rank(values: dict[int, Any], *, higher_is_better: bool | None) -> dict[int, int | None]:
    """Competition ranking (1, 1, 3): ties share a rank; no value, no rank. A volume (None) is
    ranked by size, largest first."""
    present = [(k, v) for k, v in values.items() if v is not None]
    ascending = higher_is_better is False
    present.sort(key=lambda kv: kv[1], reverse=not ascending)
    ranks: dict[int, int | None] = dict.fromkeys(values)
    previous: Any = object()
    current = 0
    for position, (k, v) in enumerate(present, start=1):
        if v != previous:
            current = position
            previous = v
        ranks[k] = current
    return ranks


def _change(now: Any, before: Any) -> float | None:
    if now is None or before is None:
        return None
    return round(float(now) - float(before), 2)


def scorecard_build(
    *,
    period: Period,
    level: str = "regional",
    region: Area | None = None,
    today: date | None = None,
) -> Scorecard:
    """The table for a period and a level, with ranks and the change against the previous
    period, in a constant number of queries."""
    bodies = scorecard_bodies(level=level, region=region)
    previous = period.previous()
    current_values, previous_values = compute(
        bodies, [(period.start, period.end), (previous.start, previous.end)], today=today
    )
    figures = list(FIGURES)
    rows = [
        Row(body=b, values=current_values.get(b.id, {}), previous=previous_values.get(b.id, {}))
        for b in bodies
    ]
    for f in figures:
        ranks = rank({r.body.id: r.values.get(f.key) for r in rows}, higher_is_better=f.higher_is_better)
        for r in rows:
            r.ranks[f.key] = ranks[r.body.id]
            r.changes[f.key] = _change(r.values.get(f.key), r.previous.get(f.key)) if f.periodic else None
    return Scorecard(
        period=period, previous_period=previous, level=level, region=region, figures=figures, rows=rows
    )


@dataclass
class Trend:
    months: list[date]
    series: dict[str, list[Any]]


TREND_MONTHS = 24


def scorecard_trends(*, body: Body, end: date | None = None, months: int = TREND_MONTHS) -> Trend:
    """Monthly values of every periodic figure for one maslikhat, the `months` months up to
    the month of `end` (default: this month)."""
    last = (end or timezone.localdate()).replace(day=1)
    starts = [add_months(last, -i) for i in range(months - 1, -1, -1)]
    buckets = [(s, add_months(s, 1)) for s in starts]
    values = compute([body], buckets)
    series = {
        f.key: [values[i].get(body.id, {}).get(f.key) for i in range(len(starts))]
        for f in FIGURES
        if f.periodic
    }
    return Trend(months=starts, series=series)


def scorecard_body(*, pk: int) -> Body | None:
    org = (
        Organization.objects.select_related("area", "area__parent")
        .defer("area__boundary", "area__boundary_web", "area__parent__boundary", "area__parent__boundary_web")
        .filter(pk=pk, kind__in=[OrganizationKind.REGIONAL_MASLIKHAT, *DISTRICT_KINDS])
        .first()
    )
    return _body(org) if org is not None else None


def region_get(*, code: str) -> Area | None:
    return Area.objects.defer("boundary").filter(code=code, kind=AreaKind.REGION).first()


def regions() -> list[Area]:
    return list(
        Area.objects.current()
        .filter(kind=AreaKind.REGION)
        .only("id", "code", "name_kk", "name_ru", "name_en")
        .order_by("code")
    )


def scorecard_total_trend(*, bodies: Sequence[Body], period: Period) -> Trend:
    """The bodies' appeal figures added together, month by month over the period (the
    briefing's national trend): two queries over the rollups."""
    starts = period.month_starts()
    buckets = [(s, add_months(s, 1)) for s in starts]
    series: dict[str, list[Any]] = {
        "appeals_received": [0] * len(starts),
        "appeals_answered_on_time_pct": [None] * len(starts),
        "appeals_median_answer_days": [None] * len(starts),
        "appeals_average_rating": [None] * len(starts),
    }
    if not bodies:
        return Trend(months=starts, series=series)
    table = AppealStats._meta.db_table
    case, case_params = _bucket_sql("s.month", buckets)
    ids, id_params = _ids_sql(bodies)
    where = f"s.body_id IN ({ids}) AND s.month >= %s AND s.month < %s"
    params = [*case_params, *id_params, period.start, period.end]
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
        series["appeals_answered_on_time_pct"][b] = (
            round(100.0 * int(on_time or 0) / answered, 1) if answered else None
        )
        series["appeals_average_rating"][b] = round(int(rating_sum or 0) / rated, 2) if rated else None
        series["appeals_median_answer_days"][b] = median_from_histogram(hists.get(b, {}))
    return Trend(months=starts, series=series)
