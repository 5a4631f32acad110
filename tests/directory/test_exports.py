"""Exports: Popolo JSON and CSV files, in a constant number of queries, without accounts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.utils import translation

from maslikhat.directory.exports import CSV_KINDS, popolo_document, write_csv
from maslikhat.directory.importers import import_popolo
from maslikhat.directory.models import Area, Membership, Organization, Person, Post
from tests.factories import MembershipFactory, PersonFactory

COLLECTIONS = ("areas", "organizations", "persons", "posts", "memberships")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _by_id(doc: dict[str, Any], collection: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in doc[collection]}


def _csv_rows(kind: str, **options: Any) -> list[dict[str, str]]:
    out = io.StringIO()
    write_csv(kind, out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_popolo_document_describes_deputies_posts_areas_and_bodies(astana):
    # given Astana's maslikhat with a constituency, its deputy and a chair
    deputy, membership = astana["deputy"], astana["deputy_membership"]
    # when the directory is exported
    doc = popolo_document()
    # then the deputy, the seat, the membership, the constituency and the body are there
    assert set(doc) == {"meta", *COLLECTIONS}
    assert _by_id(doc, "persons")[f"person/{deputy.pk}"] == {
        "id": f"person/{deputy.pk}",
        "name": "Aigerim Testova",
        "name_translations": {"kk": "Айгерім Тестова", "ru": "Айгерим Тестова", "en": "Aigerim Testova"},
        "sort_name": deputy.sort_name,
        "gender": "",
        "biography_translations": {"kk": "", "ru": "", "en": ""},
        "contact_details": [],
        "links": [],
        "is_demo": False,
    }
    assert _by_id(doc, "memberships")[f"membership/{membership.pk}"] == {
        "id": f"membership/{membership.pk}",
        "person_id": f"person/{deputy.pk}",
        "organization_id": "kz-71-maslikhat",
        "post_id": f"post/{membership.post_id}",
        "area_id": "KZ-71-T01",
        "role": "constituency_deputy",
        "on_behalf_of_id": None,
        "election_method": "single_mandate",
        "start_date": "2023-03-29",
        "end_date": None,
        "is_demo": False,
    }
    assert _by_id(doc, "posts")[f"post/{membership.post_id}"] == {
        "id": f"post/{membership.post_id}",
        "label": "Deputy for constituency No. 1",
        "label_translations": {"kk": "Депутат", "ru": "Депутат", "en": "Deputy for constituency No. 1"},
        "organization_id": "kz-71-maslikhat",
        "role": "constituency_deputy",
        "area_id": "KZ-71-T01",
        "start_date": "2023-03-29",
        "end_date": None,
        "is_demo": False,
    }
    assert _by_id(doc, "areas")["KZ-71-T01"] == {
        "id": "KZ-71-T01",
        "name": "Constituency No. 1",
        "name_translations": {
            "kk": "№1 сайлау округі",
            "ru": "Избирательный округ №1",
            "en": "Constituency No. 1",
        },
        "classification": "constituency",
        "parent_id": "KZ-71",
        "identifiers": [],
        "centre": {"lat": None, "lon": None, "name_translations": {"kk": "", "ru": "", "en": ""}},
        "population": None,
        "number": 1,
        "body_id": "kz-71-maslikhat",
        "valid_from": "2023-03-19",
        "valid_until": None,
        "is_demo": False,
    }
    region = _by_id(doc, "areas")["KZ-71"]
    assert (
        region["classification"],
        region["parent_id"],
        region["identifiers"],
        region["centre"]["lat"],
    ) == (
        "region",
        "KZ",
        [{"scheme": "ISO 3166-2", "identifier": "KZ-71"}],
        51.1694,
    )
    body = _by_id(doc, "organizations")["kz-71-maslikhat"]
    assert (body["classification"], body["area_id"], body["parent_id"], body["founding_date"]) == (
        "regional_maslikhat",
        "KZ-71",
        None,
        "1994-03-07",
    )
    council = _by_id(doc, "organizations")["senate-council-on-maslikhats"]
    assert (council["parent_id"], council["founding_date"], council["dissolution_date"]) == (
        "senate",
        "2007-11-19",
        "2026-07-01",
    )


def test_popolo_document_has_no_boundaries_and_no_accounts(astana):
    # given a person linked to a staff account
    staff_user = astana["staff_user"]
    # when the directory is exported
    text = json.dumps(popolo_document(), ensure_ascii=False)
    doc = json.loads(text)
    # then no area carries its boundary, and nothing of the account appears
    assert {k for a in doc["areas"] for k in a} & {"boundary", "boundary_web", "geometry"} == set()
    assert {k for p in doc["persons"] for k in p} & {"user", "user_id", "account"} == set()
    assert staff_user.username not in text
    assert staff_user.email not in text


def test_popolo_document_runs_a_constant_number_of_queries(astana, django_assert_max_num_queries):
    # given the directory with a few people
    with django_assert_max_num_queries(5):
        small = popolo_document()
    # when thirty more deputies and their memberships are added
    maslikhat = astana["maslikhat"]
    for _ in range(30):
        MembershipFactory(person=PersonFactory(), organization=maslikhat)
    # then the export still takes at most five queries
    with django_assert_max_num_queries(5):
        large = popolo_document()
    assert (len(large["persons"]), len(large["memberships"])) == (
        len(small["persons"]) + 30,
        len(small["memberships"]) + 30,
    )


def test_popolo_document_without_demo_records(astana):
    # given a demo person with a demo membership
    demo = cast(Person, PersonFactory(is_demo=True))
    MembershipFactory(person=demo, organization=astana["maslikhat"], is_demo=True)
    # when the export leaves demo records out
    doc = popolo_document(include_demo=False)
    full = popolo_document()
    # then that person and membership are missing, and nothing else
    assert f"person/{demo.pk}" not in _by_id(doc, "persons")
    assert len(doc["persons"]) == len(full["persons"]) - 1
    assert len(doc["memberships"]) == len(full["memberships"]) - 1
    assert all(not r["is_demo"] for c in COLLECTIONS for r in doc[c])


def _canonical(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The document with person/post/membership ids (primary keys) replaced by positions."""
    ids = {r["id"]: f"{c}#{i}" for c in ("persons", "posts", "memberships") for i, r in enumerate(doc[c])}
    return {
        c: [{k: ids.get(v, v) if isinstance(v, str) else v for k, v in r.items()} for r in doc[c]]
        for c in COLLECTIONS
    }


def _empty_directory() -> None:
    Membership.objects.all().delete()
    Post.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.update(parent=None)
    Area.objects.update(parent=None, body=None)
    Organization.objects.all().delete()
    Area.objects.all().delete()


def test_popolo_export_imports_back_into_an_empty_directory(astana, tmp_path):
    # given the export of a directory with deputies, chairs, staff, posts and constituencies
    exported = popolo_document()
    path = tmp_path / "popolo.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    # when the directory is emptied and the export imported
    _empty_directory()
    assert Area.objects.count() + Organization.objects.count() + Person.objects.count() == 0
    result = import_popolo(path=path)
    # then every record is back, and exporting again gives the same document
    assert result.created == {c: len(exported[c]) for c in COLLECTIONS}
    assert _canonical(popolo_document()) == _canonical(exported)
    membership = Membership.objects.get(person__name_en="Aigerim Testova")
    assert (membership.organization.slug, membership.post.area.code, membership.post.area.body.slug) == (
        "kz-71-maslikhat",
        "KZ-71-T01",
        "kz-71-maslikhat",
    )


def test_popolo_export_imported_into_the_same_directory_changes_nothing(astana, tmp_path):
    # given the export of the directory
    exported = popolo_document()
    path = tmp_path / "popolo.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    # when it is imported into the directory it came from
    result = import_popolo(path=path)
    # then every record is found, none created or changed
    assert result.created == dict.fromkeys(COLLECTIONS, 0)
    assert result.updated == dict.fromkeys(COLLECTIONS, 0)
    assert result.unchanged == {c: len(exported[c]) for c in COLLECTIONS}
    assert popolo_document() == exported


def test_write_csv_memberships(astana, django_assert_num_queries):
    # given Astana's deputy
    deputy, membership = astana["deputy"], astana["deputy_membership"]
    # when the memberships file is written
    out = io.StringIO()
    with django_assert_num_queries(1):
        count = write_csv("memberships", out)
    # then it has a header and one row per membership, with stable ids and ISO dates
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == Membership.objects.count()
    assert out.getvalue().splitlines()[0] == (
        "id,person_id,organization_id,post_id,area_id,role,on_behalf_of_id,election_method,start_date,"
        "end_date,is_demo"
    )
    assert {r["id"]: r for r in rows}[f"membership/{membership.pk}"] == {
        "id": f"membership/{membership.pk}",
        "person_id": f"person/{deputy.pk}",
        "organization_id": "kz-71-maslikhat",
        "post_id": f"post/{membership.post_id}",
        "area_id": "KZ-71-T01",
        "role": "constituency_deputy",
        "on_behalf_of_id": "",
        "election_method": "single_mandate",
        "start_date": "2023-03-29",
        "end_date": "",
        "is_demo": "false",
    }


def test_write_csv_areas_organizations_people_and_posts(astana):
    # given the reference data and Astana's people
    deputy = astana["deputy"]
    # when each file is written
    areas = {r["code"]: r for r in _csv_rows("areas")}
    organizations = {r["id"]: r for r in _csv_rows("organizations")}
    people = {r["id"]: r for r in _csv_rows("people")}
    posts = _csv_rows("posts")
    # then each row holds the record's public fields
    assert (areas["KZ-71-T01"]["parent_code"], areas["KZ-71-T01"]["body"], areas["KZ-71-T01"]["number"]) == (
        "KZ-71",
        "kz-71-maslikhat",
        "1",
    )
    assert (areas["KZ-19"]["name_en"], areas["KZ-19"]["centre_en"], areas["KZ-19"]["valid_until"]) == (
        "Almaty Region",
        "Konaev",
        "",
    )
    assert (organizations["kz-71-apparatus"]["kind"], organizations["kz-71-apparatus"]["parent_id"]) == (
        "apparatus",
        "kz-71-maslikhat",
    )
    assert people[f"person/{deputy.pk}"]["name_kk"] == "Айгерім Тестова"
    assert list(people[f"person/{deputy.pk}"]) == list(CSV_KINDS["people"][0])
    assert len(posts) == Post.objects.count()
    assert len(areas) == Area.objects.count()


def test_export_csv_command_writes_every_file_without_accounts(astana, tmp_path, capsys):
    # given a person linked to a staff account
    staff_user = astana["staff_user"]
    target = tmp_path / "out"
    # when the command writes the CSV files into a new directory
    call_command("export_csv", str(target))
    # then the five files are there, and nothing of the account
    assert sorted(p.name for p in target.iterdir()) == [
        "areas.csv",
        "memberships.csv",
        "organizations.csv",
        "people.csv",
        "posts.csv",
    ]
    people = (target / "people.csv").read_text(encoding="utf-8")
    assert staff_user.username not in people
    assert "user" not in people.splitlines()[0]
    assert len(people.splitlines()) == Person.objects.count() + 1
    out = capsys.readouterr().out.splitlines()
    assert out[2] == f"{target / 'people.csv'}: {Person.objects.count()} rows"


def test_export_popolo_command_to_a_file_and_to_stdout(astana, tmp_path, capsys):
    # when the command writes the document to a file
    path = tmp_path / "directory.json"
    call_command("export_popolo", str(path))
    # then the file is the document
    assert json.loads(path.read_text(encoding="utf-8")) == popolo_document()
    # and when it writes to standard output without demo records
    demo = cast(Person, PersonFactory(is_demo=True))
    capsys.readouterr()
    call_command("export_popolo", "-", "--no-demo")
    printed = json.loads(capsys.readouterr().out)
    assert f"person/{demo.pk}" not in _by_id(printed, "persons")
    assert len(printed["persons"]) == Person.objects.count() - 1


def test_export_dates_are_plain_iso_dates(astana):
    # given a membership that ended
    membership = astana["deputy_membership"]
    Membership.objects.filter(pk=membership.pk).update(end_date=date(2024, 1, 1))
    # when exported
    doc = popolo_document()
    # then the end date is YYYY-MM-DD
    assert _by_id(doc, "memberships")[f"membership/{membership.pk}"]["end_date"] == "2024-01-01"
