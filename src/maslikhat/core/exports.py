"""Cells of every export (CSV, XLSX, any future spreadsheet) pass through `export_cell`.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
one that starts with a tab or a carriage return) as a formula: a body's or a person's name typed
as ``=HYPERLINK(...)`` or ``@SUM(...)`` would run on the reader's machine (OWASP "CSV
injection"). Such text is neutralised by a leading single quote, which spreadsheet programs show
as text. Numbers are not text: a negative count stays a number (and a number in XLSX). Text that
is only a plain decimal number ("-5", "+7701...") cannot call anything and is left as written.

`xlsx_append` writes one worksheet row: text cells explicitly as strings (never a formula,
whatever openpyxl would guess), without the control characters that XLSX cannot hold.

While the database holds synthetic demo data (`core.synthetic`), every export says so, so no
reader publishes demo figures as real: CSV and XLSX begin with `synthetic_notice()` as a banner
row, the PDF carries it on every page and in its metadata, the file name begins with
`synthetic-demo-` (`export_filename`) and the response has the header `X-Synthetic-Data: demo`
(`mark_synthetic`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .synthetic import synthetic_data_present

# OWASP: the characters that start a formula in Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# XML 1.0 forbids these (openpyxl raises IllegalCharacterError on them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export_cell(value: Any) -> Any:
    """The value as an export cell: text that would start a formula gets a leading ``'``;
    numbers, dates, flags and None come back unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def export_row(values: Iterable[Any]) -> list[Any]:
    """`export_cell` over a row."""
    return [export_cell(v) for v in values]


def xlsx_cell(ws: Any, value: Any) -> Any:
    """One openpyxl cell for `ws`: numbers stay numbers, dates dates, None empty; any other
    value a neutralised string cell (data type "s": "=1+1" is text, not a formula)."""
    from openpyxl.cell.cell import Cell

    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return Cell(ws, value=value)
    cell = Cell(ws, value=_XLSX_ILLEGAL.sub("", str(export_cell(str(value)))))
    cell.data_type = "s"
    return cell


def xlsx_append(ws: Any, values: Iterable[Any]) -> None:
    """Append one row of `xlsx_cell`s to an openpyxl worksheet."""
    ws.append([xlsx_cell(ws, v) for v in values])


SYNTHETIC_HEADER = "X-Synthetic-Data"
SYNTHETIC_PREFIX = "synthetic-demo-"


def synthetic_notice() -> str:
    """The banner of an export made from synthetic demo data (in the active language)."""
    return _(
        "SYNTHETIC DEMO DATA: these records were invented to demonstrate the platform; "
        "they are not real figures. Do not publish them."
    )


def export_is_synthetic() -> bool:
    """Whether exports made now must be marked as synthetic (one answer: core.synthetic)."""
    return synthetic_data_present()


def export_filename(name: str, *, synthetic: bool) -> str:
    """The download's file name: `synthetic-demo-<name>` while the data is synthetic."""
    return SYNTHETIC_PREFIX + name if synthetic else name


def csv_banner(writer: Any, *, synthetic: bool) -> None:
    """Write the synthetic-data banner as the first CSV row (nothing for real data)."""
    if synthetic:
        writer.writerow([synthetic_notice()])


def mark_synthetic(response: HttpResponse, *, synthetic: bool) -> HttpResponse:
    """Label a response built from synthetic data with `X-Synthetic-Data: demo`."""
    if synthetic:
        response[SYNTHETIC_HEADER] = "demo"
    return response
