"""Cells of every export (CSV, XLSX, any future spreadsheet) pass through `export_cell`.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
one that starts with a tab or a carriage return) as a formula: a body's or a person's name typed
as ``=HYPERLINK(...)`` or ``@SUM(...)`` would run on the reader's machine (OWASP "CSV
injection"). Such text is neutralised by a leading single quote, which spreadsheet programs show
as text. Numbers are not text: a negative count stays a number (and a number in XLSX). Text that
is only a plain decimal number ("-5", "+7701...") cannot call anything and is left as written.

`xlsx_append` writes one worksheet row: text cells explicitly as strings (never a formula,
whatever openpyxl would guess), without the control characters that XLSX cannot hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
