"""Directory API: areas, bodies, people and the Popolo export."""

from __future__ import annotations

import json
from typing import cast

import pytest

from maslikhat.directory.models import Area, Membership, Organization, Person, Post
from tests.factories import MembershipFactory, PersonFactory

REGIONS = [
    "KZ-10",
    "KZ-11",
    "KZ-15",
    "KZ-19",
    "KZ-23",
    "KZ-27",
    "KZ-31",
    "KZ-33",
    "KZ-35",
    "KZ-39",
    "KZ-43",
    "KZ-47",
    "KZ-55",
    "KZ-59",
    "KZ-61",
    "KZ-62",
    "KZ-63",
    "KZ-71",
    "KZ-75",
    "KZ-79",
]


def _codes(response):
    return [item["code"] for item in response.json()["items"]]


# ------------------------------------------------------------------ areas


def test_areas_lists_regions_with_every_field(reference, client):
    # given the reference data; when the first regions are asked for
    r = client.get("/api/v1/areas?kind=region&limit=2")
    # then the page holds two of the twenty, with names in three languages and the parent's code
    assert r.status_code == 200
    assert r.json() == {
        "items": [
            {
                "code": "KZ-10",
                "kind": "region",
                "name": {"kk": "Абай облысы", "ru": "область Абай", "en": "Abai Region"},
                "parent": "KZ",
                "iso_code": "KZ-10",
                "kato_code": "",
                "centre": {"kk": "Семей", "ru": "Семей", "en": "Semey"},
                "centre_lat": 50.4111,
                "centre_lon": 80.2275,
                "population": 605872,
                "number": None,
                "body_id": None,
                "valid_from": "2022-06-08",
                "valid_until": None,
                "is_demo": False,
                "parents": [],
                "needs_review": False,
                "boundary_pending": False,
            },
            {
                "code": "KZ-11",
                "kind": "region",
                "name": {"kk": "Ақмола облысы", "ru": "Акмолинская область", "en": "Akmola Region"},
                "parent": "KZ",
                "iso_code": "KZ-11",
                "kato_code": "",
                "centre": {"kk": "Көкшетау", "ru": "Кокшетау", "en": "Kokshetau"},
                "centre_lat": 53.2833,
                "centre_lon": 69.3833,
                "population": 789015,
                "number": None,
                "body_id": None,
                "valid_from": "1991-12-16",
                "valid_until": None,
                "is_demo": False,
                "parents": [],
                "needs_review": False,
                "boundary_pending": False,
            },
        ],
        "count": 20,
    }


def test_areas_pages_follow_each_other(reference, client):
    # given the twenty regions; when they are read in pages of seven
    pages = [client.get(f"/api/v1/areas?kind=region&limit=7&offset={o}") for o in (0, 7, 14, 21)]
    # then the pages cover the list once, in order, and the count is the total every time
    assert [_codes(p) for p in pages] == [REGIONS[0:7], REGIONS[7:14], REGIONS[14:20], []]
    assert {p.json()["count"] for p in pages} == {20}


def test_areas_default_page_is_one_hundred(reference, client):
    r = client.get("/api/v1/areas")
    assert r.json()["count"] == 21  # the country and its twenty regions
    assert _codes(r) == ["KZ", *REGIONS]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("limit=501", "limit", "less_than_equal"),
        ("limit=0", "limit", "greater_than_equal"),
        ("offset=-1", "offset", "greater_than_equal"),
        ("offset=99999999999999999999", "offset", "less_than_equal"),
        ("limit=ten", "limit", "int_parsing"),
        ("kind=planet", "kind", "enum"),
        ("q=" + "x" * 101, "q", "string_too_long"),
        ("q=a%00b", "q", "null_characters"),
    ],
)
def test_areas_bad_filters_are_422_with_the_field(db, client, en, query, field, code):
    r = client.get(f"/api/v1/areas?{query}", **en)
    assert r.status_code == 422
    body = r.json()
    assert (body["code"], body["message"]) == ("validation_error", "Some fields are not valid.")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, code)]
    assert body["errors"][0]["message"]


def test_areas_filter_by_parent_and_by_name(reference, client):
    assert _codes(client.get("/api/v1/areas?parent=KZ&limit=3")) == ["KZ-10", "KZ-11", "KZ-15"]
    assert _codes(client.get("/api/v1/areas?q=Astana")) == ["KZ-71"]
    assert _codes(client.get("/api/v1/areas?q=Алматы")) == ["KZ-19", "KZ-75"]
    assert client.get("/api/v1/areas?parent=XX").json() == {"items": [], "count": 0}


def test_area_detail_has_children_and_web_boundary(astana, client):
    # given Astana with one constituency; when the city is asked for
    r = client.get("/api/v1/areas/KZ-71")
    # then its fields, its children's codes and its simplified boundary come back
    assert r.status_code == 200
    data = r.json()
    assert (data["code"], data["kind"], data["parent"], data["name"]["en"]) == (
        "KZ-71",
        "region",
        "KZ",
        "Astana",
    )
    assert data["children"] == ["KZ-71-T01"]
    assert data["boundary_web"] == Area.objects.get(code="KZ-71").boundary_web
    assert data["boundary_web"]["type"] == "MultiPolygon"


def test_area_detail_of_a_constituency_names_its_body(astana, client):
    data = client.get("/api/v1/areas/KZ-71-T01").json()
    assert (data["kind"], data["number"], data["body_id"], data["parent"], data["children"]) == (
        "constituency",
        1,
        astana["maslikhat"].pk,
        "KZ-71",
        [],
    )


def test_unknown_area_is_404_not_found(db, client, en):
    r = client.get("/api/v1/areas/XX-99", **en)
    assert r.status_code == 404
    assert r.json() == {"code": "not_found", "message": "No area with this code."}


def test_area_code_too_long_is_422(db, client):
    r = client.get("/api/v1/areas/" + "K" * 41)
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "code")


def test_areas_run_two_queries_whatever_the_page_size(reference, client, django_assert_num_queries):
    # one for the page (parents joined), one for the count
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/areas?limit=1").json()["items"]) == 1
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/areas?limit=100").json()["items"]) == 21


def test_area_detail_runs_two_queries(astana, client, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get("/api/v1/areas/KZ-71").status_code == 200


# ------------------------------------------------------------------ bodies


def test_bodies_filter_by_kind_and_area(astana, client):
    # given the reference bodies; when regional maslikhats are listed
    regional = client.get("/api/v1/bodies?kind=regional_maslikhat&limit=3").json()
    # then all twenty are counted, ordered by area code
    assert regional["count"] == 20
    assert [(b["slug"], b["area"]) for b in regional["items"]] == [
        ("kz-10-maslikhat", "KZ-10"),
        ("kz-11-maslikhat", "KZ-11"),
        ("kz-15-maslikhat", "KZ-15"),
    ]
    # and by area: Astana's maslikhat and its apparatus
    in_astana = client.get("/api/v1/bodies?area=KZ-71").json()
    assert [(b["slug"], b["kind"], b["parent_id"]) for b in in_astana["items"]] == [
        ("kz-71-apparatus", "apparatus", astana["maslikhat"].pk),
        ("kz-71-maslikhat", "regional_maslikhat", None),
    ]


def test_bodies_hide_dissolved_ones_unless_asked(reference, client):
    # given the Senate-era council, dissolved on 1 July 2026 (exclusive end)
    councils = client.get("/api/v1/bodies?kind=national_council").json()
    with_dissolved = client.get("/api/v1/bodies?kind=national_council&include_dissolved=true").json()
    assert [b["slug"] for b in councils["items"]] == ["kurultai-council-on-maslikhats"]
    assert sorted(b["slug"] for b in with_dissolved["items"]) == [
        "kurultai-council-on-maslikhats",
        "senate-council-on-maslikhats",
    ]


def test_body_detail_has_leaders_deputies_and_apparatus(astana, client):
    # given Astana's maslikhat with a chair and one constituency deputy
    r = client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}")
    # then the composition is split by role
    assert r.status_code == 200
    data = r.json()
    assert (data["slug"], data["kind"], data["area"]) == ("kz-71-maslikhat", "regional_maslikhat", "KZ-71")
    assert [(m["person"]["name"]["en"], m["role"]) for m in data["leaders"]] == [("Serik Chairov", "chair")]
    assert data["constituency_deputies"] == [
        {
            "id": astana["deputy_membership"].pk,
            "person": {
                "id": astana["deputy"].pk,
                "name": {"kk": "Айгерім Тестова", "ru": "Айгерим Тестова", "en": "Aigerim Testova"},
            },
            "body": {
                "id": astana["maslikhat"].pk,
                "slug": "kz-71-maslikhat",
                "kind": "regional_maslikhat",
                "name": {
                    "kk": "Астана қалалық мәслихаты",
                    "ru": "Маслихат города Астаны",
                    "en": "Astana City Maslikhat",
                },
            },
            "role": "constituency_deputy",
            "post": {"kk": "Депутат", "ru": "Депутат", "en": "Deputy for constituency No. 1"},
            "constituency": {"code": "KZ-71-T01", "number": 1},
            "party": None,
            "election_method": "single_mandate",
            "start_date": "2023-03-29",
            "end_date": None,
            "is_demo": False,
        }
    ]
    assert data["party_list_deputies"] == []
    assert data["apparatus"]["slug"] == "kz-71-apparatus"
    assert data["commissions"] == []


def test_body_detail_lists_party_list_deputies_with_their_party(astana, client):
    # given a party-list deputy of Astana's maslikhat
    party = Organization.objects.create(
        slug="test-party", kind="party", name_kk="Партия", name_en="Test Party", founding_date="2000-01-01"
    )
    person = PersonFactory(name_en="List Deputy")
    MembershipFactory(
        person=person,
        organization=astana["maslikhat"],
        role="party_list_deputy",
        election_method="party_list",
        on_behalf_of=party,
    )
    # when the body is read; then the deputy comes with the party
    data = client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}").json()
    assert [
        (m["person"]["name"]["en"], m["party"]["slug"], m["party"]["kind"])
        for m in data["party_list_deputies"]
    ] == [("List Deputy", "test-party", "party")]


def test_body_detail_on_a_past_day(astana, client):
    # given memberships that start on 29 March 2023; when the body is read as of 2023-01-01
    data = client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}?date=2023-01-01").json()
    # then nobody was in office yet
    assert (data["leaders"], data["constituency_deputies"]) == ([], [])


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/bodies/999999", 404, "not_found"),
        ("/api/v1/bodies/0", 422, "validation_error"),
        ("/api/v1/bodies/abc", 422, "validation_error"),
        ("/api/v1/bodies/99999999999999999999", 422, "validation_error"),
        ("/api/v1/bodies/1?date=2023-02-30", 422, "validation_error"),
        ("/api/v1/bodies?kind=senate", 422, "validation_error"),
    ],
)
def test_bad_body_requests(db, client, path, status, code):
    r = client.get(path)
    assert (r.status_code, r.json()["code"]) == (status, code)


def test_bodies_list_runs_two_queries_whatever_the_page_size(reference, client, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/bodies?limit=1").json()["items"]) == 1
    in_force = Organization.objects.current().count()
    with django_assert_num_queries(2):
        page = client.get("/api/v1/bodies?limit=100").json()
    assert len(page["items"]) == page["count"] == in_force > 40


def test_body_detail_runs_three_queries_whatever_its_size(astana, client, django_assert_num_queries):
    # given ten more constituency deputies
    post = Post.objects.get(area=astana["constituency"])
    MembershipFactory.create_batch(10, organization=astana["maslikhat"], post=post)
    # then the body, its memberships and its sub-bodies are three queries
    with django_assert_num_queries(3):
        data = client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}").json()
    assert len(data["constituency_deputies"]) == 11


# ------------------------------------------------------------------ people


def test_people_search_by_name_in_any_language(astana, client):
    assert [p["name"]["en"] for p in client.get("/api/v1/people?q=Testova").json()["items"]] == [
        "Aigerim Testova"
    ]
    assert [p["name"]["en"] for p in client.get("/api/v1/people?q=Чаиров").json()["items"]] == [
        "Serik Chairov"
    ]


def test_people_filter_by_body_and_current(astana, client):
    # given a former deputy of Astana's maslikhat
    former = PersonFactory(name_en="Former Deputy", sort_name="Aaa Former")
    MembershipFactory(person=former, organization=astana["maslikhat"], end_date="2024-01-01")
    body = astana["maslikhat"].pk
    # when the body's people are listed, with and without `current`
    everyone = client.get(f"/api/v1/people?body={body}").json()
    current = client.get(f"/api/v1/people?body={body}&current=true").json()
    # then the former deputy is listed only without it
    assert [p["name"]["en"] for p in everyone["items"]] == [
        "Former Deputy",
        "Aigerim Testova",
        "Serik Chairov",
    ]
    assert [p["name"]["en"] for p in current["items"]] == ["Aigerim Testova", "Serik Chairov"]
    assert (everyone["count"], current["count"]) == (3, 2)


def test_people_items_carry_no_contact_details(astana, client):
    item = client.get("/api/v1/people?q=Testova").json()["items"][0]
    assert set(item) == {"id", "name", "sort_name", "is_demo"}


def test_person_detail_lists_memberships_over_time(astana, client):
    # given the deputy also held an earlier seat in another body
    deputy = astana["deputy"]
    earlier = cast(
        Membership, MembershipFactory(person=deputy, start_date="2016-03-20", end_date="2021-01-10")
    )
    # when the person is read
    r = client.get(f"/api/v1/people/{deputy.pk}")
    # then both memberships come, latest first
    assert r.status_code == 200
    data = r.json()
    assert data["name"]["en"] == "Aigerim Testova"
    assert [
        (m["body"]["id"], m["constituency"], m["start_date"], m["end_date"]) for m in data["memberships"]
    ] == [
        (astana["maslikhat"].pk, {"code": "KZ-71-T01", "number": 1}, "2023-03-29", None),
        (earlier.organization_id, None, "2016-03-20", "2021-01-10"),
    ]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/people/999999", 404, "not_found"),
        ("/api/v1/people/-1", 422, "validation_error"),
        ("/api/v1/people/1.5", 422, "validation_error"),
        ("/api/v1/people?body=x", 422, "validation_error"),
        ("/api/v1/people?body=99999999999999999999", 422, "validation_error"),
        ("/api/v1/people?q=%00", 422, "validation_error"),
        ("/api/v1/people?current=maybe", 422, "validation_error"),
    ],
)
def test_bad_people_requests(db, client, path, status, code):
    r = client.get(path)
    assert (r.status_code, r.json()["code"]) == (status, code)


def test_unknown_person_is_404_with_message(db, client, en):
    assert client.get("/api/v1/people/999999", **en).json() == {
        "code": "not_found",
        "message": "No person with this id.",
    }


def test_people_list_runs_two_queries_whatever_the_page_size(astana, client, django_assert_num_queries):
    PersonFactory.create_batch(20)
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/people?limit=1").json()["items"]) == 1
    with django_assert_num_queries(2):
        page = client.get("/api/v1/people?limit=100").json()
    assert len(page["items"]) == page["count"] == 23


def test_person_detail_runs_two_queries_whatever_the_memberships(astana, client, django_assert_num_queries):
    MembershipFactory.create_batch(5, person=astana["deputy"], end_date="2023-01-01", start_date="2020-01-01")
    with django_assert_num_queries(2):
        data = client.get(f"/api/v1/people/{astana['deputy'].pk}").json()
    assert len(data["memberships"]) == 6


# ------------------------------------------------------------------ export


def test_popolo_export_holds_the_whole_directory(astana, client):
    r = client.get("/api/v1/export/popolo.json")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(b"".join(r.streaming_content))  # streamed: the country is about 9 MB
    assert {k: len(v) for k, v in data.items() if isinstance(v, list)} == {
        "areas": Area.objects.count(),
        "organizations": Organization.objects.count(),
        "persons": Person.objects.count(),
        "posts": Post.objects.count(),
        "memberships": Membership.objects.count(),
    }
    assert "KZ-71-T01" in {a["id"] for a in data["areas"]}
    assert "boundary" not in data["areas"][0]


def test_popolo_export_runs_a_constant_number_of_queries(astana, client, django_assert_max_num_queries):
    MembershipFactory.create_batch(10, organization=astana["maslikhat"])
    with django_assert_max_num_queries(5):
        r = client.get("/api/v1/export/popolo.json")
        assert json.loads(b"".join(r.streaming_content))["memberships"]  # the queries run while streaming
