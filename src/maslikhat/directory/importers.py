"""Imports of what operators bring: KATO-style CSV, GeoJSON boundaries and Popolo JSON.

Every import reads and validates the whole file first. When any row is bad it writes nothing
and raises `ImportValidationError`, whose `errors` list every problem as `(file, line, reason)`:
`line` is the CSV line number, the 1-based feature number of a GeoJSON file, or the 1-based
record number within a Popolo collection (the file is then named `name#collection`); 0 stands
for the file as a whole. A good file is written through the directory services in one
transaction, as the system (`actor=None` unless given), and one summary ActionLog row
(`directory.import_kato`, `directory.import_geojson`, `directory.import_popolo`; public; data:
the counts) is written when the import changed anything. Importing the same file again changes
nothing.

KATO CSV
--------
UTF-8 (a byte-order mark is accepted), comma-separated, a header line naming the columns in any
order; the usual layout is::

    kato_code,kind,name_kk,name_ru,name_en,parent_code,centre_lat,centre_lon,population

=========== ======== ===========================================================================
column      required meaning
=========== ======== ===========================================================================
kato_code   yes      9 digits; it becomes the area's code (an area whose code or KATO code it
                     already is gets updated instead)
kind        yes      district, city, city_district, rural_okrug or settlement
name_kk     yes      the name in Kazakh
name_ru     no       the name in Russian
name_en     no       the name in English
parent_code yes      the parent's KATO code or area code (e.g. ``KZ-19``), found in the
                     directory or on an earlier line; it must be a higher administrative level
centre_lat  no       latitude of the centre, WGS84 degrees inside Kazakhstan (with centre_lon)
centre_lon  no       longitude of the centre
population  no       a whole number
valid_from  no       YYYY-MM-DD: the first day the unit exists
valid_until no       YYYY-MM-DD: the first day it no longer exists
=========== ======== ===========================================================================

An empty optional cell leaves what the directory holds unchanged.

GeoJSON boundaries
------------------
A FeatureCollection of Polygon/MultiPolygon features (WGS84 lon/lat), for any level. A
property (default ``code``) holds the area code (or KATO code). A feature whose area exists sets
that area's boundary. Any other feature creates an electoral constituency, which needs the
maslikhat it elects (the `body` argument, or a ``body`` property with the organization's slug)
and a ``number`` property; ``name_kk``, ``name_ru``, ``name_en`` properties are optional. The
property names can be changed with `FeatureProperties`.

Popolo JSON
-----------
The document `exports.popolo_document` writes: ``areas``, ``organizations``, ``persons``,
``posts`` and ``memberships`` (any may be missing), so an export imports back unchanged.
Areas are matched by code (their ``id``), organizations by slug (their ``id``). Persons have no
identifier shared between installations: a person is the existing one with exactly the same
kk/ru/en names and demo flag (the n-th such person in the file is the n-th such person in the
directory), otherwise a new one; existing persons are not modified. Posts are matched like
`services.post_upsert` does (organization, role, area, start date, English label), memberships by
person, organization, role, start date and post; an open membership that the file ends gets
ended. Other references (``person_id``, ``post_id``) point into the same file. A key that is
missing from a record leaves what the directory holds unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import DataError, IntegrityError, models, transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping

from maslikhat.core.audit import log_action
from maslikhat.core.models import Visibility

from . import geo
from .choices import (
    ADMINISTRATIVE_LEVEL,
    MASLIKHAT_KINDS,
    AreaKind,
    ElectionMethod,
    OrganizationKind,
    PostRole,
)
from .models import Area, Membership, Organization, Person, Post
from .services import (
    area_upsert,
    membership_end,
    membership_start,
    organization_upsert,
    person_create,
    post_upsert,
)

# Sub-regional administrative units a KATO file may carry (regions come with the reference data).
KATO_KINDS: tuple[str, ...] = (
    AreaKind.DISTRICT,
    AreaKind.CITY,
    AreaKind.CITY_DISTRICT,
    AreaKind.RURAL_OKRUG,
    AreaKind.SETTLEMENT,
)
KATO_COLUMNS = (
    "kato_code",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "parent_code",
    "centre_lat",
    "centre_lon",
    "population",
)
KATO_OPTIONAL_COLUMNS = ("valid_from", "valid_until")
KATO_REQUIRED_COLUMNS = ("kato_code", "kind", "name_kk", "parent_code")
KATO_CODE = re.compile(r"[0-9]{9}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Kazakhstan lies within lat 40.5–55.5, lon 46.5–87.4; a centre outside this box is a typo or
# swapped coordinates.
KZ_LAT = (40.0, 56.0)
KZ_LON = (46.0, 88.0)
MAX_POSITIVE_INT = 2_147_483_647  # PositiveIntegerField on PostgreSQL
LANGUAGES = ("kk", "ru", "en")

Outcome = Literal["created", "updated", "unchanged"]


class ImportProblem(NamedTuple):
    """One reason a file was rejected."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ImportValidationError(Exception):
    """The file was rejected and nothing was written; `errors` lists every problem found."""

    def __init__(self, errors: Iterable[tuple[str, int, str]]) -> None:
        self.errors: list[ImportProblem] = [ImportProblem(*e) for e in errors]
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ImportResult:
    """What an import did, per kind of record (areas, organizations, ...)."""

    file: str
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]

    @classmethod
    def empty(cls, file: str, kinds: Iterable[str]) -> ImportResult:
        kinds = list(kinds)
        return cls(file, dict.fromkeys(kinds, 0), dict.fromkeys(kinds, 0), dict.fromkeys(kinds, 0))

    def count(self, kind: str, outcome: Outcome) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def as_data(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }

    def summary(self) -> list[str]:
        """One translated line per kind of record, for a command's output."""
        return [
            _("%(kind)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {
                "kind": kind,
                "created": self.created[kind],
                "updated": self.updated[kind],
                "unchanged": self.unchanged[kind],
            }
            for kind in self.created
        ]


# ------------------------------------------------------------------------------------------ helpers


def _read_text(path: Path) -> str:
    """The file as text; one clear problem when it cannot be read or is not UTF-8 text."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportValidationError(
            [(name, 0, _("The file cannot be read: %(reason)s.") % {"reason": exc.strerror or exc})]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportValidationError(
            [(name, line, _("The file is not UTF-8 text; save it as UTF-8 and try again."))]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportValidationError(
            [(name, line, _("The file contains NUL characters; it is not a text file."))]
        )
    return text


def _read_json(path: Path) -> Any:
    text = _read_text(path)

    def no_constants(value: str) -> None:
        raise ValueError(value)

    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            [(path.name, exc.lineno, _("The file is not valid JSON: %(error)s.") % {"error": exc.msg})]
        ) from None
    except (ValueError, RecursionError):
        raise ImportValidationError(
            [(path.name, 0, _("The file is not valid JSON (NaN, Infinity or nesting too deep)."))]
        ) from None


@contextmanager
def _refused_by_database(name: str) -> Iterator[None]:
    """A database refusal the validation did not foresee still writes nothing and reads clearly."""
    try:
        yield
    except (IntegrityError, DataError) as exc:
        raise ImportValidationError(
            [
                (
                    name,
                    0,
                    _("The database refused the import, so nothing was written: %(error)s") % {"error": exc},
                )
            ]
        ) from exc


def _max_length(model: type[models.Model], field_name: str) -> int:
    length = getattr(model._meta.get_field(field_name), "max_length", None)
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{field_name} has no max_length")
    return length


def _parse_date(value: str) -> date:
    """A YYYY-MM-DD date; ValueError otherwise."""
    if not ISO_DATE.fullmatch(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def _coordinate_problem(lat: float | None, lon: float | None) -> str | None:
    if (lat is None) != (lon is None):
        return _("centre_lat and centre_lon go together: give both or neither.")
    if lat is None or lon is None:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return _("The centre %(lat)s, %(lon)s is not a WGS84 latitude and longitude.") % {
            "lat": lat,
            "lon": lon,
        }
    if not (KZ_LAT[0] <= lat <= KZ_LAT[1] and KZ_LON[0] <= lon <= KZ_LON[1]):
        return _(
            "The centre %(lat)s, %(lon)s lies outside Kazakhstan; are latitude and longitude swapped?"
        ) % {"lat": lat, "lon": lon}
    return None


def _plain(geometry: dict[str, Any]) -> dict[str, Any]:
    """A geometry as the JSON column gives it back (lists, not tuples), so it compares equal."""
    plain: dict[str, Any] = json.loads(json.dumps(geometry))
    return plain


def _dependency_order(parents: dict[str, str | None]) -> tuple[list[str], set[str]]:
    """Ids ordered so that a parent in `parents` comes before its children, and the ids on a
    cycle (which cannot be ordered)."""
    children: dict[str, list[str]] = defaultdict(list)
    roots: list[str] = []
    for ident, parent in parents.items():
        if parent is not None and parent in parents and parent != ident:
            children[parent].append(ident)
        else:  # a parent outside the file, or itself (reported on its own)
            roots.append(ident)
    order: list[str] = []
    stack = list(reversed(roots))
    while stack:
        ident = stack.pop()
        order.append(ident)
        stack.extend(reversed(children[ident]))
    placed = set(order)
    return order, {ident for ident in parents if ident not in placed}


def _log_import(*, actor: Any, event: str, result: ImportResult) -> None:
    if result.changed:
        log_action(actor=actor, event=event, visibility=Visibility.PUBLIC, data=result.as_data())


# ------------------------------------------------------------------------------------------ KATO CSV


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


@dataclass(frozen=True)
class FeatureProperties:
    """The names of the feature properties that hold each value."""

    code: str = "code"
    body: str = "body"
    number: str = "number"
    name_kk: str = "name_kk"
    name_ru: str = "name_ru"
    name_en: str = "name_en"


@dataclass
class _FeaturePlan:
    code: str
    boundary: dict[str, Any]
    target_id: int | None = None  # an existing area whose boundary is set
    values: dict[str, Any] = field(default_factory=dict)  # a new constituency


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def _whole_number(value: Any) -> int | None:
    """An int from 5, 5.0 or "5" (GIS tools write all three); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _geojson_plan(
    name: str, features: list[Any], props: FeatureProperties, body: str | None, valid_from: date | None
) -> list[_FeaturePlan]:
    problems: list[ImportProblem] = []
    areas = {a["code"]: a for a in Area.objects.values("id", "code", "kato_code")}
    by_kato: dict[str, list[int]] = defaultdict(list)
    for a in areas.values():
        if a["kato_code"]:
            by_kato[a["kato_code"]].append(a["id"])
    bodies = {o["slug"]: o for o in Organization.objects.values("id", "slug", "kind", "area_id")}
    code_length = _max_length(Area, "code")
    name_length = _max_length(Area, "name_kk")
    first_index: dict[str, int] = {}
    numbers: dict[tuple[str, int], int] = {}
    plan: list[_FeaturePlan] = []
    for index, feature in enumerate(features, start=1):
        reasons: list[str] = []

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(ImportProblem(name, index, _("This is not a GeoJSON Feature.")))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            problems.append(ImportProblem(name, index, _("The feature's properties must be an object.")))
            continue
        code = _scalar_text(properties.get(props.code))
        if not code:
            reasons.append(
                _('The feature has no "%(property)s" property (the area code).') % {"property": props.code}
            )
        elif len(code) > code_length:
            reasons.append(_("The area code is longer than %(max)d characters.") % {"max": code_length})
        elif code in first_index:
            reasons.append(
                _("The area code %(code)s already appears in feature %(index)d.")
                % {"code": code, "index": first_index[code]}
            )
        else:
            first_index[code] = index
        boundary: dict[str, Any] | None = None
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict):
            reasons.append(_("The feature has no geometry."))
        else:
            try:
                boundary = _plain(dict(mapping(geo.to_shape(geometry))))
            except geo.GeometryError as exc:
                reasons.append(_("The geometry is not usable: %(error)s.") % {"error": exc})
        if reasons or boundary is None:
            problems += [ImportProblem(name, index, r) for r in reasons]
            continue
        target_id: int | None = areas[code]["id"] if code in areas else None
        if target_id is None and len(by_kato.get(code, [])) == 1:
            target_id = by_kato[code][0]
        if target_id is not None:
            plan.append(_FeaturePlan(code=code, boundary=boundary, target_id=target_id))
            continue
        # A new electoral constituency.
        slug = body or _scalar_text(properties.get(props.body))
        organization = bodies.get(slug)
        if not slug:
            reasons.append(
                _(
                    "The area %(code)s is not in the directory; to create a constituency give its maslikhat "
                    '(a "%(property)s" property or the body option).'
                )
                % {"code": code, "property": props.body}
            )
        elif organization is None:
            reasons.append(_('Unknown organization "%(slug)s".') % {"slug": slug})
        elif organization["kind"] not in MASLIKHAT_KINDS:
            reasons.append(_('The organization "%(slug)s" is not a maslikhat.') % {"slug": slug})
        number = _whole_number(properties.get(props.number))
        if number is None or not 1 <= number <= MAX_POSITIVE_INT:
            reasons.append(
                _('A new constituency needs a positive whole "%(property)s" property.')
                % {"property": props.number}
            )
        elif slug and (slug, number) in numbers:
            reasons.append(
                _("Constituency No. %(number)d of %(slug)s already appears in feature %(index)d.")
                % {"number": number, "slug": slug, "index": numbers[(slug, number)]}
            )
        else:
            numbers[(slug, number)] = index
        names: dict[str, str] = {}
        for lang in LANGUAGES:
            key = getattr(props, f"name_{lang}")
            value = properties.get(key)
            if value is not None and not isinstance(value, str):
                reasons.append(_('The "%(property)s" property must be text.') % {"property": key})
            elif value and len(value.strip()) > name_length:
                reasons.append(
                    _('"%(property)s" is longer than %(max)d characters.')
                    % {"property": key, "max": name_length}
                )
            elif value and value.strip():
                names[f"name_{lang}"] = value.strip()
        if reasons or organization is None or number is None:
            problems += [ImportProblem(name, index, r) for r in reasons]
            continue
        values = {
            "kind": AreaKind.CONSTITUENCY,
            "parent_id": organization["area_id"],
            "body_id": organization["id"],
            "number": number,
            "name_kk": f"№{number} сайлау округі",
            "name_ru": f"Избирательный округ №{number}",
            "name_en": f"Constituency No. {number}",
            **names,
            "valid_from": valid_from,
            "source": f"GeoJSON import ({name})",
        }
        plan.append(_FeaturePlan(code=code, boundary=boundary, values=values))
    if problems:
        raise ImportValidationError(problems)
    return plan


def import_geojson(
    *,
    path: Path,
    actor: Any = None,
    properties: FeatureProperties | None = None,
    body: str | None = None,
    valid_from: date | None = None,
) -> ImportResult:
    """Set the boundaries of existing areas and create electoral constituencies from a GeoJSON
    FeatureCollection. `body` is the slug of the maslikhat every new constituency elects (else each
    feature's body property names it); `valid_from` is the first day of new constituencies."""
    name = path.name
    props = properties or FeatureProperties()
    data = _read_json(path)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportValidationError([(name, 0, _("The file is not a GeoJSON FeatureCollection."))])
    if body is not None and not Organization.objects.filter(slug=body, kind__in=MASLIKHAT_KINDS).exists():
        raise ImportValidationError(
            [(name, 0, _('"%(slug)s" is not a maslikhat in the directory.') % {"slug": body})]
        )
    result = ImportResult.empty(name, ["areas"])
    with _refused_by_database(name), transaction.atomic():
        plan = _geojson_plan(name, data["features"], props, body, valid_from)
        target_ids = [p.target_id for p in plan if p.target_id is not None]
        stored: dict[int, tuple[str, Any]] = {}
        for start in range(0, len(target_ids), 500):
            rows = Area.objects.filter(pk__in=target_ids[start : start + 500]).values_list(
                "pk", "code", "boundary"
            )
            stored.update((pk, (code, boundary)) for pk, code, boundary in rows)
        for p in plan:
            if p.target_id is None:
                area_upsert(
                    actor=actor, code=p.code, defaults={**p.values, "boundary": p.boundary}, log=False
                )
                result.count("areas", "created")
            elif stored[p.target_id][1] == p.boundary:
                result.count("areas", "unchanged")
            else:
                code = stored[p.target_id][0]
                area_upsert(actor=actor, code=code, defaults={"boundary": p.boundary}, log=False)
                result.count("areas", "updated")
        _log_import(actor=actor, event="directory.import_geojson", result=result)
    return result


# ------------------------------------------------------------------------------------------ Popolo

COLLECTIONS = ("areas", "organizations", "persons", "posts", "memberships")
_url_validator = URLValidator()


class _Record:
    """One Popolo record under validation. The readers note problems at the record's place and
    gather model field values in `values` (only for keys the record has)."""

    def __init__(self, raw: Any, *, file: str, line: int, problems: list[ImportProblem]) -> None:
        self.file = file
        self.line = line
        self.problems = problems
        self.valid_shape = isinstance(raw, dict)
        self.raw: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.values: dict[str, Any] = {}
        self.reported = 0
        if not self.valid_shape:
            self.error(_("A record must be a JSON object."))

    @property
    def ok(self) -> bool:
        return self.reported == 0

    def error(self, reason: str) -> None:
        self.problems.append(ImportProblem(self.file, self.line, reason))
        self.reported += 1

    def reference(
        self, key: str, *, required: bool = False, known: Iterable[str] | None = None
    ) -> str | None:
        """An identifier of a record in this file or the directory."""
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.error(_('"%(key)s" is required.') % {"key": key})
            return None
        if not isinstance(value, str):
            self.error(_('"%(key)s" must be a string.') % {"key": key})
            return None
        if known is not None and value not in known:
            self.error(
                _('%(key)s "%(value)s" is neither in this file nor in the directory.')
                % {"key": key, "value": value}
            )
            return None
        return value

    def text(
        self, key: str, field_name: str, *, max_length: int, validate: Callable[[str], Any] | None = None
    ) -> None:
        if key not in self.raw:
            return
        value = self.raw[key]
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(_('"%(key)s" must be a string.') % {"key": key})
        elif len(value) > max_length:
            self.error(_('"%(key)s" is longer than %(max)d characters.') % {"key": key, "max": max_length})
        else:
            if value and validate is not None:
                try:
                    validate(value)
                except ValidationError:
                    self.error(_('"%(key)s" is not valid: %(value)s') % {"key": key, "value": value})
                    return
            self.values[field_name] = value

    def translations(self, key: str, *, max_length: int, required: bool) -> None:
        """`<key>_translations` {"kk", "ru", "en"} into fields `<key>_kk`...; a bare `<key>` fills
        the Kazakh field when there are no translations."""
        texts = self.raw.get(f"{key}_translations")
        if texts is None and isinstance(self.raw.get(key), str):
            texts = {"kk": self.raw[key]}
        if texts is None:
            if required:
                self.error(_('"%(key)s" is required.') % {"key": f"{key}_translations"})
            return
        if not isinstance(texts, dict):
            self.error(_('"%(key)s" must be an object with kk, ru and en.') % {"key": f"{key}_translations"})
            return
        for lang in LANGUAGES:
            if lang not in texts:
                continue
            value = texts[lang] or ""
            if not isinstance(value, str):
                self.error(_('"%(key)s" must be a string.') % {"key": f"{key}_translations.{lang}"})
            elif len(value) > max_length:
                self.error(
                    _('"%(key)s" is longer than %(max)d characters.')
                    % {"key": f"{key}_translations.{lang}", "max": max_length}
                )
            else:
                self.values[f"{key}_{lang}"] = value
        if required and not self.values.get(f"{key}_kk", "").strip():
            self.error(
                _("The %(key)s in Kazakh (%(field)s) is required.")
                % {"key": key, "field": f"{key}_translations.kk"}
            )

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.error(_('"%(key)s" is required.') % {"key": key})
            elif key in self.raw:
                self.values[key] = None
            return None
        try:
            parsed = _parse_date(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(_('"%(key)s" must be a date (YYYY-MM-DD).') % {"key": key})
            return None
        self.values[key] = parsed
        return parsed

    def period(self, start_key: str, end_key: str, *, start_required: bool) -> None:
        start = self.day(start_key, required=start_required)
        end = self.day(end_key)
        if start is not None and end is not None and end <= start:
            self.error(_('"%(end)s" must be after "%(start)s".') % {"end": end_key, "start": start_key})

    def integer(self, key: str, field_name: str, *, minimum: int) -> None:
        if key not in self.raw:
            return
        value = self.raw[key]
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_POSITIVE_INT
        ):
            self.error(_('"%(key)s" must be a whole number from %(min)d.') % {"key": key, "min": minimum})
            return
        self.values[field_name] = value

    def choice(self, key: str, field_name: str, choices: Iterable[str], *, required: bool) -> None:
        value = self.raw.get(key)
        allowed = list(choices)
        if value in (None, ""):
            if required:
                self.error(_('"%(key)s" is required.') % {"key": key})
            elif key in self.raw:
                self.values[field_name] = ""
            return
        if value not in allowed:
            self.error(
                _('%(key)s "%(value)s" is not one of: %(choices)s.')
                % {"key": key, "value": value, "choices": ", ".join(allowed)}
            )
            return
        self.values[field_name] = value

    def flag(self, key: str = "is_demo") -> None:
        if key not in self.raw:
            return
        if not isinstance(self.raw[key], bool):
            self.error(_('"%(key)s" must be true or false.') % {"key": key})
            return
        self.values[key] = self.raw[key]

    def contacts(self, fields: dict[str, tuple[str, int, Callable[[str], Any] | None]]) -> None:
        """Popolo `contact_details` [{"type", "value"}] into the fields for the types in `fields`."""
        if "contact_details" not in self.raw:
            return
        details = self.raw["contact_details"] or []
        if not isinstance(details, list) or not all(isinstance(d, dict) for d in details):
            self.error(_('"contact_details" must be a list of {"type", "value"} objects.'))
            return
        given = {d.get("type"): d.get("value") for d in details}
        unknown = sorted(str(t) for t in given if t not in fields)
        if unknown:
            self.error(
                _("Unknown contact types: %(types)s; known: %(known)s.")
                % {"types": ", ".join(unknown), "known": ", ".join(fields)}
            )
        scratch = _Record(
            {k: given.get(k) or "" for k in fields}, file=self.file, line=self.line, problems=self.problems
        )
        for kind, (field_name, max_length, validate) in fields.items():
            scratch.text(kind, field_name, max_length=max_length, validate=validate)
        self.reported += scratch.reported
        self.values.update(scratch.values)

    def website(self, field_name: str = "website") -> None:
        """Popolo `links` [{"url", "note"}]: the one noted "website" (or the first)."""
        if "links" not in self.raw:
            return
        links = self.raw["links"] or []
        if not isinstance(links, list) or not all(isinstance(d, dict) for d in links):
            self.error(_('"links" must be a list of {"url", "note"} objects.'))
            return
        chosen = next((d for d in links if d.get("note") == "website"), links[0] if links else {})
        scratch = _Record(
            {"url": chosen.get("url") or ""}, file=self.file, line=self.line, problems=self.problems
        )
        scratch.text("url", field_name, max_length=200, validate=_url_validator)
        self.reported += scratch.reported
        self.values.update(scratch.values)


@dataclass
class _PopoloPlan:
    areas: dict[str, _Record] = field(default_factory=dict)
    area_order: list[str] = field(default_factory=list)
    organizations: dict[str, _Record] = field(default_factory=dict)
    organization_order: list[str] = field(default_factory=list)
    persons: dict[str, _Record] = field(default_factory=dict)
    posts: dict[str, _Record] = field(default_factory=dict)
    memberships: list[_Record] = field(default_factory=list)


def _records(
    name: str, data: dict[str, Any], collection: str, problems: list[ImportProblem]
) -> list[_Record]:
    raw = data.get(collection)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(ImportProblem(f"{name}#{collection}", 0, _("This must be a list of records.")))
        return []
    return [
        _Record(r, file=f"{name}#{collection}", line=i, problems=problems) for i, r in enumerate(raw, start=1)
    ]


def _identified(records: list[_Record], *, max_length: int, slug: bool = False) -> dict[str, _Record]:
    """The records by their `id`, noting missing, malformed and repeated ids."""
    by_id: dict[str, _Record] = {}
    for record in records:
        ident = record.reference("id", required=record.valid_shape)
        if ident is None:
            continue
        if len(ident) > max_length:
            record.error(_('"id" is longer than %(max)d characters.') % {"max": max_length})
        elif slug and not _valid(validate_slug, ident):
            record.error(_('"id" must contain only letters, digits, hyphens and underscores.'))
        elif ident in by_id:
            record.error(
                _('The id "%(id)s" already appears in record %(line)d.')
                % {"id": ident, "line": by_id[ident].line}
            )
        else:
            by_id[ident] = record
    return by_id


def _valid(validator: Callable[[str], Any], value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _in_order(records: dict[str, _Record], key: str) -> list[str]:
    """Ids with parents (by `key`, within the file) first; records on a cycle get a problem."""
    order, cyclic = _dependency_order(
        {ident: r.raw.get(key) if isinstance(r.raw.get(key), str) else None for ident, r in records.items()}
    )
    for ident in sorted(cyclic, key=lambda i: records[i].line):
        records[ident].error(
            _('"%(key)s" makes a cycle: a record cannot be its own ancestor.') % {"key": key}
        )
    return order


def _popolo_plan(name: str, data: dict[str, Any]) -> _PopoloPlan:
    problems: list[ImportProblem] = []
    raw = {c: _records(name, data, c, problems) for c in COLLECTIONS}
    plan = _PopoloPlan()
    plan.areas = _identified(raw["areas"], max_length=_max_length(Area, "code"))
    plan.organizations = _identified(
        raw["organizations"], max_length=_max_length(Organization, "slug"), slug=True
    )
    plan.persons = _identified(raw["persons"], max_length=200)
    plan.posts = _identified(raw["posts"], max_length=200)
    plan.memberships = raw["memberships"]
    area_ids = set(plan.areas) | set(Area.objects.values_list("code", flat=True))
    org_ids = set(plan.organizations) | set(Organization.objects.values_list("slug", flat=True))

    area_name = _max_length(Area, "name_kk")
    for record in raw["areas"]:
        if not record.valid_shape:
            continue
        record.choice("classification", "kind", AreaKind.values, required=True)
        record.translations("name", max_length=area_name, required=True)
        record.reference("parent_id", known=area_ids)
        if record.raw.get("parent_id") is not None and record.raw.get("parent_id") == record.raw.get("id"):
            record.error(_("An area cannot be its own parent."))
        record.reference("body_id", known=org_ids)
        record.integer("number", "number", minimum=1)
        record.integer("population", "population", minimum=0)
        record.period("valid_from", "valid_until", start_required=False)
        record.flag()
        _area_identifiers(record)
        _area_centre(record, max_length=_max_length(Area, "centre_kk"))
    plan.area_order = _in_order(plan.areas, "parent_id")

    org_name = _max_length(Organization, "name_kk")
    for record in raw["organizations"]:
        if not record.valid_shape:
            continue
        record.choice("classification", "kind", OrganizationKind.values, required=True)
        record.translations("name", max_length=org_name, required=True)
        if "description_translations" in record.raw or "description" in record.raw:
            record.translations("description", max_length=1_000_000, required=False)
        record.reference("parent_id", known=org_ids)
        if record.raw.get("parent_id") is not None and record.raw.get("parent_id") == record.raw.get("id"):
            record.error(_("An organization cannot be its own parent."))
        record.reference("area_id", known=area_ids)
        record.period("founding_date", "dissolution_date", start_required=True)
        record.integer("seats", "seats", minimum=0)
        record.flag()
        record.contacts(
            {
                "email": ("email", _max_length(Organization, "email"), validate_email),
                "phone": ("phone", _max_length(Organization, "phone"), None),
                "address": ("address", _max_length(Organization, "address"), None),
            }
        )
        record.website()
    plan.organization_order = _in_order(plan.organizations, "parent_id")

    for record in raw["persons"]:
        if not record.valid_shape:
            continue
        record.translations("name", max_length=_max_length(Person, "name_kk"), required=True)
        if "biography_translations" in record.raw or "biography" in record.raw:
            record.translations("biography", max_length=1_000_000, required=False)
        record.text("sort_name", "sort_name", max_length=_max_length(Person, "sort_name"))
        record.text("gender", "gender", max_length=_max_length(Person, "gender"))
        record.flag()
        record.contacts(
            {
                "email": ("email", _max_length(Person, "email"), validate_email),
                "phone": ("phone", _max_length(Person, "phone"), None),
            }
        )
        record.website()

    for record in raw["posts"]:
        if not record.valid_shape:
            continue
        record.reference("organization_id", required=True, known=org_ids)
        record.choice("role", "role", PostRole.values, required=True)
        record.translations("label", max_length=_max_length(Post, "label_kk"), required=True)
        record.reference("area_id", known=area_ids)
        record.period("start_date", "end_date", start_required=True)
        record.flag()

    for record in raw["memberships"]:
        if not record.valid_shape:
            continue
        record.reference("person_id", required=True, known=plan.persons)
        organization = record.reference("organization_id", required=True, known=org_ids)
        post_id = record.reference("post_id", known=plan.posts)
        if (
            post_id is not None
            and organization is not None
            and plan.posts[post_id].raw.get("organization_id") != organization
        ):
            record.error(_('The post "%(post)s" belongs to another organization.') % {"post": post_id})
        record.reference("on_behalf_of_id", known=org_ids)
        record.choice("role", "role", PostRole.values, required=True)
        record.choice("election_method", "election_method", ElectionMethod.values, required=False)
        record.period("start_date", "end_date", start_required=True)
        record.flag()
    if problems:
        problems.sort(key=lambda p: (COLLECTIONS.index(p.file.rsplit("#", 1)[1]), p.line))
        raise ImportValidationError(problems)
    return plan


def _area_identifiers(record: _Record) -> None:
    """Popolo `identifiers` [{"scheme", "identifier"}] → iso_code and kato_code."""
    if "identifiers" not in record.raw:
        return
    items = record.raw["identifiers"] or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        record.error(_('"identifiers" must be a list of {"scheme", "identifier"} objects.'))
        return
    given = {i.get("scheme"): i.get("identifier") for i in items}
    iso = given.get("ISO 3166-2") or ""
    kato = given.get("KATO") or ""
    if not isinstance(iso, str) or len(iso) > _max_length(Area, "iso_code"):
        record.error(_("The ISO 3166-2 identifier is not valid."))
    elif not isinstance(kato, str) or (kato and not KATO_CODE.fullmatch(kato)):
        record.error(_("The KATO identifier must be 9 digits."))
    else:
        record.values.update(iso_code=iso, kato_code=kato)


def _area_centre(record: _Record, *, max_length: int) -> None:
    """`centre` {"lat", "lon", "name_translations"} → centre_lat, centre_lon, centre_kk...."""
    if "centre" not in record.raw:
        return
    centre = record.raw["centre"] or {}
    if not isinstance(centre, dict):
        record.error(_('"centre" must be an object with lat, lon and name_translations.'))
        return
    lat, lon = centre.get("lat"), centre.get("lon")
    if any(v is not None and (isinstance(v, bool) or not isinstance(v, int | float)) for v in (lat, lon)):
        record.error(_("The centre's lat and lon must be numbers."))
        return
    problem = _coordinate_problem(lat, lon)
    if problem:
        record.error(problem)
        return
    record.values.update(centre_lat=lat, centre_lon=lon)
    scratch = _Record(
        {"centre_translations": centre.get("name_translations") or {}},
        file=record.file,
        line=record.line,
        problems=record.problems,
    )
    scratch.translations("centre", max_length=max_length, required=False)
    record.reported += scratch.reported
    record.values.update(scratch.values)


def _write_counted(
    result: ImportResult,
    kind: str,
    existing: Any,
    values: dict[str, Any],
    source: str,
    upsert: Callable[..., tuple[Any, bool]],
    **key: Any,
) -> Any:
    """Create (with its source), update when something differs, or leave a record; count which.
    `upsert` is a directory service called with `key`, the defaults and log=False."""
    if existing is None:
        result.count(kind, "created")
        return upsert(defaults={**values, "source": source}, log=False, **key)[0]
    if _differs(existing, values):
        result.count(kind, "updated")
        return upsert(defaults=values, log=False, **key)[0]
    result.count(kind, "unchanged")
    return existing


def _differs(obj: models.Model, values: dict[str, Any]) -> bool:
    return any(getattr(obj, k) != v for k, v in values.items())


def _match_in_order(
    keys: list[tuple[Any, ...]], existing: dict[tuple[Any, ...], list[Any]]
) -> list[Any | None]:
    """For each key in file order, the next unused existing object with that key (or None), so
    that the n-th record with a key is the n-th object with it, import after import."""
    used: dict[tuple[Any, ...], int] = defaultdict(int)
    matched: list[Any | None] = []
    for key in keys:
        candidates = existing.get(key, [])
        matched.append(candidates[used[key]] if used[key] < len(candidates) else None)
        used[key] += 1
    return matched


def import_popolo(*, path: Path, actor: Any = None) -> ImportResult:
    """Import areas, organizations, persons, posts and memberships from Popolo JSON in the shape
    that `exports.popolo_document` writes (matching rules: the module docstring)."""
    name = path.name
    data = _read_json(path)
    if not isinstance(data, dict):
        raise ImportValidationError([(name, 0, _("The file is not a Popolo JSON object."))])
    result = ImportResult.empty(name, COLLECTIONS)
    with _refused_by_database(name), transaction.atomic():
        plan = _popolo_plan(name, data)
        source = f"Popolo import ({name})"
        area_pk = dict(Area.objects.values_list("code", "pk"))
        org_pk = dict(Organization.objects.values_list("slug", "pk"))

        # Areas first; a constituency's body may be an organization that does not exist yet.
        existing_areas = Area.objects.defer("boundary", "boundary_web").in_bulk(
            list(plan.areas), field_name="code"
        )
        later_bodies: dict[str, str] = {}
        for code in plan.area_order:
            record = plan.areas[code]
            values = dict(record.values)
            if "parent_id" in record.raw:
                values["parent_id"] = (
                    area_pk.get(record.raw["parent_id"]) if record.raw["parent_id"] else None
                )
            if "body_id" in record.raw:
                body = record.raw["body_id"]
                if body and body not in org_pk:
                    later_bodies[code] = body
                else:
                    values["body_id"] = org_pk.get(body) if body else None
            area = _write_counted(
                result, "areas", existing_areas.get(code), values, source, area_upsert, actor=actor, code=code
            )
            area_pk[code] = area.pk

        existing_orgs = Organization.objects.in_bulk(list(plan.organizations), field_name="slug")
        for slug in plan.organization_order:
            record = plan.organizations[slug]
            values = dict(record.values)
            for key in ("parent_id", "area_id"):
                if key in record.raw:
                    ref = record.raw[key]
                    values[key] = (org_pk if key == "parent_id" else area_pk).get(ref) if ref else None
            org = _write_counted(
                result,
                "organizations",
                existing_orgs.get(slug),
                values,
                source,
                organization_upsert,
                actor=actor,
                slug=slug,
            )
            org_pk[slug] = org.pk
        for code, body in later_bodies.items():
            area_upsert(actor=actor, code=code, defaults={"body_id": org_pk[body]}, log=False)

        person_pk = _write_persons(plan, actor=actor, result=result, source=source)
        post_pk = _write_posts(plan, actor=actor, result=result, org_pk=org_pk, area_pk=area_pk)
        _write_memberships(
            plan,
            actor=actor,
            result=result,
            org_pk=org_pk,
            person_pk=person_pk,
            post_pk=post_pk,
            source=source,
        )
        _log_import(actor=actor, event="directory.import_popolo", result=result)
    return result


def _person_key(values: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        values.get("name_kk", ""),
        values.get("name_ru", ""),
        values.get("name_en", ""),
        values.get("is_demo", False),
    )


def _write_persons(plan: _PopoloPlan, *, actor: Any, result: ImportResult, source: str) -> dict[str, int]:
    ids = list(plan.persons)
    keys = [_person_key(plan.persons[i].values) for i in ids]
    existing: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    rows = Person.objects.filter(name_kk__in={k[0] for k in keys}).order_by("id")
    for row in rows.values("id", "name_kk", "name_ru", "name_en", "is_demo"):
        existing[_person_key(row)].append(row["id"])
    person_pk: dict[str, int] = {}
    for ident, pk in zip(ids, _match_in_order(keys, existing), strict=True):
        if pk is None:
            pk = person_create(actor=actor, log=False, **plan.persons[ident].values, source=source).pk
            result.count("persons", "created")
        else:
            result.count("persons", "unchanged")
        person_pk[ident] = pk
    return person_pk


def _write_posts(
    plan: _PopoloPlan, *, actor: Any, result: ImportResult, org_pk: dict[str, int], area_pk: dict[str, int]
) -> dict[str, int]:
    organizations = Organization.objects.in_bulk(
        {org_pk[r.raw["organization_id"]] for r in plan.posts.values()}
    )
    areas = Area.objects.defer("boundary", "boundary_web").in_bulk(
        {area_pk[r.raw["area_id"]] for r in plan.posts.values() if r.raw.get("area_id")}
    )
    existing = {
        (p.organization_id, p.role, p.area_id, p.start_date, p.label_en): p
        for p in Post.objects.filter(organization_id__in=list(organizations)).order_by("-id")
    }
    post_pk: dict[str, int] = {}
    for ident, record in plan.posts.items():
        organization = organizations[org_pk[record.raw["organization_id"]]]
        area = areas[area_pk[record.raw["area_id"]]] if record.raw.get("area_id") else None
        defaults = {k: v for k, v in record.values.items() if k != "role"}
        defaults.setdefault("label_en", "")
        role = record.values["role"]
        known = existing.get(
            (organization.pk, role, area.pk if area else None, defaults["start_date"], defaults["label_en"])
        )
        if known is None:
            result.count("posts", "created")
        elif _differs(known, defaults):
            result.count("posts", "updated")
        else:
            result.count("posts", "unchanged")
        post, _created = post_upsert(
            actor=actor, organization=organization, role=role, area=area, defaults=defaults
        )
        existing[(organization.pk, role, post.area_id, post.start_date, post.label_en)] = post
        post_pk[ident] = post.pk
    return post_pk


def _write_memberships(
    plan: _PopoloPlan,
    *,
    actor: Any,
    result: ImportResult,
    org_pk: dict[str, int],
    person_pk: dict[str, int],
    post_pk: dict[str, int],
    source: str,
) -> None:
    def key(
        person_id: int, organization_id: int, role: str, start: date, post_id: int | None
    ) -> tuple[Any, ...]:
        return (person_id, organization_id, role, start, post_id)

    wanted = []
    for record in plan.memberships:
        raw = record.raw
        wanted.append(
            key(
                person_pk[raw["person_id"]],
                org_pk[raw["organization_id"]],
                record.values["role"],
                record.values["start_date"],
                post_pk[raw["post_id"]] if raw.get("post_id") else None,
            )
        )
    existing: dict[tuple[Any, ...], list[Membership]] = defaultdict(list)
    person_ids = sorted({k[0] for k in wanted})
    for start in range(0, len(person_ids), 500):
        for m in Membership.objects.filter(person_id__in=person_ids[start : start + 500]).order_by("id"):
            existing[key(m.person_id, m.organization_id, m.role, m.start_date, m.post_id)].append(m)
    organizations = Organization.objects.in_bulk(
        {k[1] for k in wanted}
        | {org_pk[r.raw["on_behalf_of_id"]] for r in plan.memberships if r.raw.get("on_behalf_of_id")}
    )
    persons = Person.objects.in_bulk({k[0] for k in wanted})
    posts = Post.objects.in_bulk({k[4] for k in wanted if k[4] is not None})
    for record, wanted_key, membership in zip(
        plan.memberships, wanted, _match_in_order(wanted, existing), strict=True
    ):
        values = record.values
        if membership is None:
            party = record.raw.get("on_behalf_of_id")
            membership_start(
                actor=actor,
                person=persons[wanted_key[0]],
                organization=organizations[wanted_key[1]],
                role=values["role"],
                start_date=values["start_date"],
                post=posts[wanted_key[4]] if wanted_key[4] is not None else None,
                on_behalf_of=organizations[org_pk[party]] if party else None,
                election_method=values.get("election_method", ""),
                end_date=values.get("end_date"),
                is_demo=values.get("is_demo", False),
                source=source,
                log=False,
            )
            result.count("memberships", "created")
        elif membership.end_date is None and values.get("end_date") is not None:
            membership_end(actor=actor, membership=membership, on=values["end_date"])
            result.count("memberships", "updated")
        else:
            result.count("memberships", "unchanged")
