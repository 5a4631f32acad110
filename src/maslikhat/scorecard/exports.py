"""Scorecard exports: CSV (UTF-8 with a BOM, so Excel reads Cyrillic), XLSX (openpyxl) and the
printable PDF briefing for a council meeting (fpdf2: the table, the map, the national trends).

Every column comes from the figures registry. The PDF's font ships with the app
(scorecard/fonts/DejaVuSans*.ttf, see the LICENSE there): no system font path is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from maslikhat.core.exports import (
    csv_banner,
    export_filename,
    export_is_synthetic,
    export_row,
    mark_synthetic,
    synthetic_notice,
    xlsx_append,
)

from .map import PALETTE, choropleth
from .selectors import FIGURES, Figure, Row, Scorecard, previous_has_data, scorecard_total_trend

FONTS = Path(__file__).resolve().parent / "fonts"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(table: Scorecard, ext: str, *, synthetic: bool) -> str:
    region = f"-{table.region.code}" if table.region is not None else ""
    return export_filename(f"scorecard-{table.period.code}-{table.level}{region}.{ext}", synthetic=synthetic)


def _raw(value: Any) -> Any:
    return "" if value is None else value


# ------------------------------------------------------------------ CSV

CSV_HEAD = ["area_code", "name", "period"]


def csv_text(table: Scorecard, rows: Sequence[Row] | None = None, *, synthetic: bool = False) -> str:
    """The table as CSV: a header of stable keys, one row per maslikhat, blank for no value;
    text that would start a formula is neutralised. Synthetic data: a banner row first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    csv_banner(writer, synthetic=synthetic)
    writer.writerow([*CSV_HEAD, *(f.key for f in table.figures)])
    for r in table.rows if rows is None else rows:
        writer.writerow(
            export_row(
                [
                    r.body.area_code,
                    r.body.name,
                    table.period.code,
                    *(_raw(r.values.get(f.key)) for f in table.figures),
                ]
            )
        )
    return out.getvalue()


def csv_response(table: Scorecard, *, rows: Sequence[Row] | None = None) -> HttpResponse:
    synthetic = export_is_synthetic()
    response = HttpResponse(
        ("\ufeff" + csv_text(table, rows, synthetic=synthetic)).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv", synthetic=synthetic)}"'
    return mark_synthetic(response, synthetic=synthetic)


# ------------------------------------------------------------------ XLSX

NUMBER_FORMATS = {"count": "#,##0", "per_10k": "0.0", "pct": "0.0", "days": "0.0", "rating": "0.00"}


def xlsx_bytes(table: Scorecard, rows: Sequence[Row] | None = None, *, synthetic: bool = False) -> bytes:
    """A workbook: "scorecard" (translated labels over stable keys, one row per maslikhat, then
    rank columns) and "definitions". Every row goes through `xlsx_append`: text cells are
    strings, never formulas. Synthetic data: a red banner row above every sheet's table and the
    notice in the workbook's properties."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has its sheet
    ws.title = "scorecard"
    wb.properties.title = _("Scorecard of the maslikhats, %(period)s") % {"period": table.period.code}
    wb.properties.creator = "Maslikhat"
    banner_font = Font(bold=True, color="FFFFFF")
    banner_fill = PatternFill("solid", fgColor="B00020")

    def banner(sheet: Any) -> None:
        if synthetic:
            xlsx_append(sheet, [synthetic_notice()])
            sheet["A1"].font = banner_font
            sheet["A1"].fill = banner_fill

    if synthetic:
        wb.properties.subject = synthetic_notice()
        wb.properties.keywords = "synthetic demo data"
        wb.properties.description = synthetic_notice()
    banner(ws)
    top = 2 if synthetic else 1
    figures = table.figures
    labels = [_("Area code"), _("Maslikhat"), *(str(f.label) for f in figures)]
    labels += [_("Rank: %(figure)s") % {"figure": f.label} for f in figures]
    keys = ["area_code", "name", *(f.key for f in figures), *(f"{f.key}_rank" for f in figures)]
    xlsx_append(ws, labels)
    xlsx_append(ws, keys)
    for cell in ws[top]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[top + 1]:
        cell.font = Font(italic=True, color="666666")
    for r in table.rows if rows is None else rows:
        xlsx_append(
            ws,
            [
                r.body.area_code,
                r.body.name,
                *(r.values.get(f.key) for f in figures),
                *(r.ranks.get(f.key) for f in figures),
            ],
        )
    for i, f in enumerate(figures, start=3):
        for (cell,) in ws.iter_rows(min_row=top + 2, min_col=i, max_col=i):
            cell.number_format = NUMBER_FORMATS.get(f.unit, "General")
    ws.column_dimensions["B"].width = 40
    ws.freeze_panes = f"C{top + 2}"
    defs = wb.create_sheet("definitions")
    banner(defs)
    xlsx_append(defs, [_("Key"), _("Figure"), _("Definition"), _("Unit"), _("Better when")])
    for f in figures:
        xlsx_append(defs, [f.key, str(f.label), str(f.definition), f.unit, _better(f)])
    defs.column_dimensions["C"].width = 90
    info = wb.create_sheet("about")
    banner(info)
    if synthetic:
        xlsx_append(info, [_("Data"), _("synthetic demo data")])
    xlsx_append(info, [_("Period"), table.period.code])
    xlsx_append(info, [_("Level"), table.level])
    xlsx_append(info, [_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _better(f: Figure) -> str:
    if f.higher_is_better is None:
        return _("a volume: neither")
    return _("higher") if f.higher_is_better else _("lower")


def xlsx_response(table: Scorecard, *, rows: Sequence[Row] | None = None) -> HttpResponse:
    synthetic = export_is_synthetic()
    response = HttpResponse(xlsx_bytes(table, rows, synthetic=synthetic), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(table, "xlsx", synthetic=synthetic)}"'
    )
    return mark_synthetic(response, synthetic=synthetic)


# ------------------------------------------------------------------ PDF briefing


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def pdf_bytes(
    table: Scorecard,
    *,
    rows: Sequence[Row] | None = None,
    national: Scorecard | None = None,
    figure: Figure | None = None,
    synthetic: bool = False,
) -> bytes:
    """The briefing: the table with ranks and change, the map of the regions by one figure,
    the national monthly trends and the definitions."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    figure = figure or FIGURES[3]
    national = national or table
    notice = synthetic_notice() if synthetic else ""

    class Briefing(FPDF):
        def header(self) -> None:
            # Synthetic data: a red band on top of every page, before anything else is drawn.
            if notice:
                self.set_font("DejaVu", "B", 9)
                self.set_fill_color(176, 0, 32)
                self.set_text_color(255, 255, 255)
                self.cell(0, 7, notice, fill=True, align="C", new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0, 0, 0)
                self.ln(1)

    pdf = Briefing(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_("Scorecard of the maslikhats"))
    pdf.set_creator("Maslikhat")
    if synthetic:
        pdf.set_subject(notice)
        pdf.set_keywords("synthetic demo data")
    title = _("Scorecard of the maslikhats, %(period)s") % {"period": table.period.code}
    if previous_has_data(table):
        subtitle = _("Change against %(period)s; rank among the maslikhats of the table.") % {
            "period": table.previous_period.code
        }
    else:
        subtitle = _(
            "Rank among the maslikhats of the table; no change is shown: %(period)s has no data."
        ) % {"period": table.previous_period.code}
    if table.region is not None:
        title += f" — {table.region.name}"

    # --- the table
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    figures = table.figures
    changes = previous_has_data(table)
    name_w = 46.0
    col_w = (pdf.epw - name_w) / max(len(figures), 1)
    pdf.set_font("DejaVu", "", 6)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 236, 242))
    with pdf.table(
        col_widths=(name_w, *([col_w] * len(figures))),
        text_align=("LEFT", *(["RIGHT"] * len(figures))),
        headings_style=heading,
        line_height=3.2,
        repeat_headings=1,
    ) as t:
        head = t.row()
        head.cell(_("Maslikhat"))
        for f in figures:
            head.cell(str(f.label))
        for r in table.rows if rows is None else rows:
            line = t.row()
            line.cell(r.body.name)
            for cell in r.cells(figures):
                rank = f"#{cell.rank}" if cell.rank is not None else ""
                shown = changes and cell.change_text and cell.change_text != "—"
                change = f" {cell.change_text}" if shown else ""
                line.cell(f"{cell.text}\n{rank}{change}")

    # --- the map
    chart = choropleth(national, figure)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(
        0,
        7,
        _("%(figure)s by region, %(period)s") % {"figure": figure.label, "period": national.period.code},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if chart.outlines is not None:
        p = chart.outlines.projection
        box_w, box_h = pdf.epw * 0.78, 150.0
        k = min(box_w / p.width, box_h / p.height)
        x0, y0 = pdf.l_margin, pdf.get_y() + 2
        pdf.set_draw_color(255, 255, 255)
        pdf.set_line_width(0.2)
        for region in chart.outlines.regions:
            pdf.set_fill_color(*_hex(chart.colours.get(region.code, "#e0e0e0")))
            for ring in region.rings:
                if len(ring) < 3:
                    continue
                pdf.polygon([(x0 + x * k, y0 + y * k) for x, y in ring], style="DF")
        lx = x0 + p.width * k + 6
        ly = y0
        pdf.set_font("DejaVu", "", 8)
        for c in chart.legend:
            pdf.set_fill_color(*_hex(c.colour))
            pdf.rect(lx, ly, 6, 4, style="F")
            pdf.set_xy(lx + 8, ly)
            pdf.cell(40, 4, c.label)
            ly += 6
        pdf.set_fill_color(224, 224, 224)
        pdf.rect(lx, ly, 6, 4, style="F")
        pdf.set_xy(lx + 8, ly)
        pdf.cell(40, 4, _("no data"))
        pdf.set_xy(pdf.l_margin, y0 + p.height * k + 4)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 4, f"{figure.label}: {figure.definition}")

    # --- national trends
    trend = scorecard_total_trend(bodies=[r.body for r in national.rows], period=national.period)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, _("Trends by month, all regional maslikhats together"), new_x="LMARGIN", new_y="NEXT")
    by_key = {f.key: f for f in FIGURES}
    top = pdf.get_y() + 2
    chart_w, chart_h = (pdf.epw - 10) / 2, 70.0
    for i, (key, series) in enumerate(trend.series.items()):
        f = by_key[key]
        x = pdf.l_margin + (i % 2) * (chart_w + 10)
        y = top + (i // 2) * (chart_h + 12)
        _pdf_chart(pdf, f, trend.months, series, x, y, chart_w, chart_h)

    # --- definitions
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, _("Definitions"), new_x="LMARGIN", new_y="NEXT")
    for f in figures:
        pdf.set_font("DejaVu", "B", 8)
        pdf.multi_cell(0, 4, str(f.label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(0, 4, f"{f.definition} [{f.key}]", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.set_font("DejaVu", "", 7)
    pdf.cell(0, 5, _("Generated %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    return bytes(pdf.output())


def _pdf_chart(
    pdf: Any, f: Figure, months: Sequence[Any], series: Sequence[Any], x: float, y: float, w: float, h: float
) -> None:
    pdf.set_font("DejaVu", "B", 8)
    pdf.set_xy(x, y)
    pdf.cell(w, 4, str(f.label))
    values = [float(v) for v in series if v is not None]
    top = 100.0 if f.unit == "pct" else 5.0 if f.unit == "rating" else max(values, default=0.0) or 1.0
    base = y + h
    inner_top = y + 6
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x, base, x + w, base)
    pdf.set_font("DejaVu", "", 6)
    pdf.set_xy(x, inner_top - 3)
    pdf.cell(20, 3, f.format(top))
    step = w / max(len(months), 1)
    r, g, b = _hex(PALETTE[3])
    pdf.set_fill_color(r, g, b)
    pdf.set_draw_color(r, g, b)
    previous: tuple[float, float] | None = None
    for i, (month, v) in enumerate(zip(months, series, strict=True)):
        cx = x + step * i + step / 2
        pdf.set_xy(cx - step / 2, base + 0.5)
        pdf.cell(step, 3, f"{month:%m}", align="C")
        if v is None:
            previous = None
            continue
        vy = base - (base - inner_top) * min(float(v), top) / top
        if f.unit == "count":
            pdf.rect(cx - step * 0.35, vy, step * 0.7, base - vy, style="F")
        else:
            pdf.circle(x=cx, y=vy, radius=0.8, style="F")
            if previous is not None:
                pdf.line(previous[0], previous[1], cx, vy)
            previous = (cx, vy)


def pdf_response(
    table: Scorecard,
    *,
    rows: Sequence[Row] | None = None,
    national: Scorecard | None = None,
    figure: Figure | None = None,
) -> HttpResponse:
    synthetic = export_is_synthetic()
    response = HttpResponse(
        pdf_bytes(table, rows=rows, national=national, figure=figure, synthetic=synthetic),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(table, "pdf", synthetic=synthetic)}"'
    return mark_synthetic(response, synthetic=synthetic)
