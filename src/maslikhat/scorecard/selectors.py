"""The scorecard: an assessment of every maslikhat's current activities, per period.

The figures are a registry (`maslikhat.core.figures`): each domain app declares its figures and
the source computing them in its own `figures.py` and registers them from its AppConfig.ready,
so this module never imports a domain. One list of figures (`FIGURES`) feeds the pages, the
API, the CSV/XLSX/PDF exports and the definitions endpoint; each source reads rollups for a
list of bodies and a list of date ranges ("buckets": the period and the previous one, or the
months of a trend) in a fixed number of queries.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# Re-exported: the scorecard's readers (views, API, exports, tests) find the registry here.
from maslikhat.core.figures import FIGURES as FIGURES
from maslikhat.core.figures import (
    KEPT,
    Bucket,
    Values,
    empty,
    family_versions,
    kept_key,
    kept_many,
    source_values,
)
from maslikhat.core.figures import SOURCES as SOURCES
from maslikhat.core.figures import Body as Body
from maslikhat.core.figures import Figure as Figure
from maslikhat.core.figures import figure_get as figure_get
from maslikhat.core.figures import median_from_histogram as median_from_histogram
from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.models import Area, Organization

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
    of one region when given), in one query, kept per version of the directory (and language
    and day) like the sources' values."""
    current = family_versions(("directory",))
    if current is None:
        return _bodies(level, region)
    key = kept_key(
        "bodies",
        current,
        level,
        region.pk if region is not None else None,
        translation.get_language(),
        timezone.localdate(),
    )
    found: list[Body] = kept_many({key: (None, lambda: _bodies(level, region))})[key]
    return found


def _bodies(level: str, region: Area | None) -> list[Body]:
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


@dataclass(frozen=True)
class MapArea:
    """One maslikhat's territory on a district-level map: its area code, its body and its
    simplified boundary (GeoJSON)."""

    code: str
    body_id: int
    region_code: str
    boundary: dict[str, Any]
    names: dict[str, str]  # the maslikhat's name by language


def district_map_areas(*, region: Area | None = None) -> list[MapArea]:
    """The country (or one region) by maslikhat at the district level, in one query: each
    district or city with a maslikhat and a boundary, and each region with no district-level
    maslikhat under it (Astana, Almaty, Shymkent) as one piece."""
    qs = (
        Organization.objects.current()
        .filter(
            kind__in=[OrganizationKind.REGIONAL_MASLIKHAT, *DISTRICT_KINDS],
            area__boundary_web__isnull=False,
        )
        .values_list(
            "pk",
            "kind",
            "area__code",
            "area__parent__code",
            "parent__area__code",
            "area__boundary_web",
            "name_kk",
            "name_ru",
            "name_en",
        )
        .order_by("area__code", "pk")
    )
    if region is not None:
        qs = qs.filter(Q(area=region) | Q(area__parent=region) | Q(parent__area=region))
    districts: list[MapArea] = []
    regional: list[MapArea] = []
    for pk, kind, code, parent_code, parent_body_code, geometry, kk, ru, en in qs:
        names = {"kk": kk, "ru": ru, "en": en}
        boundary: dict[str, Any] = geometry or {}  # never empty: filtered above
        if kind == OrganizationKind.REGIONAL_MASLIKHAT:
            regional.append(MapArea(code=code, body_id=pk, region_code=code, boundary=boundary, names=names))
        else:
            region_code = parent_code or parent_body_code or ""
            districts.append(
                MapArea(code=code, body_id=pk, region_code=region_code, boundary=boundary, names=names)
            )
    with_districts = {d.region_code for d in districts}
    return [r for r in regional if r.code not in with_districts] + districts


def _without_jit(run: Any) -> None:
    """Run the sources' queries in one transaction with PostgreSQL's JIT off: their aggregates
    are estimated far above their real cost (jsonb_each, IN lists), which triggers JIT
    compilation costing more than the query (measured: ~1 s)."""
    if connection.vendor != "postgresql":
        run()
        return
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        run()


def compute(bodies: Sequence[Body], buckets: Sequence[Bucket], *, today: date | None = None) -> Values:
    """Every registered figure for the bodies in each bucket: each source's kept values while
    what it reads is unchanged (core.figures.source_values), the others computed together."""
    day = today or timezone.localdate()
    out = empty(buckets)
    if not bodies:
        return out
    for values in source_values(SOURCES, bodies, buckets, day, around=_without_jit):
        for i, per_body in enumerate(values):
            target = out[i]
            for body_id, figures in per_body.items():
                found = target.get(body_id)
                if found is None:
                    target[body_id] = dict(figures)
                else:
                    found.update(figures)
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
    period, in a constant number of queries; kept in this process per version of every family
    its figures and bodies are read from (see core.figures), for the day and the language."""
    day = today or timezone.localdate()
    current = family_versions((*(f for s in SOURCES for f in s.families), "directory"))
    if current is None:
        return _scorecard_build(period=period, level=level, region=region, today=day)
    key = kept_key(
        "table",
        current,
        period,
        level,
        region.pk if region is not None else None,
        day,
        translation.get_language(),
    )
    now = time.monotonic()
    hit = KEPT.get(key)
    if hit is not None and (hit[0] is None or hit[0] > now):
        table: Scorecard = hit[1]
        return table
    table = _scorecard_build(period=period, level=level, region=region, today=day)
    clocks = [s.clock_seconds for s in SOURCES if s.clock_seconds is not None]
    KEPT.set(key, (now + min(clocks) if clocks else None, table))
    return table


def _scorecard_build(*, period: Period, level: str, region: Area | None, today: date) -> Scorecard:
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
    """The bodies' figures added together, month by month over the period (the briefing's
    national trend), from every source that offers totals."""
    starts = period.month_starts()
    buckets = [(s, add_months(s, 1)) for s in starts]
    series: dict[str, list[Any]] = {}
    for source in SOURCES:
        if source.totals is not None:
            series.update(source.totals(bodies, buckets))
    return Trend(months=starts, series=series)


# ------------------------------------------------------------------ what the pages offer and show

PICKER_YEARS = 5  # the period picker offers this year and the four before it


@dataclass(frozen=True)
class PeriodChoice:
    code: str
    kind: str  # "year" | "quarter" | "month"


def period_choices(*, selected: Period | None = None, today: date | None = None) -> list[list[PeriodChoice]]:
    """The periods the picker offers, newest year first: per year the year itself, its quarters
    and its months, none after today; the selected period is offered even when older."""
    day = today or timezone.localdate()
    years = list(range(day.year, day.year - PICKER_YEARS, -1))
    if selected is not None and selected.start.year not in years:
        years.append(selected.start.year)
    out = []
    for year in years:
        group = [PeriodChoice(f"{year}", "year")]
        group += [
            PeriodChoice(f"{year}-Q{q}", "quarter")
            for q in range(1, 5)
            if date(year, 3 * (q - 1) + 1, 1) <= day
        ]
        group += [PeriodChoice(f"{year}-{m:02d}", "month") for m in range(1, 13) if date(year, m, 1) <= day]
        out.append(group)
    return out


def previous_has_data(table: Scorecard) -> bool:
    """Whether the previous period has any value in the table: without one, a change against it
    says nothing (e.g. a period before the first appeal was recorded) and none is shown."""
    return any(
        r.previous.get(f.key) not in (None, 0) for r in table.rows for f in table.figures if f.periodic
    )
