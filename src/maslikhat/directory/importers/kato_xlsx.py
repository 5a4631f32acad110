"""An official KATO edition (the stat.gov.kz classifier as an .xlsx workbook).

Layout of the first worksheet: a header row, then one row per unit, in these columns::

    te | ab | cd | ef | hij | k | kaz_name | rus_name | nn

``te`` is the 9-digit code; ``ab``, ``cd``, ``ef`` and ``hij`` are its parts (region, district,
rural okrug or town, settlement) and must agree with it when given; ``kaz_name`` and
``rus_name`` are the Kazakh and Russian names (``name_kaz``/``name_rus`` are read as the same
columns); ``k`` and ``nn`` are read but not used. Rows above the header are skipped (the
workbook's title). The level comes from the code: ``ab0000000`` a region (regions come with the
reference data and are not changed), ``abcd00000`` a district or city, ``abcdef000`` a rural
okrug or town, anything else a settlement. A unit's parent is the nearest unit above it by
code, in the directory or in the file.

What an edition dated D does, never overwriting history:

- a unit not in the directory is opened: created with ``valid_from`` D;
- a unit whose Kazakh or Russian name changed keeps its old names as a former name (`AreaName`,
  valid until D) and takes the new ones;
- a unit in force that the edition no longer lists, inside a region the edition covers, is
  closed: ``valid_until`` D (``keep_missing`` turns this off). Nothing is deleted.

Every row is checked first; if any is bad nothing is written.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import AreaKind
from ..models import Area, AreaName, area_search_key
from ..text import normalise
from .common import (
    KATO_CODE,
    KATO_KINDS,
    ImportProblem,
    ImportResult,
    ImportValidationError,
    _log_import,
    _max_length,
    _refused_by_database,
)

XLSX_COLUMNS = ("te", "ab", "cd", "ef", "hij", "k", "kaz_name", "rus_name", "nn")
_ALIASES = {"name_kaz": "kaz_name", "name_rus": "rus_name", "kazname": "kaz_name", "rusname": "rus_name"}
_PARTS = (("ab", 0, 2), ("cd", 2, 4), ("ef", 4, 6), ("hij", 6, 9))
XLSX_KINDS = (*KATO_KINDS, AreaKind.TOWN)
_CITY = re.compile(r"(г\.\s*а\.|қ\.\s*ә\.|^г\.|\bгород\b|\bқаласы\b)", re.IGNORECASE)
_TOWN = re.compile(r"(^г\.|г\.\s*а\.?$|п\.\s*а\.?$|\bгород\b|қ\.\s*ә\.?$|\bкенті\b)", re.IGNORECASE)
# Words that say what kind of unit a name is: the directory writes "Абай ауданы" where an
# edition writes "Абайский район" or "АБАЙ АУДАНЫ"; only the stem is compared for those.
_KIND_WORDS = re.compile(
    r"\b(г|а|к|ә|э|п|с|о|раион|раиона|ауданы|аудан|каласы|кала|город|области|облысы|г а|к а)\b"
)


def level_of(code: str) -> int:
    if code[2:] == "0000000":
        return 1
    if code[4:] == "00000":
        return 2
    if code[6:] == "000":
        return 3
    return 4


def parent_codes(code: str) -> list[str]:
    """The codes above `code`, nearest first."""
    candidates = [code[:6] + "000", code[:4] + "00000", code[:2] + "0000000"]
    return [c for c in candidates if c != code and level_of(c) < level_of(code)]


def kind_for(level: int, name_kk: str, name_ru: str) -> str:
    if level == 2:
        return AreaKind.CITY if _CITY.search(name_ru) or _CITY.search(name_kk) else AreaKind.DISTRICT
    if level == 3:
        return (
            AreaKind.TOWN
            if _TOWN.search(name_ru.strip()) or _TOWN.search(name_kk.strip())
            else AreaKind.RURAL_OKRUG
        )
    return AreaKind.SETTLEMENT


def _stem(name: str) -> str:
    return " ".join(_KIND_WORDS.sub(" ", normalise(name)).split())


def _same_name(old: str, new: str, level: int) -> bool:
    if old == new:
        return True
    if level == 2:  # the directory's own form of a district's or city's name
        return _stem(old) == _stem(new)
    return normalise(old) == normalise(new)


@dataclass
class _Row:
    line: int
    code: str
    name_kk: str
    name_ru: str


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(path: Path) -> tuple[list[_Row], list[ImportProblem]]:
    import openpyxl

    name = path.name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportValidationError(
            [(name, 0, _("The file is not an Excel workbook (.xlsx): %(error)s") % {"error": exc})]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        columns: dict[str, int] | None = None
        rows: list[_Row] = []
        problems: list[ImportProblem] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if columns is None:
                labels = [_ALIASES.get(c.lower(), c.lower()) for c in cells]
                if "te" in labels and "rus_name" in labels:
                    columns = {label: i for i, label in enumerate(labels) if label}
                    missing = [c for c in XLSX_COLUMNS if c not in columns]
                    if missing:
                        raise ImportValidationError(
                            [
                                (
                                    name,
                                    line,
                                    _("The header lacks %(columns)s; the official layout is: %(layout)s.")
                                    % {"columns": ", ".join(missing), "layout": ", ".join(XLSX_COLUMNS)},
                                )
                            ]
                        )
                continue
            if not any(cells):
                continue

            def get(column: str, cells: list[str] = cells, columns: dict[str, int] = columns) -> str:
                i = columns[column]
                return cells[i] if i < len(cells) else ""

            code = get("te")
            if code.isdigit() and len(code) < 9:
                code = code.zfill(9)
            reasons = []
            if not KATO_CODE.fullmatch(code):
                reasons.append(_('te "%(value)s" must be a 9-digit KATO code.') % {"value": code})
            else:
                for column, start, end in _PARTS:
                    part = get(column)
                    if part and part.zfill(end - start) != code[start:end]:
                        reasons.append(
                            _('%(column)s "%(value)s" does not agree with the code %(code)s.')
                            % {"column": column, "value": part, "code": code}
                        )
            problems += [ImportProblem(name, line, r) for r in reasons]
            if not reasons:
                rows.append(_Row(line, code, get("kaz_name"), get("rus_name")))
        if columns is None:
            raise ImportValidationError(
                [
                    (
                        name,
                        0,
                        _("No header row found; the official layout is: %(layout)s.")
                        % {"layout": ", ".join(XLSX_COLUMNS)},
                    )
                ]
            )
        return rows, problems
    finally:
        workbook.close()


def _region_areas() -> dict[str, Area]:
    """The region of each KATO region prefix (regions carry ISO codes, not KATO codes)."""
    from ..reference_country import CITY_REGION_PREFIXES, read_districts

    iso = {**CITY_REGION_PREFIXES, **{d.kato[:2]: d.region_iso for d in read_districts()}}
    regions = {
        a.iso_code: a for a in Area.objects.filter(kind=AreaKind.REGION).only("id", "iso_code", "kind")
    }
    return {prefix: regions[code] for prefix, code in iso.items() if code in regions}


def import_kato_xlsx(
    *, path: Path, edition: date, actor: Any = None, keep_missing: bool = False
) -> ImportResult:
    """Apply an official KATO edition dated `edition` (layout and rules: the module docstring)."""
    name = path.name
    rows, problems = _read_rows(path)
    result = ImportResult.empty(name, ["areas", "former names"])
    source = f"KATO (stat.gov.kz), edition {edition.isoformat()} ({name})"
    length = _max_length(Area, "name_kk")
    with _refused_by_database(name), transaction.atomic():
        regions = _region_areas()
        managed = Q(kind__in=XLSX_KINDS) & Q(code__regex=r"^[0-9]{9}$")
        existing = {a.code: a for a in Area.objects.filter(managed).defer("boundary", "boundary_web")}
        first_line: dict[str, int] = {}
        in_file: dict[str, _Row] = {}
        for row in rows:
            if row.code in first_line:
                problems.append(
                    ImportProblem(
                        name,
                        row.line,
                        _("The code %(code)s already appears on line %(line)d.")
                        % {"code": row.code, "line": first_line[row.code]},
                    )
                )
                continue
            first_line[row.code] = row.line
            in_file[row.code] = row
            level = level_of(row.code)
            if level == 1:
                if row.code[:2] not in regions:
                    problems.append(
                        ImportProblem(name, row.line, _("Unknown region code %(code)s.") % {"code": row.code})
                    )
                continue
            if not row.name_kk and not row.name_ru:
                problems.append(
                    ImportProblem(name, row.line, _("The unit has neither a Kazakh nor a Russian name."))
                )
            for column, value in (("kaz_name", row.name_kk), ("rus_name", row.name_ru)):
                if len(value) > length:
                    problems.append(
                        ImportProblem(
                            name,
                            row.line,
                            _("%(column)s is longer than %(max)d characters.")
                            % {"column": column, "max": length},
                        )
                    )
            if row.code[:2] not in regions:
                problems.append(
                    ImportProblem(
                        name, row.line, _("The code %(code)s is in no known region.") % {"code": row.code}
                    )
                )
            elif level > 2 and not any(c in existing or c in first_line for c in parent_codes(row.code)[:-1]):
                problems.append(
                    ImportProblem(
                        name,
                        row.line,
                        _("No unit above %(code)s is in the directory or earlier in the file.")
                        % {"code": row.code},
                    )
                )
        if problems:
            raise ImportValidationError(sorted(problems, key=lambda p: p[1]))

        now = timezone.now()
        to_update: list[Area] = []
        former: list[AreaName] = []
        created: dict[str, Area] = {}
        for level in (2, 3, 4):
            new: list[Area] = []
            for row in rows:
                if level_of(row.code) != level:
                    continue
                area = existing.get(row.code)
                if area is None:
                    parent = next(
                        (
                            created.get(c) or existing.get(c)
                            for c in parent_codes(row.code)[:-1]
                            if c in created or c in existing
                        ),
                        None,
                    )
                    area = Area(
                        code=row.code,
                        kato_code=row.code,
                        kind=kind_for(level, row.name_kk, row.name_ru),
                        parent=parent or regions[row.code[:2]],
                        name_kk=row.name_kk,
                        name_ru=row.name_ru,
                        valid_from=edition,
                        source=source,
                    )
                    area.search_key = area_search_key(area)
                    new.append(area)
                    created[row.code] = area
                    result.count("areas", "created")
                    continue
                renamed = {
                    field: value
                    for field, value in (("name_kk", row.name_kk), ("name_ru", row.name_ru))
                    if value and not _same_name(getattr(area, field), value, level)
                }
                if renamed:
                    former.append(
                        AreaName(
                            area=area,
                            name_kk=area.name_kk,
                            name_ru=area.name_ru,
                            name_en=area.name_en,
                            valid_until=edition,
                            source=source,
                        )
                    )
                    for field, value in renamed.items():
                        setattr(area, field, value)
                    area.search_key = area_search_key(area)
                    area.updated_at = now
                    to_update.append(area)
                    result.count("areas", "updated")
                    result.count("former names", "created")
                else:
                    result.count("areas", "unchanged")
            Area.objects.bulk_create(new, batch_size=2000)
        Area.objects.bulk_update(
            to_update, ["name_kk", "name_ru", "search_key", "updated_at"], batch_size=2000
        )
        AreaName.objects.bulk_create(former, batch_size=2000)

        if not keep_missing:
            covered = {code[:2] for code in in_file}
            closing = [
                a
                for code, a in existing.items()
                if code not in in_file
                and code[:2] in covered
                and a.valid_until is None
                and (a.valid_from is None or a.valid_from < edition)
            ]
            for a in closing:
                a.valid_until = edition
                a.updated_at = now
            Area.objects.bulk_update(closing, ["valid_until", "updated_at"], batch_size=2000)
            result.closed = len(closing)
            result.updated["areas"] += len(closing)
        _log_import(actor=actor, event="directory.import_kato", result=result)
    return result
