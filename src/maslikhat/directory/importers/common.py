"""What every import shares: problems and results, file reading, validation helpers, the summary log row."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple

from django.db import DataError, IntegrityError, models
from django.utils.translation import gettext as _

from maslikhat.core.audit import log_action
from maslikhat.core.models import Visibility

from ..choices import (
    AreaKind,
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
    # Units a classifier edition no longer lists, closed on its date (counted in `updated` too).
    closed: int = 0

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
        data: dict[str, Any] = {
            "file": self.file,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }
        if self.closed:
            data["closed"] = self.closed
        return data

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
        ] + ([_("areas closed: %(count)d") % {"count": self.closed}] if self.closed else [])


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
