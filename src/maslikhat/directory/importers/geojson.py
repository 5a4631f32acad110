"""GeoJSON boundaries of areas at any level, constituencies included."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping

from .. import geo
from ..choices import (
    MASLIKHAT_KINDS,
    AreaKind,
)
from ..models import Area, Organization
from ..services import (
    area_upsert,
)
from .common import (
    LANGUAGES,
    MAX_POSITIVE_INT,
    ImportProblem,
    ImportResult,
    ImportValidationError,
    _log_import,
    _max_length,
    _plain,
    _read_json,
    _refused_by_database,
)


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
