"""API adapters for the scorecard (read-only public endpoints): the table as JSON and CSV, and
the written definitions of its figures. Columns come from the figures registry, so a figure
added by a later module appears here under its stable key."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator, StringConstraints

from maslikhat.core.exports import export_is_synthetic, synthetic_notice
from maslikhat.scorecard import selectors as sc
from maslikhat.scorecard.exports import csv_response

from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import Code, clean_api_text

router = Router(tags=["scorecard"])

ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}

PeriodText = Annotated[str, StringConstraints(max_length=10), AfterValidator(clean_api_text)]


class ScorecardQuery(Schema):
    period: PeriodText | None = Field(
        None, description="YYYY, YYYY-Qn or YYYY-MM; the current year when omitted"
    )
    level: Literal["regional", "district"] = Field("regional", description="regional or district maslikhats")
    region: Code | None = Field(None, description="with level=district: the region's area code")


class PeriodOut(Schema):
    code: str
    kind: str
    start: str
    end: str = Field(description="exclusive")


class ScorecardRowOut(Schema):
    body_id: int
    code: str = Field(description="the maslikhat's area code")
    name: str
    kind: str
    figures: dict[str, float | int | None] = Field(description="value per figure key (null: no value)")
    previous: dict[str, float | int | None] = Field(description="the same figures in the previous period")
    ranks: dict[str, int | None]
    change: dict[str, float | None]


class ScorecardOut(Schema):
    period: PeriodOut
    previous_period: PeriodOut
    level: str
    region: str | None
    figures: list[str] = Field(description="figure keys in column order (see /scorecard/definitions)")
    synthetic: bool = Field(
        description="true while the database holds synthetic demo data: the figures are not real"
    )
    notice: str = Field(description="what to tell readers about the data (empty for real data)")
    rows: list[ScorecardRowOut]


class DefinitionOut(Schema):
    key: str
    label: str
    definition: str
    unit: str
    higher_is_better: bool | None
    group: str
    periodic: bool


def _period_out(p: sc.Period) -> PeriodOut:
    return PeriodOut(code=p.code, kind=p.kind, start=p.start.isoformat(), end=p.end.isoformat())


def _table(q: ScorecardQuery) -> sc.Scorecard:
    try:
        period = sc.period_parse(q.period)
    except sc.PeriodError as e:
        raise ApiError(
            422,
            "validation_error",
            _("Some fields are not valid."),
            errors=[{"field": "period", "code": e.code, "message": str(e.message)}],
        ) from e
    region = None
    if q.region:
        region = sc.region_get(code=q.region)
        if region is None:
            raise ApiError(404, "not_found", _("No region with this code."))
    level = "district" if region is not None else q.level
    return sc.scorecard_build(period=period, level=level, region=region)


@router.get("/scorecard", response={200: ScorecardOut, **ERRORS}, summary="The scorecard of every maslikhat")
def scorecard(request: HttpRequest, q: Query[ScorecardQuery]) -> ScorecardOut:
    table = _table(q)
    synthetic = export_is_synthetic()
    changes = sc.previous_has_data(table)  # no change against a period without data
    return ScorecardOut(
        period=_period_out(table.period),
        previous_period=_period_out(table.previous_period),
        level=table.level,
        region=table.region.code if table.region is not None else None,
        figures=[f.key for f in table.figures],
        synthetic=synthetic,
        notice=synthetic_notice() if synthetic else "",
        rows=[
            ScorecardRowOut(
                body_id=r.body.id,
                code=r.body.area_code,
                name=r.body.name,
                kind=r.body.kind,
                figures={f.key: r.values.get(f.key) for f in table.figures},
                previous={f.key: r.previous.get(f.key) if f.periodic else None for f in table.figures},
                ranks={f.key: r.ranks.get(f.key) for f in table.figures},
                change={f.key: r.changes.get(f.key) if changes else None for f in table.figures},
            )
            for r in table.rows
        ],
    )


@router.get(
    "/scorecard.csv",
    response={200: None, **ERRORS},
    summary="The scorecard as CSV (UTF-8 with BOM; a header of figure keys)",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def scorecard_csv(request: HttpRequest, q: Query[ScorecardQuery]) -> HttpResponse:
    return csv_response(_table(q))


@router.get(
    "/scorecard/definitions",
    response=list[DefinitionOut],
    summary="What each figure of the scorecard means",
)
def definitions(request: HttpRequest) -> list[DefinitionOut]:
    return [
        DefinitionOut(
            key=f.key,
            label=str(f.label),
            definition=str(f.definition),
            unit=f.unit,
            higher_is_better=f.higher_is_better,
            group=str(f.group),
            periodic=f.periodic,
        )
        for f in sc.FIGURES
    ]
