"""Scorecard pages and exports: adapters over maslikhat.scorecard.selectors (parse the query,
read the table, render)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maslikhat.core.exports import export_is_synthetic
from maslikhat.directory.models import Area

from . import exports
from . import selectors as sc
from .map import choropleth, district_choropleth, trend_chart

DEFAULT_MAP_FIGURE = "appeals_answered_on_time_pct"


@dataclass
class Query:
    """The table's parameters as read from the address, with a message for anything refused."""

    period: sc.Period
    level: str
    region: Area | None
    sort: str
    descending: bool
    figure: sc.Figure
    error: str = ""

    def params(self, **override: Any) -> dict[str, str]:
        p = {"period": self.period.code, "level": self.level}
        if self.region is not None:
            p["region"] = self.region.code
        if self.sort:
            p["sort"] = ("-" if self.descending else "") + self.sort
        p["figure"] = self.figure.key
        p.update({k: str(v) for k, v in override.items() if v is not None})
        return {k: v for k, v in p.items() if v}

    def qs(self, **override: Any) -> str:
        return urlencode(self.params(**override))


def parse_query(request: HttpRequest, *, level: str | None = None, region: Area | None = None) -> Query:
    errors: list[str] = []
    try:
        period = sc.period_parse(request.GET.get("period"))
    except sc.PeriodError as e:
        errors.append(str(e.message))
        period = sc.period_parse("")
    chosen_level = level or request.GET.get("level", "regional")
    if chosen_level not in sc.LEVELS:
        errors.append(_("Choose the regional or the district level."))
        chosen_level = "regional"
    if region is None and chosen_level == "district" and request.GET.get("region"):
        region = sc.region_get(code=request.GET["region"][:40])
        if region is None:
            errors.append(_("No region with this code."))
    raw_sort = request.GET.get("sort", "")
    descending = raw_sort.startswith("-")
    sort = raw_sort.lstrip("-")
    if sort and sort != "name" and sc.figure_get(sort) is None:
        errors.append(_("The table cannot be sorted by this column."))
        sort, descending = "", False
    figure = sc.figure_get(request.GET.get("figure") or DEFAULT_MAP_FIGURE)
    if figure is None:
        errors.append(_("There is no such figure."))
        figure = sc.figure_get(DEFAULT_MAP_FIGURE)
    assert figure is not None  # noqa: S101 - the default is in the registry
    return Query(
        period=period,
        level=chosen_level,
        region=region,
        sort=sort,
        descending=descending,
        figure=figure,
        error=" ".join(errors),
    )


def _rows(table: sc.Scorecard, q: Query) -> list[sc.Row]:
    if q.sort == "name":
        return sorted(table.rows, key=lambda r: r.body.name, reverse=q.descending)
    return table.sorted_rows(q.sort or None, q.descending)


def _headers(table: sc.Scorecard, q: Query) -> list[dict[str, Any]]:
    """Column headers, each a link sorting by it (best first; again: the other way)."""
    out = []
    for f in table.figures:
        best_first_desc = f.higher_is_better is not False
        if q.sort == f.key:
            desc = not q.descending
        else:
            desc = best_first_desc
        out.append(
            {
                "figure": f,
                "href": "?" + q.qs(sort=("-" if desc else "") + f.key),
                "sorted": q.sort == f.key,
                "aria_sort": ("descending" if q.descending else "ascending") if q.sort == f.key else "",
            }
        )
    return out


def _page_context(q: Query) -> dict[str, Any]:
    """What every scorecard page shows around its figures: the synthetic-data banner and the
    period picker."""
    return {
        "synthetic": export_is_synthetic(),
        "period_groups": _period_groups(q),
    }


def _period_label(choice: sc.PeriodChoice) -> str:
    year = choice.code[:4]
    if choice.kind == "year":
        return _("the whole year %(year)s") % {"year": year}
    if choice.kind == "quarter":
        return _("quarter %(n)s of %(year)s") % {"n": choice.code[-1], "year": year}
    return f"{MONTHS[int(choice.code[5:7])]} {year}"


def _period_groups(q: Query) -> list[dict[str, Any]]:
    """The picker's options grouped by year, each with its translated label."""
    return [
        {
            "year": group[0].code,
            "options": [
                {"code": c.code, "label": _period_label(c), "selected": c.code == q.period.code}
                for c in group
            ],
        }
        for group in sc.period_choices(selected=q.period)
    ]


def _table_context(request: HttpRequest, table: sc.Scorecard, q: Query) -> dict[str, Any]:
    rows = _rows(table, q)
    sort_figure = sc.figure_get(q.sort)
    # The rank column ranks by the sorted figure, or else by the map's figure: a rank is shown
    # without sorting first.
    rank_figure = sort_figure or q.figure
    return {
        **_page_context(q),
        "q": q,
        "table": table,
        "headers": _headers(table, q),
        "rows": [
            {
                "row": r,
                "cells": r.cells(table.figures),
                "rank": r.ranks.get(rank_figure.key),
            }
            for r in rows
        ],
        "sort_figure": sort_figure,
        "rank_figure": rank_figure,
        "show_change": sc.previous_has_data(table),
        "name_sort_href": "?" + q.qs(sort="-name" if q.sort == "name" and not q.descending else "name"),
        "figures": table.figures,
        "regions": sc.regions() if q.level == "district" else [],
        "export_qs": q.qs(),
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The nationwide table, the map by one figure and the definitions. The regional level maps
    the regions (each a link to its drill-down); the district level maps every district-level
    maslikhat of the country, or of the chosen region (each a link to its page)."""
    q = parse_query(request)
    table = sc.scorecard_build(period=q.period, level=q.level, region=q.region)
    context = _table_context(request, table, q)
    map_query = urlencode({"period": q.period.code})
    if q.level == "regional":
        context["map"] = choropleth(table, q.figure, query=map_query)
    else:
        context["map"] = district_choropleth(table, q.figure, query=map_query)
    context["map_figures"] = [f for f in table.figures]
    return render(request, "scorecard/index.html", context)


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's district and city maslikhats, with the regional maslikhat's own row."""
    area = sc.region_get(code=code)
    if area is None:
        raise Http404
    q = parse_query(request, level="district", region=area)
    table = sc.scorecard_build(period=q.period, level="district", region=area)
    regional = sc.scorecard_build(period=q.period, level="regional")
    context = _table_context(request, table, q)
    context["area"] = area
    context["map"] = district_choropleth(table, q.figure, query=urlencode({"period": q.period.code}))
    context["map_figures"] = list(table.figures)
    context["regional_row"] = next(
        (
            {"row": r, "cells": r.cells(regional.figures)}
            for r in regional.rows
            if r.body.area_code == area.code
        ),
        None,
    )
    return render(request, "scorecard/region.html", context)


@require_GET
def body(request: HttpRequest, pk: int) -> HttpResponse:
    """One maslikhat: its figures for the period and its monthly trends."""
    found = sc.scorecard_body(pk=pk)
    if found is None:
        raise Http404
    q = parse_query(request)
    last_month = min(sc.add_months(q.period.end, -1), timezone.localdate().replace(day=1))
    trend = sc.scorecard_trends(body=found, end=max(last_month, q.period.start))
    values = sc.compute(
        [found],
        [(q.period.start, q.period.end), (q.period.previous().start, q.period.previous().end)],
    )
    current, previous = values[0].get(found.id, {}), values[1].get(found.id, {})
    figures = [
        {
            "figure": f,
            "text": f.format(current.get(f.key)),
            "previous": f.format(previous.get(f.key)) if f.periodic else "",
        }
        for f in sc.FIGURES
    ]
    charts = [
        {
            "figure": f,
            "svg": trend_chart(f, trend.months, trend.series[f.key]),
            "points": [(m, f.format(v)) for m, v in zip(trend.months, trend.series[f.key], strict=True)],
        }
        for f in sc.FIGURES
        if f.key in TREND_FIGURES
    ]
    return render(
        request,
        "scorecard/body.html",
        {
            "body": found,
            "q": q,
            "figures": figures,
            "charts": charts,
            "trend": trend,
            "definitions": sc.FIGURES,
            **_page_context(q),
        },
    )


TREND_FIGURES = (
    "appeals_received",
    "appeals_answered_on_time_pct",
    "appeals_median_answer_days",
    "appeals_average_rating",
    "proposals_submitted",
)


# ------------------------------------------------------------------ exports


def _export_table(request: HttpRequest) -> tuple[sc.Scorecard, Query] | HttpResponse:
    q = parse_query(request)
    if q.error:
        return HttpResponse(q.error, status=400, content_type="text/plain; charset=utf-8")
    return sc.scorecard_build(period=q.period, level=q.level, region=q.region), q


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    found = _export_table(request)
    if isinstance(found, HttpResponse):
        return found
    table, q = found
    return exports.csv_response(table, rows=_rows(table, q))


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    found = _export_table(request)
    if isinstance(found, HttpResponse):
        return found
    table, q = found
    return exports.xlsx_response(table, rows=_rows(table, q))


@require_GET
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    found = _export_table(request)
    if isinstance(found, HttpResponse):
        return found
    table, q = found
    national = table if q.level == "regional" else sc.scorecard_build(period=q.period, level="regional")
    return exports.pdf_response(table, rows=_rows(table, q), national=national, figure=q.figure)
