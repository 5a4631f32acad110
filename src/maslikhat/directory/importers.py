"""Imports of what operators bring: KATO-style CSV, GeoJSON boundaries, Popolo JSON.

Every import validates the whole file first and writes nothing when any row is bad; it then
raises ImportValidationError listing (file, line, reason) for every bad row. Writes go through
the directory services inside one transaction, with one summary ActionLog row per import.

KATO CSV columns (UTF-8, header required):
    kato_code,kind,name_kk,name_ru,name_en,parent_code,centre_lat,centre_lon,population
  kato_code   9 digits
  kind        district | city | city_district | rural_okrug | settlement
  parent_code a KATO code (in the database or earlier in the file) or an area code such as KZ-71
  name_en, centre_lat, centre_lon, population may be empty.

GeoJSON: a FeatureCollection of Polygon/MultiPolygon features. `--code-property` names the
property holding the area code (default "code"). A feature whose code exists sets that area's
boundary; a new electoral constituency needs properties `body` (maslikhat slug), `number`, and
optionally `name_kk`, `name_ru`, `name_en`.

Popolo JSON: the shape export-popolo writes (areas, organizations, persons, posts, memberships).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from maslikhat.core.audit import log_action
from maslikhat.core.models import Visibility

from . import geo
from .choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
from .models import Area, Membership, Organization, Person, Post
from .services import area_upsert, boundaries_changed, organization_upsert

KATO_KINDS = {
    AreaKind.DISTRICT,
    AreaKind.CITY,
    AreaKind.CITY_DISTRICT,
    AreaKind.RURAL_OKRUG,
    AreaKind.SETTLEMENT,
}
KATO_COLUMNS = [
    "kato_code",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "parent_code",
    "centre_lat",
    "centre_lon",
    "population",
]


@dataclass
class ImportValidationError(Exception):
    errors: list[tuple[str, int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(f"{f}:{line}: {reason}" for f, line, reason in self.errors)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportValidationError([(path.name, 0, _("The file is not UTF-8 text."))]) from None
    except OSError as exc:
        raise ImportValidationError(
            [(path.name, 0, _("The file cannot be read: %(e)s") % {"e": exc.strerror})]
        ) from None


def _float(value: str, low: float, high: float) -> float | None:
    if value.strip() == "":
        return None
    number = float(value)
    if not low <= number <= high:
        raise ValueError
    return number


# ------------------------------------------------------------------------------------------ KATO


def import_kato(path: Path, *, actor: Any = None) -> dict[str, int]:
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    name = path.name
    if reader.fieldnames is None or [c.strip() for c in reader.fieldnames][:6] != KATO_COLUMNS[:6]:
        raise ImportValidationError(
            [(name, 1, _("The header must start with: %(cols)s") % {"cols": ",".join(KATO_COLUMNS)})]
        )
    errors: list[tuple[str, int, str]] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    known = set(Area.objects.values_list("kato_code", flat=True)) | set(
        Area.objects.values_list("code", flat=True)
    )
    for row in reader:
        line = reader.line_num
        code = (row.get("kato_code") or "").strip()
        kind = (row.get("kind") or "").strip()
        parent = (row.get("parent_code") or "").strip()
        if len(code) != 9 or not code.isdigit():
            errors.append((name, line, _("kato_code must be 9 digits.")))
            continue
        if code in seen:
            errors.append((name, line, _("kato_code %(code)s appears twice in the file.") % {"code": code}))
            continue
        if kind not in KATO_KINDS:
            errors.append((name, line, _("Unknown kind %(kind)s.") % {"kind": kind}))
            continue
        if not (row.get("name_kk") or "").strip():
            errors.append((name, line, _("name_kk is required.")))
            continue
        if parent not in known and parent not in seen:
            errors.append((name, line, _("Parent %(parent)s is not known.") % {"parent": parent}))
            continue
        try:
            lat = _float(row.get("centre_lat") or "", -90, 90)
            lon = _float(row.get("centre_lon") or "", -180, 180)
            population = int(row["population"]) if (row.get("population") or "").strip() else None
            if population is not None and population < 0:
                raise ValueError
        except ValueError:
            errors.append((name, line, _("Coordinates or population are not valid numbers.")))
            continue
        seen.add(code)
        rows.append(
            {
                "code": code,
                "kind": kind,
                "parent": parent,
                "name_kk": row["name_kk"].strip(),
                "name_ru": (row.get("name_ru") or "").strip(),
                "name_en": (row.get("name_en") or "").strip(),
                "lat": lat,
                "lon": lon,
                "population": population,
            }
        )
    if errors:
        raise ImportValidationError(errors)
    created = 0
    with transaction.atomic():
        for r in rows:
            parent_area = Area.objects.filter(kato_code=r["parent"]).first() or Area.objects.get(
                code=r["parent"]
            )
            _obj, made = area_upsert(
                actor=actor,
                code=r["code"],
                log=False,
                defaults={
                    "kind": r["kind"],
                    "parent": parent_area,
                    "kato_code": r["code"],
                    "name_kk": r["name_kk"],
                    "name_ru": r["name_ru"],
                    "name_en": r["name_en"],
                    "centre_lat": r["lat"],
                    "centre_lon": r["lon"],
                    "population": r["population"],
                    "source": f"KATO import: {name}",
                },
            )
            created += made
        counts = {"rows": len(rows), "created": created}
        log_action(
            actor=actor,
            event="directory.import_kato",
            visibility=Visibility.PUBLIC,
            data={"file": name, **counts},
        )
    return counts


# ------------------------------------------------------------------------------------------ GeoJSON


def import_geojson(
    path: Path, *, actor: Any = None, code_property: str = "code", valid_from: date | None = None
) -> dict[str, int]:
    name = path.name
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            [(name, exc.lineno, _("Not valid JSON: %(e)s") % {"e": exc.msg})]
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportValidationError([(name, 0, _("Expected a GeoJSON FeatureCollection."))])
    errors: list[tuple[str, int, str]] = []
    plan: list[dict[str, Any]] = []
    existing = {
        a.code: a
        for a in Area.objects.filter(
            code__in=[
                str((f.get("properties") or {}).get(code_property, ""))
                for f in data["features"]
                if isinstance(f, dict)
            ]
        )
    }
    seen: set[str] = set()
    for i, feature in enumerate(data["features"], start=1):
        props = (feature or {}).get("properties") or {}
        code = str(props.get(code_property) or "").strip()
        if not code:
            errors.append((name, i, _("Feature has no %(p)s property.") % {"p": code_property}))
            continue
        if code in seen:
            errors.append((name, i, _("Code %(code)s appears twice.") % {"code": code}))
            continue
        seen.add(code)
        try:
            boundary = geo.normalized(feature.get("geometry") or {})
        except geo.GeometryError as exc:
            errors.append((name, i, _("Bad geometry: %(e)s") % {"e": exc}))
            continue
        if code in existing:
            plan.append({"area": existing[code], "boundary": boundary})
            continue
        body = Organization.objects.filter(slug=str(props.get("body") or "")).select_related("area").first()
        number = props.get("number")
        if body is None or not isinstance(number, int) or number < 1:
            errors.append(
                (
                    name,
                    i,
                    _("Unknown area %(code)s; a new constituency needs a known body and a number.")
                    % {"code": code},
                )
            )
            continue
        plan.append({"code": code, "body": body, "number": number, "boundary": boundary, "props": props})
    if errors:
        raise ImportValidationError(errors)
    created = updated = 0
    with transaction.atomic():
        for p in plan:
            if "area" in p:
                area_upsert(actor=actor, code=p["area"].code, defaults={"boundary": p["boundary"]}, log=False)
                updated += 1
            else:
                props, number = p["props"], p["number"]
                area_upsert(
                    actor=actor,
                    code=p["code"],
                    log=False,
                    defaults={
                        "kind": AreaKind.CONSTITUENCY,
                        "parent": p["body"].area,
                        "body": p["body"],
                        "number": number,
                        "name_kk": props.get("name_kk") or f"№{number} сайлау округі",
                        "name_ru": props.get("name_ru") or f"Избирательный округ №{number}",
                        "name_en": props.get("name_en") or f"Constituency No. {number}",
                        "boundary": p["boundary"],
                        "valid_from": valid_from,
                        "source": f"GeoJSON import: {name}",
                    },
                )
                created += 1
        boundaries_changed()
        counts = {"created": created, "updated": updated}
        log_action(
            actor=actor,
            event="directory.import_geojson",
            visibility=Visibility.PUBLIC,
            data={"file": name, **counts},
        )
    return counts


# ------------------------------------------------------------------------------------------ Popolo


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def import_popolo(path: Path, *, actor: Any = None) -> dict[str, int]:
    """Organizations (by id = slug), persons (by id "person/N" within the file) and their posts and
    memberships. Persons are matched to existing ones by exact kk name and id mapping is per file."""
    name = path.name
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            [(name, exc.lineno, _("Not valid JSON: %(e)s") % {"e": exc.msg})]
        ) from None
    if not isinstance(data, dict):
        raise ImportValidationError([(name, 0, _("Expected a Popolo JSON object."))])
    errors: list[tuple[str, int, str]] = []
    orgs = data.get("organizations") or []
    persons = data.get("persons") or []
    posts = data.get("posts") or []
    memberships = data.get("memberships") or []
    org_ids = set(Organization.objects.values_list("slug", flat=True))
    area_ids = set(Area.objects.values_list("code", flat=True))
    for i, o in enumerate(orgs, start=1):
        names = (o or {}).get("name_translations") or {}
        try:
            founded = _date(o.get("founding_date"))
            _date(o.get("dissolution_date"))
        except (ValueError, TypeError):
            errors.append((f"{name}#organizations", i, _("Dates must be YYYY-MM-DD.")))
            continue
        if (
            not o.get("id")
            or o.get("classification") not in OrganizationKind.values
            or not (names.get("kk") or o.get("name"))
        ):
            errors.append(
                (
                    f"{name}#organizations",
                    i,
                    _("An organization needs an id, a known classification and a name."),
                )
            )
        elif founded is None:
            errors.append((f"{name}#organizations", i, _("founding_date is required.")))
        elif o.get("area_id") and o["area_id"] not in area_ids:
            errors.append((f"{name}#organizations", i, _("Unknown area %(a)s.") % {"a": o["area_id"]}))
        else:
            org_ids.add(o["id"])
    for i, o in enumerate(orgs, start=1):
        if o and o.get("parent_id") and o["parent_id"] not in org_ids:
            errors.append((f"{name}#organizations", i, _("Unknown parent %(p)s.") % {"p": o["parent_id"]}))
    person_ids = set()
    for i, p in enumerate(persons, start=1):
        names = (p or {}).get("name_translations") or {}
        if not p or not p.get("id") or not (names.get("kk") or p.get("name")):
            errors.append((f"{name}#persons", i, _("A person needs an id and a name.")))
        else:
            person_ids.add(p["id"])
    post_ids = set()
    for i, p in enumerate(posts, start=1):
        try:
            ok = bool(
                p
                and p.get("id")
                and p.get("organization_id") in org_ids
                and p.get("role") in PostRole.values
                and _date(p.get("start_date"))
                and (not p.get("area_id") or p["area_id"] in area_ids)
            )
        except (ValueError, TypeError):
            ok = False
        if not ok:
            errors.append(
                (
                    f"{name}#posts",
                    i,
                    _("A post needs an id, a known organization, role, area and start date."),
                )
            )
        else:
            post_ids.add(p["id"])
    for i, m in enumerate(memberships, start=1):
        try:
            start, end = _date(m.get("start_date")), _date(m.get("end_date"))
        except (ValueError, TypeError, AttributeError):
            errors.append((f"{name}#memberships", i, _("Dates must be YYYY-MM-DD.")))
            continue
        if m.get("person_id") not in person_ids:
            errors.append((f"{name}#memberships", i, _("Unknown person %(p)s.") % {"p": m.get("person_id")}))
        elif m.get("organization_id") not in org_ids:
            errors.append(
                (f"{name}#memberships", i, _("Unknown organization %(o)s.") % {"o": m.get("organization_id")})
            )
        elif m.get("role") not in PostRole.values:
            errors.append((f"{name}#memberships", i, _("Unknown role %(r)s.") % {"r": m.get("role")}))
        elif m.get("post_id") and m["post_id"] not in post_ids:
            errors.append((f"{name}#memberships", i, _("Unknown post %(p)s.") % {"p": m["post_id"]}))
        elif m.get("on_behalf_of_id") and m["on_behalf_of_id"] not in org_ids:
            errors.append((f"{name}#memberships", i, _("Unknown party %(p)s.") % {"p": m["on_behalf_of_id"]}))
        elif m.get("election_method") and m["election_method"] not in ElectionMethod.values:
            errors.append((f"{name}#memberships", i, _("Unknown election method.")))
        elif start is None or (end is not None and end <= start):
            errors.append((f"{name}#memberships", i, _("start_date is required and must precede end_date.")))
    if errors:
        raise ImportValidationError(errors)
    counts = {"organizations": 0, "persons": 0, "posts": 0, "memberships": 0}
    with transaction.atomic():
        pending_parents = []
        for o in orgs:
            names = o.get("name_translations") or {}
            org, made = organization_upsert(
                actor=actor,
                slug=o["id"],
                log=False,
                defaults={
                    "kind": o["classification"],
                    "name_kk": names.get("kk") or o.get("name") or "",
                    "name_ru": names.get("ru") or "",
                    "name_en": names.get("en") or o.get("name") or "",
                    "area": Area.objects.filter(code=o.get("area_id")).first() if o.get("area_id") else None,
                    "founding_date": _date(o["founding_date"]),
                    "dissolution_date": _date(o.get("dissolution_date")),
                    "seats": o.get("seats"),
                    "is_demo": bool(o.get("is_demo")),
                    "source": f"Popolo import: {name}",
                },
            )
            counts["organizations"] += made
            if o.get("parent_id"):
                pending_parents.append((org, o["parent_id"]))
        for org, parent_slug in pending_parents:
            Organization.objects.filter(pk=org.pk).update(parent=Organization.objects.get(slug=parent_slug))
        person_map: dict[str, Person] = {}
        for p in persons:
            names = p.get("name_translations") or {}
            kk = names.get("kk") or p.get("name") or ""
            person = Person.objects.filter(name_kk=kk, name_ru=names.get("ru") or "").first()
            if person is None:
                contacts = {
                    c.get("type"): c.get("value")
                    for c in p.get("contact_details") or []
                    if isinstance(c, dict)
                }
                person = Person.objects.create(
                    name_kk=kk,
                    name_ru=names.get("ru") or "",
                    name_en=names.get("en") or p.get("name") or "",
                    sort_name=p.get("sort_name") or "",
                    gender=p.get("gender") or "",
                    email=contacts.get("email") or "",
                    phone=contacts.get("phone") or "",
                    is_demo=bool(p.get("is_demo")),
                    source=f"Popolo import: {name}",
                )
                counts["persons"] += 1
            person_map[p["id"]] = person
        post_map: dict[str, Post] = {}
        for p in posts:
            labels = p.get("label_translations") or {}
            org = Organization.objects.get(slug=p["organization_id"])
            post, made = Post.objects.get_or_create(
                organization=org,
                role=p["role"],
                start_date=_date(p["start_date"]),
                area=Area.objects.filter(code=p.get("area_id")).first() if p.get("area_id") else None,
                label_en=labels.get("en") or p.get("label") or "",
                defaults={
                    "label_kk": labels.get("kk") or p.get("label") or "",
                    "label_ru": labels.get("ru") or "",
                    "end_date": _date(p.get("end_date")),
                },
            )
            counts["posts"] += made
            post_map[p["id"]] = post
        for m in memberships:
            _obj, made = Membership.objects.get_or_create(
                person=person_map[m["person_id"]],
                organization=Organization.objects.get(slug=m["organization_id"]),
                role=m["role"],
                start_date=_date(m["start_date"]),
                defaults={
                    "post": post_map.get(m.get("post_id") or ""),
                    "end_date": _date(m.get("end_date")),
                    "on_behalf_of": Organization.objects.filter(slug=m.get("on_behalf_of_id")).first()
                    if m.get("on_behalf_of_id")
                    else None,
                    "election_method": m.get("election_method") or "",
                    "is_demo": bool(m.get("is_demo")),
                    "source": f"Popolo import: {name}",
                },
            )
            counts["memberships"] += made
        log_action(
            actor=actor,
            event="directory.import_popolo",
            visibility=Visibility.PUBLIC,
            data={"file": name, **counts},
        )
    return counts
