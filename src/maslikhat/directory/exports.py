"""Exports of the directory: Popolo JSON and CSV files.

Each export reads every table once with `values()` (a constant number of queries, whatever the
size of the directory) and never loads boundaries. Nothing personal is exported: the directory
holds only public contacts, and accounts (`Person.user`) are never read.

Identifiers are stable: an area is its code, an organization its slug, and persons, posts and
memberships are ``person/<pk>``, ``post/<pk>``, ``membership/<pk>``. The Popolo document is what
`importers.import_popolo` reads back. Fields beyond Popolo: ``name_translations`` (and
``label_``, ``description_``, ``biography_translations``) with kk/ru/en; ``is_demo``; for areas
``centre``, ``population``, ``number`` and ``body_id`` (the maslikhat a constituency elects),
``valid_from`` and ``valid_until``; ``seats`` for organizations; ``election_method`` for
memberships.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import IO, Any

from django.db.models import Q, QuerySet

from maslikhat.core.exports import export_cell

from .models import Area, Membership, Organization, Person, Post

LANGUAGES = ("kk", "ru", "en")

AREA_VALUES = (
    "code",
    "kind",
    "parent__code",
    "name_kk",
    "name_ru",
    "name_en",
    "iso_code",
    "kato_code",
    "centre_kk",
    "centre_ru",
    "centre_en",
    "centre_lat",
    "centre_lon",
    "population",
    "number",
    "body__slug",
    "valid_from",
    "valid_until",
    "is_demo",
)
ORGANIZATION_VALUES = (
    "slug",
    "kind",
    "parent__slug",
    "area__code",
    "name_kk",
    "name_ru",
    "name_en",
    "description_kk",
    "description_ru",
    "description_en",
    "founding_date",
    "dissolution_date",
    "seats",
    "email",
    "phone",
    "address",
    "website",
    "is_demo",
)
# Never "user": accounts are not part of the public directory.
PERSON_VALUES = (
    "pk",
    "name_kk",
    "name_ru",
    "name_en",
    "sort_name",
    "gender",
    "biography_kk",
    "biography_ru",
    "biography_en",
    "email",
    "phone",
    "website",
    "is_demo",
)
POST_VALUES = (
    "pk",
    "organization__slug",
    "role",
    "label_kk",
    "label_ru",
    "label_en",
    "area__code",
    "start_date",
    "end_date",
    "is_demo",
)
MEMBERSHIP_VALUES = (
    "pk",
    "person_id",
    "organization__slug",
    "post_id",
    "post__area__code",
    "role",
    "on_behalf_of__slug",
    "election_method",
    "start_date",
    "end_date",
    "is_demo",
)


def person_id(pk: int) -> str:
    return f"person/{pk}"


def post_id(pk: int) -> str:
    return f"post/{pk}"


def membership_id(pk: int) -> str:
    return f"membership/{pk}"


# ------------------------------------------------------------------------------------------ reads


def _areas(include_demo: bool) -> QuerySet[Area, dict[str, Any]]:
    rows = Area.objects.order_by("code")
    return (rows if include_demo else rows.filter(is_demo=False)).values(*AREA_VALUES)


def _organizations(include_demo: bool) -> QuerySet[Organization, dict[str, Any]]:
    rows = Organization.objects.order_by("slug")
    return (rows if include_demo else rows.filter(is_demo=False)).values(*ORGANIZATION_VALUES)


def _persons(include_demo: bool) -> QuerySet[Person, dict[str, Any]]:
    rows = Person.objects.order_by("pk")
    return (rows if include_demo else rows.filter(is_demo=False)).values(*PERSON_VALUES)


def _posts(include_demo: bool) -> QuerySet[Post, dict[str, Any]]:
    rows = Post.objects.order_by("pk")
    if not include_demo:
        rows = rows.filter(is_demo=False, organization__is_demo=False)
    return rows.values(*POST_VALUES)


def _memberships(include_demo: bool) -> QuerySet[Membership, dict[str, Any]]:
    rows = Membership.objects.order_by("pk")
    if not include_demo:
        rows = rows.filter(is_demo=False, person__is_demo=False, organization__is_demo=False).exclude(
            Q(post__is_demo=True)
        )
    return rows.values(*MEMBERSHIP_VALUES)


# ------------------------------------------------------------------------------------------ Popolo


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _translations(row: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: row[f"{prefix}_{lang}"] or "" for lang in LANGUAGES}


def _display(row: dict[str, Any], prefix: str) -> str:
    """The one `name` Popolo wants: English, else Russian, else Kazakh."""
    return str(row[f"{prefix}_en"] or row[f"{prefix}_ru"] or row[f"{prefix}_kk"])


def _contacts(row: dict[str, Any], types: Iterable[str]) -> list[dict[str, str]]:
    return [{"type": t, "value": row[t]} for t in types if row[t]]


def _links(row: dict[str, Any]) -> list[dict[str, str]]:
    return [{"url": row["website"], "note": "website"}] if row["website"] else []


def popolo_area(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["code"],
        "name": _display(row, "name"),
        "name_translations": _translations(row, "name"),
        "classification": row["kind"],
        "parent_id": row["parent__code"],
        "identifiers": [
            {"scheme": scheme, "identifier": row[key]}
            for scheme, key in (("ISO 3166-2", "iso_code"), ("KATO", "kato_code"))
            if row[key]
        ],
        "centre": {
            "lat": row["centre_lat"],
            "lon": row["centre_lon"],
            "name_translations": _translations(row, "centre"),
        },
        "population": row["population"],
        "number": row["number"],
        "body_id": row["body__slug"],
        "valid_from": _iso(row["valid_from"]),
        "valid_until": _iso(row["valid_until"]),
        "is_demo": row["is_demo"],
    }


def popolo_organization(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["slug"],
        "name": _display(row, "name"),
        "name_translations": _translations(row, "name"),
        "description_translations": _translations(row, "description"),
        "classification": row["kind"],
        "parent_id": row["parent__slug"],
        "area_id": row["area__code"],
        "founding_date": _iso(row["founding_date"]),
        "dissolution_date": _iso(row["dissolution_date"]),
        "seats": row["seats"],
        "contact_details": _contacts(row, ("email", "phone", "address")),
        "links": _links(row),
        "is_demo": row["is_demo"],
    }


def popolo_person(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": person_id(row["pk"]),
        "name": _display(row, "name"),
        "name_translations": _translations(row, "name"),
        "sort_name": row["sort_name"],
        "gender": row["gender"],
        "biography_translations": _translations(row, "biography"),
        "contact_details": _contacts(row, ("email", "phone")),
        "links": _links(row),
        "is_demo": row["is_demo"],
    }


def popolo_post(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": post_id(row["pk"]),
        "label": _display(row, "label"),
        "label_translations": _translations(row, "label"),
        "organization_id": row["organization__slug"],
        "role": row["role"],
        "area_id": row["area__code"],
        "start_date": _iso(row["start_date"]),
        "end_date": _iso(row["end_date"]),
        "is_demo": row["is_demo"],
    }


def popolo_membership(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": membership_id(row["pk"]),
        "person_id": person_id(row["person_id"]),
        "organization_id": row["organization__slug"],
        "post_id": post_id(row["post_id"]) if row["post_id"] else None,
        "area_id": row["post__area__code"],
        "role": row["role"],
        "on_behalf_of_id": row["on_behalf_of__slug"],
        "election_method": row["election_method"],
        "start_date": _iso(row["start_date"]),
        "end_date": _iso(row["end_date"]),
        "is_demo": row["is_demo"],
    }


META = {
    "generator": "Maslikhat",
    "format": "Popolo (https://www.popoloproject.com/) with kk/ru/en translations",
    "languages": list(LANGUAGES),
}

# The document's lists in order: name → (rows, row → Popolo object).
POPOLO_SECTIONS: dict[
    str,
    tuple[Callable[[bool], QuerySet[Any, dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]],
] = {
    "areas": (_areas, popolo_area),
    "organizations": (_organizations, popolo_organization),
    "persons": (_persons, popolo_person),
    "posts": (_posts, popolo_post),
    "memberships": (_memberships, popolo_membership),
}

# Rows read from the database cursor at a time, and objects per piece of a streamed document.
STREAM_CHUNK = 2000
STREAM_BATCH = 500


def popolo_document(*, include_demo: bool = True) -> dict[str, Any]:
    """The whole directory as one Popolo JSON document, in five queries. Areas come without
    boundaries. With `include_demo=False` synthetic demo records are left out."""
    document: dict[str, Any] = {"meta": dict(META)}
    for name, (rows, to_popolo) in POPOLO_SECTIONS.items():
        document[name] = [to_popolo(r) for r in rows(include_demo)]
    return document


def popolo_stream(*, include_demo: bool = True) -> Iterator[str]:
    """The same document as `popolo_document` (it parses to an equal dict), as JSON text in
    pieces: each of the five tables is read with one query through a cursor, STREAM_CHUNK rows
    at a time, so memory stays flat whatever the size of the directory (the whole country with
    its settlements is about 9 MB)."""
    yield '{"meta": ' + json.dumps(META, ensure_ascii=False)
    for name, (rows, to_popolo) in POPOLO_SECTIONS.items():
        yield f', "{name}": ['
        batch: list[str] = []
        first = True
        for row in rows(include_demo).iterator(chunk_size=STREAM_CHUNK):
            batch.append(json.dumps(to_popolo(row), ensure_ascii=False))
            if len(batch) >= STREAM_BATCH:
                yield ("" if first else ", ") + ", ".join(batch)
                first, batch = False, []
        if batch:
            yield ("" if first else ", ") + ", ".join(batch)
        yield "]"
    yield "}"


# ------------------------------------------------------------------------------------------ CSV


def _area_csv(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "parent_code": row["parent__code"], "body": row["body__slug"]}


def _organization_csv(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": row["slug"], "parent_id": row["parent__slug"], "area_id": row["area__code"]}


def _person_csv(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": person_id(row["pk"])}


def _post_csv(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "id": post_id(row["pk"]),
        "organization_id": row["organization__slug"],
        "area_id": row["area__code"],
    }


def _membership_csv(row: dict[str, Any]) -> dict[str, Any]:
    return popolo_membership(row)


# The CSV files: name → (columns, rows, row → CSV values).
CSV_KINDS: dict[
    str,
    tuple[
        tuple[str, ...],
        Callable[[bool], QuerySet[Any, dict[str, Any]]],
        Callable[[dict[str, Any]], dict[str, Any]],
    ],
] = {
    "areas": (
        (
            "code",
            "kind",
            "parent_code",
            "name_kk",
            "name_ru",
            "name_en",
            "iso_code",
            "kato_code",
            "centre_kk",
            "centre_ru",
            "centre_en",
            "centre_lat",
            "centre_lon",
            "population",
            "number",
            "body",
            "valid_from",
            "valid_until",
            "is_demo",
        ),
        _areas,
        _area_csv,
    ),
    "organizations": (
        (
            "id",
            "kind",
            "parent_id",
            "area_id",
            "name_kk",
            "name_ru",
            "name_en",
            "founding_date",
            "dissolution_date",
            "seats",
            "email",
            "phone",
            "address",
            "website",
            "is_demo",
        ),
        _organizations,
        _organization_csv,
    ),
    "people": (
        (
            "id",
            "name_kk",
            "name_ru",
            "name_en",
            "sort_name",
            "gender",
            "email",
            "phone",
            "website",
            "is_demo",
        ),
        _persons,
        _person_csv,
    ),
    "posts": (
        (
            "id",
            "organization_id",
            "role",
            "label_kk",
            "label_ru",
            "label_en",
            "area_id",
            "start_date",
            "end_date",
            "is_demo",
        ),
        _posts,
        _post_csv,
    ),
    "memberships": (
        (
            "id",
            "person_id",
            "organization_id",
            "post_id",
            "area_id",
            "role",
            "on_behalf_of_id",
            "election_method",
            "start_date",
            "end_date",
            "is_demo",
        ),
        _memberships,
        _membership_csv,
    ),
}


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return export_cell(value)


def write_csv(kind: str, out: IO[str], *, include_demo: bool = True) -> int:
    """Write the CSV file `kind` (a key of CSV_KINDS: areas, organizations, people, posts,
    memberships) to `out` in one query; returns the number of data rows. Dates are YYYY-MM-DD,
    flags true/false, empty cells empty; text that would start a formula is neutralised
    (`maslikhat.core.exports.export_cell`)."""
    columns, rows, to_csv = CSV_KINDS[kind]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows(include_demo).iterator(chunk_size=STREAM_CHUNK):
        values = to_csv(row)
        writer.writerow({c: _csv_value(values[c]) for c in columns})
        count += 1
    return count
