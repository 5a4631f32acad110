"""Popolo JSON: areas, organizations, persons, posts and memberships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import models, transaction
from django.utils.translation import gettext as _

from ..choices import (
    AreaKind,
    ElectionMethod,
    OrganizationKind,
    PostRole,
)
from ..models import Area, Membership, Organization, Person, Post
from ..services import (
    area_upsert,
    membership_end,
    membership_start,
    organization_upsert,
    person_create,
    post_upsert,
)
from .common import (
    KATO_CODE,
    LANGUAGES,
    MAX_POSITIVE_INT,
    ImportProblem,
    ImportResult,
    ImportValidationError,
    _coordinate_problem,
    _dependency_order,
    _log_import,
    _max_length,
    _parse_date,
    _read_json,
    _refused_by_database,
)

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
