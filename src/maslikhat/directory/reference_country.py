"""The whole country: the 208 districts and cities of oblast significance with their maslikhats,
and the rural okrugs, towns and settlements of the KATO (data/README.md says where each file
comes from and how it is read).

`load_country` runs after `reference.load_reference` (it needs the 20 regions and their
maslikhats). It is idempotent and written for speed: it reads what exists in a few queries and
writes only what is missing with `bulk_create`, in one transaction. It never overwrites what an
operator may have corrected: an existing row only gets its empty fields filled, and a review
flag an operator cleared stays cleared.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from maslikhat.core.audit import log_action
from maslikhat.core.models import Visibility

from . import geo
from .choices import AreaKind, OrganizationKind, PostRole
from .models import Area, Organization, Post, SeatLimit, area_search_key
from .reference import (
    CHAIR_TITLE_FROM,
    DATA_DIR,
    FIRST_MASLIKHAT_ELECTIONS,
    RegionRow,
    apparatus_names,
    apparatus_slug,
    maslikhat_slug,
    read_regions,
)
from .services import boundaries_changed

DISTRICTS_CSV = DATA_DIR / "kz_districts.csv"
DISTRICTS_GEOJSON = DATA_DIR / "kz-adm2.geojson.gz"
KATO_CSV = DATA_DIR / "kz_kato2022_ru.csv.gz"

KATO_2022 = date(2022, 10, 17)
KATO_2026 = date(2026, 9, 18)
KATO_SOURCE = "KATO (stat.gov.kz), edition 17.10.2022"
DISTRICT_SOURCE = "KATO 2022/2026 (stat.gov.kz); kk/en names: geokz 1.0.2 (CC BY 4.0)"
BOUNDARY_SOURCE = "OCHA / HDX COD-AB; geokz (A. Rodionov), CC BY 4.0"

# Sauran has no polygon in geokz 2024: its rural okrugs (Shornak, Babaikorgan, Zhibek Zholy,
# Eski Ikan, ...) were the rural territory of the city of Turkistan, whose outline still holds
# them. (Markakol and Ulken Naryn say in the data's notes which outline still holds them.)
BOUNDARY_WITHIN = {"615500000": "611000000"}
_STILL_INCLUDES = re.compile(r"still includes .*?\((\d{9})\)")

# The law's limits (Law on local state administration and self-government, art. 9): the
# operator can change them in the admin; the loader only adds a missing one.
SEAT_LIMITS = {
    OrganizationKind.REGIONAL_MASLIKHAT: 50,
    OrganizationKind.CITY_MASLIKHAT: 30,
    OrganizationKind.DISTRICT_MASLIKHAT: 25,
}
SEAT_LIMITS_SOURCE = "Law of 23 Jan 2001 No. 148-II on local state administration, art. 9"

# Level-3 KATO units that are towns (a city, a city or settlement administration).
_TOWN = re.compile(r"(^г\.|\sг\.а\.?$|\sп\.а\.?$|^г\.а\.)", re.IGNORECASE)
# The 17 second-level KATO units without a maslikhat: Baikonyr is a city, the rest city districts.
BAIKONYR = "431900000"
# The KATO prefixes of the three cities of republican significance (no district has a maslikhat).
CITY_REGION_PREFIXES = {"71": "KZ-71", "75": "KZ-75", "79": "KZ-79"}


@dataclass(frozen=True)
class DistrictRow:
    region_iso: str
    kind: str  # "district" or "city"
    kato: str
    name_kk: str
    name_ru: str
    name_en: str
    source: str
    notes: str

    @property
    def unverified(self) -> list[str]:
        """The fields (kk, ru, en, ...) whose source says unverified."""
        fields = []
        for part in self.source.split(";"):
            key, _sep, value = part.strip().partition(":")
            if "unverified" in value:
                fields.append(key)
        return fields

    @property
    def has_geometry(self) -> bool:
        return "geom:none" not in self.source.replace(" ", "")


@dataclass(frozen=True)
class KatoRow:
    kato: str
    parent: str
    level: int
    name_ru: str


def read_districts() -> list[DistrictRow]:
    with DISTRICTS_CSV.open(encoding="utf-8") as fh:
        return [
            DistrictRow(
                region_iso=r["region_iso"],
                kind=r["kind"],
                kato=r["kato"],
                name_kk=r["name_kk"],
                name_ru=r["name_ru"],
                name_en=r["name_en"],
                source=r["source"],
                notes=r["notes"],
            )
            for r in csv.DictReader(fh)
        ]


def read_kato() -> list[KatoRow]:
    with gzip.open(KATO_CSV, "rt", encoding="utf-8") as fh:
        return [
            KatoRow(kato=r["kato"], parent=r["parent_kato"], level=int(r["level"]), name_ru=r["name_ru"])
            for r in csv.DictReader(fh)
        ]


def read_district_boundaries() -> dict[str, dict[str, Any]]:
    with gzip.open(DISTRICTS_GEOJSON, "rb") as fh:
        data = json.load(io.TextIOWrapper(fh, encoding="utf-8"))
    return {f["properties"]["kato"]: f["geometry"] for f in data["features"]}


def district_area_names(row: DistrictRow) -> dict[str, str]:
    """The unit's names as areas are named (the file keeps short kk/en forms)."""
    if row.kind == "city":
        ru = row.name_ru if row.name_ru.startswith("город ") else f"город {row.name_ru}"
        return {"name_kk": f"{row.name_kk} қаласы", "name_ru": ru, "name_en": f"{row.name_en} City"}
    return {"name_kk": f"{row.name_kk} ауданы", "name_ru": row.name_ru, "name_en": f"{row.name_en} District"}


def _genitive_district(name_ru: str) -> str:
    """ "Абайский район" → "Абайского района", "район Ақсуат" → "района Ақсуат"."""
    if name_ru.lower().startswith("район "):
        return "района " + name_ru[len("район ") :]
    adjective, _sep, noun = name_ru.rpartition(" ")
    if noun == "район":
        for ending, replacement in (("ский", "ского"), ("цкий", "цкого"), ("ный", "ного"), ("ий", "его")):
            if adjective.endswith(ending):
                return adjective[: -len(ending)] + replacement + " района"
    return f"района «{name_ru}»"


def district_maslikhat_names(row: DistrictRow) -> dict[str, str]:
    if row.kind == "city":
        city = row.name_ru.removeprefix("город ")
        return {
            "name_kk": f"{row.name_kk} қалалық мәслихаты",
            "name_ru": f"Маслихат города {city}",
            "name_en": f"{row.name_en} City Maslikhat",
        }
    return {
        "name_kk": f"{row.name_kk} аудандық мәслихаты",
        "name_ru": f"Маслихат {_genitive_district(row.name_ru)}",
        "name_en": f"{row.name_en} District Maslikhat",
    }


def kato_kind(row: KatoRow) -> str:
    if row.level == 2:
        return AreaKind.CITY if row.kato == BAIKONYR else AreaKind.CITY_DISTRICT
    if row.level == 3:
        return AreaKind.TOWN if _TOWN.search(row.name_ru.strip()) else AreaKind.RURAL_OKRUG
    return AreaKind.SETTLEMENT


def _review(row: DistrictRow, within: str | None, first_seen: date | None) -> str:
    notes = []
    if row.unverified:
        notes.append(f"Unverified in the source: {', '.join(row.unverified)} name(s).")
    if within:
        notes.append(f"No boundary of its own yet; its territory is still drawn inside {within}.")
    if first_seen:
        notes.append(f"Founding date unknown: set to the KATO edition it first appears in ({first_seen}).")
    return " ".join(notes)


def _fill_blanks(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the fields of `obj` that are empty; the names of those changed."""
    changed = []
    for field, value in values.items():
        if value in (None, "") or getattr(obj, field) not in (None, ""):
            continue
        setattr(obj, field, value)
        changed.append(field)
    return changed


def _leader_posts(maslikhat: Organization) -> list[Post]:
    founded = maslikhat.founding_date
    posts = []
    if founded < CHAIR_TITLE_FROM:
        posts.append(
            Post(
                organization=maslikhat,
                role=PostRole.SECRETARY,
                start_date=founded,
                end_date=CHAIR_TITLE_FROM,
                label_kk="Мәслихат хатшысы",
                label_ru="Секретарь маслихата",
                label_en="Secretary of the maslikhat",
            )
        )
    posts.append(
        Post(
            organization=maslikhat,
            role=PostRole.CHAIR,
            start_date=max(founded, CHAIR_TITLE_FROM),
            label_kk="Мәслихат төрағасы",
            label_ru="Председатель маслихата",
            label_en="Chair of the maslikhat",
        )
    )
    return posts


BATCH = 2000
LEVEL_KINDS = {3: [AreaKind.RURAL_OKRUG, AreaKind.TOWN], 4: [AreaKind.SETTLEMENT]}


def _create(objs: Iterable[Area]) -> list[Area]:
    rows = list(objs)
    for a in rows:
        a.search_key = area_search_key(a)
    return Area.objects.bulk_create(rows, batch_size=BATCH)


def insert_areas(areas: list[Area], *, with_pk: bool = False) -> int:
    """Insert many areas with one `executemany`: `bulk_create` spends most of its time
    preparing each value of each row (about 1 ms a row), this a few microseconds. The areas
    must be complete (search key included); their ids are not set on the objects."""
    if not areas:
        return 0
    ops = connection.ops
    now = timezone.now()
    fields = [f for f in Area._meta.concrete_fields if with_pk or not f.primary_key]
    converters: list[Any] = []
    for f in fields:
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            converters.append(lambda v: ops.adapt_datetimefield_value(v or now))
        elif internal == "DateField":
            converters.append(ops.adapt_datefield_value)
        elif internal == "JSONField":
            converters.append(lambda v, f=f: None if v is None else f.get_db_prep_save(v, connection))
        else:
            converters.append(None)
    attnames = [f.attname for f in fields]
    params = [
        [
            getattr(a, name) if conv is None else conv(getattr(a, name))
            for name, conv in zip(attnames, converters, strict=True)
        ]
        for a in areas
    ]
    table = connection.ops.quote_name(Area._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 (names from the model, values as parameters)
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH * 5):
            cursor.executemany(sql, params[start : start + BATCH * 5])
    return len(areas)


def ensure_seat_limits() -> int:
    existing = set(SeatLimit.objects.values_list("kind", flat=True))
    missing = [
        SeatLimit(kind=kind, max_seats=seats, source=SEAT_LIMITS_SOURCE)
        for kind, seats in SEAT_LIMITS.items()
        if kind not in existing
    ]
    SeatLimit.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def load_country(*, actor: Any = None) -> dict[str, Any]:
    """Load or complete the districts, cities, okrugs, towns and settlements and the 208 district
    and city maslikhats. Returns counts of what was created and the seconds it took."""
    started = time.perf_counter()
    regions = {
        a.iso_code: a for a in Area.objects.filter(kind=AreaKind.REGION).defer("boundary", "boundary_web")
    }
    if len(regions) < 20:
        raise RuntimeError("load the regions first (reference.load_reference)")
    regional_bodies = {
        o.area_id: o for o in Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
    }
    districts = read_districts()
    kato_rows = read_kato()
    by_kato = {r.kato: r for r in kato_rows}
    district_codes = {d.kato for d in districts}
    # Regions carry ISO codes; a KATO code's first two digits name its region.
    iso_of_prefix = {**CITY_REGION_PREFIXES, **{d.kato[:2]: d.region_iso for d in districts}}

    created: dict[str, Any] = {"areas": 0, "organizations": 0, "posts": 0, "seat_limits": 0, "boundaries": 0}
    existing = {
        a.code: a
        for a in Area.objects.filter(Q(kato_code__gt="") | Q(code__regex=r"^[0-9]{9}$"))
        .exclude(kind__in=[AreaKind.REGION, AreaKind.COUNTRY, AreaKind.CONSTITUENCY])
        .defer("boundary", "boundary_web")
    }
    with_boundary = set(
        Area.objects.filter(code__in=list(district_codes), boundary__isnull=False).values_list(
            "code", flat=True
        )
    )
    to_update: dict[str, tuple[Area, set[str]]] = {}

    def plan(code: str, values: dict[str, Any], new: list[Area]) -> None:
        area = existing.get(code)
        if area is None:
            area = Area(code=code, kato_code=code, **values)
            existing[code] = area
            new.append(area)
            return
        changed = _fill_blanks(area, {k: v for k, v in values.items() if k not in ("needs_review",)})
        if changed:
            entry = to_update.setdefault(code, (area, set()))
            entry[1].update(changed)

    # ---- second level: the 208 units with a maslikhat, then the 17 without one
    boundaries = read_district_boundaries()
    pending_within: dict[str, str] = dict(BOUNDARY_WITHIN)
    for d in districts:
        for child in _STILL_INCLUDES.findall(d.notes):
            pending_within[child] = d.kato
    names_ru = {d.kato: d.name_ru for d in districts}
    level2: list[Area] = []
    for d in districts:
        within = pending_within.get(d.kato) if not d.has_geometry else None
        first_seen = None if d.kato in by_kato else KATO_2026
        note = _review(d, f"{names_ru.get(within, within)} ({within})" if within else None, first_seen)
        values: dict[str, Any] = {
            "kind": AreaKind.CITY if d.kind == "city" else AreaKind.DISTRICT,
            "parent_id": regions[d.region_iso].pk,
            **district_area_names(d),
            "source": f"{DISTRICT_SOURCE}; boundary: {BOUNDARY_SOURCE}"
            if d.has_geometry
            else DISTRICT_SOURCE,
            "needs_review": bool(note),
            "review_note": note,
        }
        is_new = d.kato not in existing
        plan(d.kato, values, level2)
        if d.kato in boundaries and d.kato not in with_boundary:
            area = existing[d.kato]
            area.boundary = geo.normalized(boundaries[d.kato])
            area.boundary_web = geo.simplified(area.boundary)
            created["boundaries"] += 1
            if not is_new:
                to_update.setdefault(d.kato, (area, set()))[1].update({"boundary", "boundary_web"})
    for r in kato_rows:
        if r.level == 2 and r.kato not in district_codes:
            plan(
                r.kato,
                {
                    "kind": kato_kind(r),
                    "parent_id": regions[iso_of_prefix[r.kato[:2]]].pk,
                    "name_kk": "",
                    "name_ru": r.name_ru,
                    "source": KATO_SOURCE,
                },
                level2,
            )
    created["areas"] += len(_create(level2))

    # pointers to the unit whose boundary still holds a pending one (both exist now)
    for code, within in pending_within.items():
        unit, holder = existing.get(code), existing.get(within)
        if unit is not None and holder is not None and code not in with_boundary:
            if unit.boundary_within_id is None and not unit.boundary:
                unit.boundary_within = holder
                to_update.setdefault(code, (unit, set()))[1].add("boundary_within")

    # ---- third and fourth levels
    def admin_parent(row: KatoRow) -> str:
        """The nearest okrug, town or second-level unit above (never another settlement)."""
        parent = by_kato.get(row.parent)
        while parent is not None and parent.level > 3:
            parent = by_kato.get(parent.parent)
        return parent.kato if parent is not None else row.parent

    for level in (3, 4):
        rows: list[Area] = []
        for r in kato_rows:
            if r.level != level:
                continue
            parent_code = admin_parent(r)
            parent = existing.get(parent_code)
            if parent is None:
                raise RuntimeError(f"KATO {r.kato}: its parent {parent_code} is not loaded")
            plan(
                r.kato,
                {
                    "kind": kato_kind(r),
                    "parent_id": parent.pk,
                    "name_kk": "",
                    "name_ru": r.name_ru,
                    "source": KATO_SOURCE,
                },
                rows,
            )
        created["areas"] += len(_create(rows))

    if to_update:
        now = timezone.now()
        by_fields: dict[frozenset[str], list[Area]] = {}
        for area, changed in to_update.values():
            area.updated_at = now
            if changed & {"name_kk", "name_ru", "name_en"}:
                area.search_key = area_search_key(area)
                changed = changed | {"search_key"}
            by_fields.setdefault(frozenset(changed | {"updated_at"}), []).append(area)
        for field_names, areas in by_fields.items():
            Area.objects.bulk_update(areas, sorted(field_names), batch_size=BATCH)

    # ---- the maslikhats and their apparatus
    slugs = set(Organization.objects.filter(slug__regex=r"^[0-9]{9}-").values_list("slug", flat=True))
    bodies: list[Organization] = []
    apparatus: list[tuple[str, dict[str, str], DistrictRow]] = []
    for d in districts:
        slug = maslikhat_slug(d.kato)
        if slug in slugs:
            continue
        area = existing[d.kato]
        names = district_maslikhat_names(d)
        founded = FIRST_MASLIKHAT_ELECTIONS if d.kato in by_kato else KATO_2026
        bodies.append(
            Organization(
                slug=slug,
                kind=OrganizationKind.CITY_MASLIKHAT
                if d.kind == "city"
                else OrganizationKind.DISTRICT_MASLIKHAT,
                **names,
                parent=regional_bodies.get(area.parent_id),
                area=area,
                founding_date=founded,
                source="District or city maslikhat (founding date approximate)",
            )
        )
        apparatus.append((apparatus_slug(d.kato), apparatus_names(names), d))
    made = Organization.objects.bulk_create(bodies, batch_size=BATCH)
    created["organizations"] += len(made)
    by_slug = {o.slug: o for o in made}
    staff = [
        Organization(
            slug=slug,
            kind=OrganizationKind.APPARATUS,
            **names,
            parent=by_slug[maslikhat_slug(d.kato)],
            area=by_slug[maslikhat_slug(d.kato)].area,
            founding_date=by_slug[maslikhat_slug(d.kato)].founding_date,
            source="State institution serving the maslikhat",
        )
        for slug, names, d in apparatus
        if slug not in slugs
    ]
    created["organizations"] += len(Organization.objects.bulk_create(staff, batch_size=BATCH))
    posts = [p for body in made for p in _leader_posts(body)]
    created["posts"] += len(Post.objects.bulk_create(posts, batch_size=BATCH))
    created["seat_limits"] = ensure_seat_limits()
    created["organizations"] += _create_akimats()

    if created["areas"] and connection.vendor == "postgresql":
        # Fresh statistics, or the planner joins 16,000 new rows as if the table were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_area")
    if created["boundaries"]:
        boundaries_changed()
    counts = {k: v for k, v in created.items()}
    if any(counts.values()):
        log_action(actor=actor, event="directory.country_loaded", visibility=Visibility.PUBLIC, data=counts)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


# ---------------------------------------------------------------- akimats
#
# The local executive bodies: an akimat for each region (and city of republican significance)
# and for each district and city of oblast significance, beside its maslikhat, in the same area.
# An appeal outside a maslikhat's competence is usually the akimat's: the staff page forwards to
# them. Their names are built from the area names (the files keep no akimat names).

AKIMAT_SOURCE = "Local executive body (names built from the area names; founding date approximate)"
_CITY_GENITIVE_RU = {"Астана": "Астаны", "Алматы": "Алматы", "Шымкент": "Шымкента"}


def akimat_slug(code: str) -> str:
    """`kz-71-akimat` for a region (its ISO code), `101000000-akimat` for a district (KATO)."""
    return f"{code.lower()}-akimat"


def region_akimat_names(row: RegionRow) -> dict[str, str]:
    if row.is_city:
        city = row.name_ru.removeprefix("город ")
        return {
            "name_kk": f"{row.name_kk} қаласының әкімдігі",
            "name_ru": f"Акимат города {_CITY_GENITIVE_RU.get(city, city)}",
            "name_en": f"Akimat of {row.name_en} City",
        }
    if row.name_ru.startswith("область "):
        ru = f"Акимат области {row.name_ru.removeprefix('область ')}"
    else:
        ru = "Акимат " + row.name_ru.replace("ская область", "ской области")
    return {
        "name_kk": row.name_kk.replace("облысы", "облысының әкімдігі"),
        "name_ru": ru,
        "name_en": f"Akimat of {row.name_en}",
    }


def district_akimat_names(row: DistrictRow) -> dict[str, str]:
    if row.kind == "city":
        return {
            "name_kk": f"{row.name_kk} қаласының әкімдігі",
            "name_ru": f"Акимат города {row.name_ru.removeprefix('город ')}",
            "name_en": f"Akimat of {row.name_en} City",
        }
    return {
        "name_kk": f"{row.name_kk} ауданының әкімдігі",
        "name_ru": f"Акимат {_genitive_district(row.name_ru)}",
        "name_en": f"Akimat of {row.name_en} District",
    }


def _create_akimats() -> int:
    """Create the missing akimats of the regions and of the districts and cities loaded so far
    (each beside its maslikhat: same area, same founding date); never touches an existing one."""
    have = set(Organization.objects.filter(kind=OrganizationKind.AKIMAT).values_list("slug", flat=True))
    maslikhats = {
        o.slug: o
        for o in Organization.objects.filter(
            kind__in=[
                OrganizationKind.REGIONAL_MASLIKHAT,
                OrganizationKind.CITY_MASLIKHAT,
                OrganizationKind.DISTRICT_MASLIKHAT,
            ]
        ).only("slug", "area_id", "founding_date")
    }
    regional: list[Organization] = []
    for row in read_regions():
        body = maslikhats.get(maslikhat_slug(row.iso_code))
        slug = akimat_slug(row.iso_code)
        if body is None or slug in have:
            continue
        regional.append(
            Organization(
                slug=slug,
                kind=OrganizationKind.AKIMAT,
                **region_akimat_names(row),
                area_id=body.area_id,
                founding_date=body.founding_date,
                source=AKIMAT_SOURCE,
            )
        )
    made = len(Organization.objects.bulk_create(regional, batch_size=BATCH))
    parents = {
        o.area_id: o.pk
        for o in Organization.objects.filter(kind=OrganizationKind.AKIMAT, area__kind=AreaKind.REGION).only(
            "pk", "area_id"
        )
    }
    region_of: dict[int | None, int | None] = dict(
        Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.CITY]).values_list("pk", "parent_id")
    )
    local: list[Organization] = []
    for d in read_districts():
        body = maslikhats.get(maslikhat_slug(d.kato))
        slug = akimat_slug(d.kato)
        if body is None or slug in have:
            continue
        local.append(
            Organization(
                slug=slug,
                kind=OrganizationKind.AKIMAT,
                **district_akimat_names(d),
                parent_id=parents.get(region_of.get(body.area_id)),
                area_id=body.area_id,
                founding_date=body.founding_date,
                source=AKIMAT_SOURCE,
            )
        )
    return made + len(Organization.objects.bulk_create(local, batch_size=BATCH))


@transaction.atomic
def load_akimats(*, actor: Any = None) -> int:
    """The akimats alone (`load_country` creates them too): for a directory loaded with
    `--regions-only`, the 20 regional ones. Returns how many were created."""
    made = _create_akimats()
    if made:
        log_action(
            actor=actor,
            event="directory.akimats_loaded",
            visibility=Visibility.PUBLIC,
            data={"akimats": made},
        )
    return made
