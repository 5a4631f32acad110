"""KATO-style CSV of administrative units (districts, cities, rural okrugs, settlements)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import (
    ADMINISTRATIVE_LEVEL,
    AreaKind,
)
from ..models import Area
from ..services import (
    area_upsert,
)
from .common import (
    KATO_CODE,
    KATO_COLUMNS,
    KATO_KINDS,
    KATO_OPTIONAL_COLUMNS,
    KATO_REQUIRED_COLUMNS,
    LANGUAGES,
    MAX_POSITIVE_INT,
    ImportProblem,
    ImportResult,
    ImportValidationError,
    _coordinate_problem,
    _log_import,
    _max_length,
    _parse_date,
    _read_text,
    _refused_by_database,
)


@dataclass
class _KatoRow:
    line: int
    code: str
    parent_code: str
    parent_id: int | None  # the parent already in the directory, when not in this file
    target: Area | None  # the area this row updates
    values: dict[str, Any]


def _csv_records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on; one problem when the CSV is malformed."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
    except csv.Error as exc:
        raise ImportValidationError(
            [(name, previous + 1, _("The file is not valid CSV: %(error)s.") % {"error": exc})]
        ) from None
    return records


def _kato_header(name: str, line: int, cells: list[str]) -> list[str]:
    columns = [c.strip().lower() for c in cells]
    known = (*KATO_COLUMNS, *KATO_OPTIONAL_COLUMNS)
    problems = [
        (
            name,
            line,
            _('Unknown column "%(column)s"; the columns are: %(columns)s.')
            % {"column": c, "columns": ",".join(known)},
        )
        for c in columns
        if c not in known
    ]
    problems += [
        (name, line, _('The column "%(column)s" appears twice.') % {"column": c})
        for c in sorted({c for c in columns if columns.count(c) > 1})
    ]
    problems += [
        (name, line, _('The required column "%(column)s" is missing.') % {"column": c})
        for c in KATO_REQUIRED_COLUMNS
        if c not in columns
    ]
    if problems:
        raise ImportValidationError(problems)
    return columns


def _kato_numbers(cells: dict[str, str], values: dict[str, Any], reasons: list[str]) -> None:
    """Centre and population: parsed into `values` when given, else reasons why not."""
    coordinates: dict[str, float | None] = {}
    for column in ("centre_lat", "centre_lon"):
        raw = cells.get(column, "")
        try:
            coordinates[column] = float(raw) if raw else None
        except ValueError:
            reasons.append(_('%(column)s "%(value)s" is not a number.') % {"column": column, "value": raw})
    if len(coordinates) == 2:
        lat, lon = coordinates["centre_lat"], coordinates["centre_lon"]
        problem = _coordinate_problem(lat, lon)
        if problem:
            reasons.append(problem)
        elif lat is not None:
            values.update(centre_lat=lat, centre_lon=lon)
    raw = cells.get("population", "")
    if raw:
        if raw.isascii() and raw.isdigit() and int(raw) <= MAX_POSITIVE_INT:
            values["population"] = int(raw)
        else:
            reasons.append(_('population "%(value)s" is not a whole number.') % {"value": raw})


def _kato_dates(
    cells: dict[str, str], target: Area | None, values: dict[str, Any], reasons: list[str]
) -> None:
    for column in KATO_OPTIONAL_COLUMNS:
        raw = cells.get(column, "")
        if raw:
            try:
                values[column] = _parse_date(raw)
            except ValueError:
                reasons.append(
                    _('%(column)s "%(value)s" is not a date (YYYY-MM-DD).') % {"column": column, "value": raw}
                )
    start = values.get("valid_from", target.valid_from if target else None)
    end = values.get("valid_until", target.valid_until if target else None)
    if start is not None and end is not None and end <= start:
        reasons.append(_("valid_until must be after valid_from."))


def _kato_plan(name: str, columns: list[str], records: list[tuple[int, list[str]]]) -> list[_KatoRow]:
    problems: list[ImportProblem] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for line, record in records:
        if len(record) != len(columns):
            problems.append(
                ImportProblem(
                    name,
                    line,
                    _("Expected %(expected)d fields, found %(found)d.")
                    % {"expected": len(columns), "found": len(record)},
                )
            )
            continue
        rows.append((line, {c: v.strip() for c, v in zip(columns, record, strict=True)}))
    first_line: dict[str, int] = {}
    for line, cells in rows:
        first_line.setdefault(cells["kato_code"], line)

    areas = list(Area.objects.defer("boundary", "boundary_web"))
    by_code = {a.code: a for a in areas}
    by_kato: dict[str, list[Area]] = defaultdict(list)
    for a in areas:
        if a.kato_code:
            by_kato[a.kato_code].append(a)

    def in_directory(code: str) -> Area | None:
        if code in by_code:
            return by_code[code]
        found = by_kato.get(code, [])
        return found[0] if len(found) == 1 else None

    name_length = _max_length(Area, "name_kk")
    kinds_in_file: dict[str, str | None] = {}
    plan: list[_KatoRow] = []
    for line, cells in rows:
        reasons: list[str] = []
        code, kind, parent_code = cells["kato_code"], cells["kind"], cells["parent_code"]
        target: Area | None = None
        code_ok = bool(KATO_CODE.fullmatch(code))
        if not code_ok:
            reasons.append(_('kato_code "%(value)s" must be 9 digits.') % {"value": code})
        elif first_line[code] != line:
            code_ok = False
            reasons.append(
                _("kato_code %(code)s already appears on line %(line)d.")
                % {"code": code, "line": first_line[code]}
            )
        elif code not in by_code and len(by_kato.get(code, [])) > 1:
            reasons.append(
                _("Several areas have the KATO code %(code)s: %(areas)s.")
                % {"code": code, "areas": ", ".join(a.code for a in by_kato[code])}
            )
        else:
            target = in_directory(code)
            if target is not None and target.kind not in KATO_KINDS:
                reasons.append(
                    _("Area %(code)s is a %(kind)s; a KATO import changes only %(kinds)s.")
                    % {"code": target.code, "kind": target.kind, "kinds": ", ".join(KATO_KINDS)}
                )
        if kind not in KATO_KINDS:
            reasons.append(
                _('Unknown kind "%(kind)s"; use one of: %(kinds)s.')
                % {"kind": kind, "kinds": ", ".join(KATO_KINDS)}
            )
        values: dict[str, Any] = {"kind": kind, "kato_code": code}
        for lang in LANGUAGES:
            column = f"name_{lang}"
            text = cells.get(column, "")
            if len(text) > name_length:
                reasons.append(
                    _("%(column)s is longer than %(max)d characters.")
                    % {"column": column, "max": name_length}
                )
            elif text:
                values[column] = text
        if not cells["name_kk"]:
            reasons.append(_("name_kk (the name in Kazakh) is required."))

        parent_id: int | None = None
        parent_kind: str | None = None
        if not parent_code:
            reasons.append(_("parent_code is required."))
        elif parent_code == code:
            reasons.append(_("An area cannot be its own parent."))
        elif parent_code in kinds_in_file:
            parent_kind = kinds_in_file[parent_code]
        elif (
            (parent := in_directory(parent_code)) is not None
            and target is not None
            and parent.pk == target.pk
        ):
            reasons.append(_("An area cannot be its own parent."))
        elif parent is not None:
            parent_id, parent_kind = parent.pk, parent.kind
        elif parent_code in first_line:
            reasons.append(
                _("The parent %(code)s comes later, on line %(line)d; list parents before their children.")
                % {"code": parent_code, "line": first_line[parent_code]}
            )
        else:
            reasons.append(
                _("The parent %(code)s is neither in the directory nor on an earlier line.")
                % {"code": parent_code}
            )
        if (
            kind in KATO_KINDS
            and parent_kind is not None
            and not ADMINISTRATIVE_LEVEL.get(AreaKind(parent_kind), 99) < ADMINISTRATIVE_LEVEL[AreaKind(kind)]
        ):
            reasons.append(
                _("A %(kind)s cannot lie inside %(parent)s, which is a %(parent_kind)s.")
                % {"kind": kind, "parent": parent_code, "parent_kind": parent_kind}
            )
        _kato_numbers(cells, values, reasons)
        _kato_dates(cells, target, values, reasons)
        if code_ok:
            kinds_in_file[code] = kind if kind in KATO_KINDS else None
        problems += [ImportProblem(name, line, reason) for reason in reasons]
        if not reasons:
            plan.append(_KatoRow(line, code, parent_code, parent_id, target, values))
    if problems:
        raise ImportValidationError(sorted(problems, key=lambda p: p[1]))
    return plan


def import_kato(*, path: Path, actor: Any = None) -> ImportResult:
    """Import the administrative units of a KATO-style CSV file (layout: the module docstring)."""
    name = path.name
    records = _csv_records(_read_text(path), name)
    if not records:
        raise ImportValidationError(
            [
                (
                    name,
                    0,
                    _("The file is empty; it needs a header line: %(columns)s.")
                    % {"columns": ",".join(KATO_COLUMNS)},
                )
            ]
        )
    header_line, header = records[0]
    columns = _kato_header(name, header_line, header)
    result = ImportResult.empty(name, ["areas"])
    with _refused_by_database(name), transaction.atomic():
        plan = _kato_plan(name, columns, records[1:])
        written: dict[str, int] = {}
        for row in plan:
            defaults = {**row.values, "parent_id": written.get(row.parent_code, row.parent_id)}
            if row.target is None:
                area, _created = area_upsert(
                    actor=actor,
                    code=row.code,
                    defaults={**defaults, "source": f"KATO import ({name})"},
                    log=False,
                )
                result.count("areas", "created")
            elif any(getattr(row.target, k) != v for k, v in defaults.items()):
                area, _created = area_upsert(actor=actor, code=row.target.code, defaults=defaults, log=False)
                result.count("areas", "updated")
            else:
                area = row.target
                result.count("areas", "unchanged")
            written[row.code] = area.pk
        _log_import(actor=actor, event="directory.import_kato", result=result)
    return result


# ------------------------------------------------------------------------------------------ GeoJSON
