"""The directory's exports at the full country (load-reference: 20 regions, 208 districts and
cities, okrugs and settlements, 228 maslikhats): the Popolo document (streamed by the API) and the
CSV files hold everything, with KATO codes and parents, in a constant number of queries."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any, cast

import pytest
from django.db.models import Model

from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.exports import CSV_KINDS, popolo_document, popolo_stream, write_csv
from maslikhat.directory.models import Area, Membership, Organization, Person, Post
from tests.country import country  # noqa: F401  (the module-scoped fixture)
from tests.factories import MembershipFactory, PersonFactory, PostFactory

pytestmark = pytest.mark.usefixtures("country")

MASLIKHATS = (
    OrganizationKind.REGIONAL_MASLIKHAT,
    OrganizationKind.DISTRICT_MASLIKHAT,
    OrganizationKind.CITY_MASLIKHAT,
)


@pytest.fixture
def deputies(db: None) -> list[Membership]:
    """A deputy with a post at each of three district maslikhats of different regions."""
    bodies = list(
        Organization.objects.filter(kind=OrganizationKind.DISTRICT_MASLIKHAT)
        .order_by("area__parent__code", "area__code")
        .distinct()[::60][:3]
    )
    assert len(bodies) == 3
    out: list[Membership] = []
    for body in bodies:
        post = PostFactory(organization=body, area=body.area)
        out.append(cast(Membership, MembershipFactory(organization=body, post=post, person=PersonFactory())))
    return out


def _streamed(client: Any) -> tuple[dict[str, Any], list[bytes]]:
    r = client.get("/api/v1/export/popolo.json")
    assert r.status_code == 200
    assert r.streaming
    assert r["Content-Type"] == "application/json; charset=utf-8"
    pieces = list(r.streaming_content)
    return json.loads(b"".join(pieces)), pieces


def test_popolo_export_holds_the_whole_country(deputies: list[Membership], client: Any) -> None:
    # when the whole directory is exported through the API
    doc, pieces = _streamed(client)
    # then every row of every table is in it
    assert {k: len(v) for k, v in doc.items() if isinstance(v, list)} == {
        "areas": Area.objects.count(),
        "organizations": Organization.objects.count(),
        "persons": Person.objects.count(),
        "posts": Post.objects.count(),
        "memberships": Membership.objects.count(),
    }
    assert len(doc["areas"]) > 16_000
    # and all 228 maslikhats, by kind
    kinds = Counter(o["classification"] for o in doc["organizations"])
    assert (kinds["regional_maslikhat"], kinds["district_maslikhat"], kinds["city_maslikhat"]) == (
        20,
        170,
        38,
    )
    # and each district-level maslikhat sits in its district, under its regional maslikhat
    areas = {a["id"]: a for a in doc["areas"]}
    orgs = {o["id"]: o for o in doc["organizations"]}
    for o in doc["organizations"]:
        if o["classification"] in ("district_maslikhat", "city_maslikhat"):
            assert orgs[o["parent_id"]]["classification"] == "regional_maslikhat"
            assert areas[o["area_id"]]["parent_id"] == orgs[o["parent_id"]]["area_id"]
    # and the deputies, their posts and memberships
    persons = {p["id"] for p in doc["persons"]}
    posts = {p["id"]: p for p in doc["posts"]}
    for m in deputies:
        exported = next(x for x in doc["memberships"] if x["id"] == f"membership/{m.pk}")
        assert exported["person_id"] in persons
        assert posts[exported["post_id"]]["organization_id"] == m.organization.slug
        assert exported["area_id"] == m.organization.area.code
    # and it came in many pieces, none of them large (streamed, not built whole)
    assert len(pieces) > 30
    assert max(len(p) for p in pieces) < 1_000_000


def test_popolo_areas_carry_kato_codes_and_parents(db: None) -> None:
    # given the country; then every district, okrug and settlement has its KATO code and a
    # parent that is in the document, up to a region
    doc = json.loads("".join(popolo_stream()))
    areas = {a["id"]: a for a in doc["areas"]}
    below_region = [
        a
        for a in doc["areas"]
        if a["classification"]
        in (AreaKind.DISTRICT, AreaKind.CITY, AreaKind.RURAL_OKRUG, AreaKind.TOWN, AreaKind.SETTLEMENT)
    ]
    assert (
        len(below_region) == Area.objects.filter(kind__in=[a["classification"] for a in below_region]).count()
    )
    missing_kato = [a["id"] for a in below_region if not any(i["scheme"] == "KATO" for i in a["identifiers"])]
    assert missing_kato == []
    for a in below_region:
        chain, seen = a, 0
        while chain["classification"] != AreaKind.REGION:
            chain = areas[chain["parent_id"]]
            seen += 1
            assert seen < 6
    # and a settlement's KATO code is its own (9 digits)
    settlement = next(a for a in below_region if a["classification"] == AreaKind.SETTLEMENT)
    kato = next(i["identifier"] for i in settlement["identifiers"] if i["scheme"] == "KATO")
    assert len(kato) == 9 and kato.isdigit()


def test_streamed_document_equals_the_document(deputies: list[Membership], db: None) -> None:
    # the API's streamed text and the command's document say the same
    assert json.loads("".join(popolo_stream())) == popolo_document()
    without_demo = json.loads("".join(popolo_stream(include_demo=False)))
    assert without_demo == popolo_document(include_demo=False)


def test_popolo_export_query_count_does_not_grow(
    deputies: list[Membership], client: Any, django_assert_num_queries: Any
) -> None:
    # one query per table, however many rows (16,000 areas, every maslikhat): the queries run
    # while the response streams
    with django_assert_num_queries(5):
        doc, _pieces = _streamed(client)
    assert len(doc["memberships"]) == Membership.objects.count() >= 3


@pytest.mark.parametrize("kind", list(CSV_KINDS))
def test_csv_files_hold_every_row_in_one_query(
    kind: str, deputies: list[Membership], django_assert_num_queries: Any
) -> None:
    # when a CSV file is written for the whole country
    out = io.StringIO()
    with django_assert_num_queries(1):
        count = write_csv(kind, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    # then it has one line per row of its table
    models: dict[str, type[Model]] = {
        "areas": Area,
        "organizations": Organization,
        "people": Person,
        "posts": Post,
        "memberships": Membership,
    }
    model = models[kind]
    assert count == len(rows) == model._default_manager.count() > 0
    if kind == "areas":
        by_code = {r["code"]: r for r in rows}
        settlements = [r for r in rows if r["kind"] == AreaKind.SETTLEMENT]
        assert len(settlements) == 13655
        assert all(r["kato_code"] and r["parent_code"] in by_code for r in settlements)
    if kind == "organizations":
        maslikhats = Counter(r["kind"] for r in rows if r["kind"] in MASLIKHATS)
        assert sum(maslikhats.values()) == 228
        assert all(r["area_id"] for r in rows if r["kind"] in MASLIKHATS)
