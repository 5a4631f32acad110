"""Exports of the directory: Popolo JSON and CSV. Constant number of queries, no personal data
(the directory holds only public contacts; accounts are never exported)."""

from __future__ import annotations

import csv
from typing import IO, Any

from .models import Area, Membership, Organization, Person, Post

AREA_FIELDS = [
    "code",
    "kind",
    "parent",
    "name_kk",
    "name_ru",
    "name_en",
    "iso_code",
    "kato_code",
    "centre_lat",
    "centre_lon",
    "population",
    "number",
    "body",
    "valid_from",
    "valid_until",
    "is_demo",
]
ORG_FIELDS = [
    "slug",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "parent",
    "area",
    "founding_date",
    "dissolution_date",
    "seats",
    "email",
    "phone",
    "address",
    "website",
    "is_demo",
]
PERSON_FIELDS = [
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
]
MEMBERSHIP_FIELDS = [
    "id",
    "person_id",
    "organization",
    "role",
    "post_id",
    "post_label_en",
    "constituency",
    "party",
    "election_method",
    "start_date",
    "end_date",
    "is_demo",
]


def _names(row: dict[str, Any], field: str = "name") -> dict[str, str]:
    return {lang: row.get(f"{field}_{lang}") or "" for lang in ("kk", "ru", "en")}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def area_rows() -> list[dict[str, Any]]:
    return [
        {**r, "parent": r.pop("parent__code"), "body": r.pop("body__slug")}
        for r in Area.objects.order_by("kind", "code").values(
            *[f for f in AREA_FIELDS if f not in ("parent", "body")], "parent__code", "body__slug"
        )
    ]


def organization_rows() -> list[dict[str, Any]]:
    return [
        {**r, "parent": r.pop("parent__slug"), "area": r.pop("area__code")}
        for r in Organization.objects.order_by("kind", "slug").values(
            *[f for f in ORG_FIELDS if f not in ("parent", "area")], "parent__slug", "area__code"
        )
    ]


def person_rows() -> list[dict[str, Any]]:
    return list(Person.objects.order_by("id").values(*PERSON_FIELDS))


def membership_rows() -> list[dict[str, Any]]:
    rows = Membership.objects.order_by("id").values(
        "id",
        "person_id",
        "organization__slug",
        "role",
        "post_id",
        "post__label_en",
        "post__area__code",
        "post__area__kind",
        "on_behalf_of__slug",
        "election_method",
        "start_date",
        "end_date",
        "is_demo",
    )
    return [
        {
            "id": r["id"],
            "person_id": r["person_id"],
            "organization": r["organization__slug"],
            "role": r["role"],
            "post_id": r["post_id"],
            "post_label_en": r["post__label_en"] or "",
            "constituency": r["post__area__code"] if r["post__area__kind"] == "constituency" else None,
            "party": r["on_behalf_of__slug"],
            "election_method": r["election_method"],
            "start_date": r["start_date"],
            "end_date": r["end_date"],
            "is_demo": r["is_demo"],
        }
        for r in rows
    ]


def popolo_document() -> dict[str, Any]:
    """The whole directory as Popolo JSON (areas without their full boundaries)."""
    posts = Post.objects.order_by("id").values(
        "id",
        "organization__slug",
        "role",
        "label_kk",
        "label_ru",
        "label_en",
        "area__code",
        "start_date",
        "end_date",
    )
    return {
        "meta": {
            "generator": "Maslikhat",
            "boundaries": "OCHA / HDX COD-AB (regions); demo constituencies synthetic",
        },
        "areas": [
            {
                "id": a["code"],
                "name": a["name_en"] or a["name_ru"] or a["name_kk"],
                "name_translations": _names(a),
                "classification": a["kind"],
                "parent_id": a["parent"],
                "identifiers": [
                    {"scheme": s, "identifier": a[k]}
                    for s, k in (("ISO 3166-2", "iso_code"), ("KATO", "kato_code"))
                    if a[k]
                ],
                "is_demo": a["is_demo"],
            }
            for a in area_rows()
        ],
        "organizations": [
            {
                "id": o["slug"],
                "name": o["name_en"] or o["name_ru"] or o["name_kk"],
                "name_translations": _names(o),
                "classification": o["kind"],
                "parent_id": o["parent"],
                "area_id": o["area"],
                "founding_date": _iso(o["founding_date"]),
                "dissolution_date": _iso(o["dissolution_date"]),
                "seats": o["seats"],
                "is_demo": o["is_demo"],
            }
            for o in organization_rows()
        ],
        "persons": [
            {
                "id": f"person/{p['id']}",
                "name": p["name_en"] or p["name_ru"] or p["name_kk"],
                "name_translations": _names(p),
                "sort_name": p["sort_name"],
                "gender": p["gender"] or None,
                "contact_details": [{"type": t, "value": p[t]} for t in ("email", "phone") if p[t]],
                "is_demo": p["is_demo"],
            }
            for p in person_rows()
        ],
        "posts": [
            {
                "id": f"post/{p['id']}",
                "organization_id": p["organization__slug"],
                "role": p["role"],
                "label": p["label_en"],
                "label_translations": {"kk": p["label_kk"], "ru": p["label_ru"], "en": p["label_en"]},
                "area_id": p["area__code"],
                "start_date": _iso(p["start_date"]),
                "end_date": _iso(p["end_date"]),
            }
            for p in posts
        ],
        "memberships": [
            {
                "id": f"membership/{m['id']}",
                "person_id": f"person/{m['person_id']}",
                "organization_id": m["organization"],
                "post_id": f"post/{m['post_id']}" if m["post_id"] else None,
                "role": m["role"],
                "on_behalf_of_id": m["party"],
                "election_method": m["election_method"] or None,
                "start_date": _iso(m["start_date"]),
                "end_date": _iso(m["end_date"]),
                "is_demo": m["is_demo"],
            }
            for m in membership_rows()
        ],
    }


CSV_KINDS = {
    "areas": (AREA_FIELDS, area_rows),
    "organizations": (ORG_FIELDS, organization_rows),
    "people": (PERSON_FIELDS, person_rows),
    "memberships": (MEMBERSHIP_FIELDS, membership_rows),
}


def write_csv(kind: str, out: IO[str]) -> int:
    fields, rows = CSV_KINDS[kind]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows():
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        n += 1
    return n
