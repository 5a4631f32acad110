"""GET /api/v1/lookup: find my deputies by a point."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext, override

ASTANA = "lat=51.128&lon=71.43"
PARIS = "lat=48.8566&lon=2.3522"


def test_lookup_in_astana_gives_areas_bodies_and_representatives(astana, client):
    # given Astana with one constituency, its deputy and the chair (fixture)
    # when a point in the city is looked up on a day of the Kurultai era
    r = client.get(f"/api/v1/lookup?{ASTANA}&date=2026-11-29")
    # then the areas come largest first, each with its code, kind and parent
    assert r.status_code == 200
    data = r.json()
    assert (data["lat"], data["lon"], data["date"]) == (51.128, 71.43, "2026-11-29")
    assert [(a["code"], a["kind"], a["parent"]) for a in data["areas"]] == [
        ("KZ", "country", None),
        ("KZ-71", "region", "KZ"),
        ("KZ-71-T01", "constituency", "KZ-71"),
    ]
    # and the bodies nearest first
    assert [b["slug"] for b in data["bodies"]] == [
        "kz-71-maslikhat",
        "kurultai-council-on-maslikhats",
        "kurultai",
    ]
    # and the representatives: the constituency deputy, then the chair
    maslikhat = {
        "id": astana["maslikhat"].pk,
        "slug": "kz-71-maslikhat",
        "kind": "regional_maslikhat",
        "name": {
            "kk": "Астана қалалық мәслихаты",
            "ru": "Маслихат города Астаны",
            "en": "Astana City Maslikhat",
        },
    }
    deputy, chair = data["representatives"]
    assert deputy == {
        "id": astana["deputy_membership"].pk,
        "person": {
            "id": astana["deputy"].pk,
            "name": {"kk": "Айгерім Тестова", "ru": "Айгерим Тестова", "en": "Aigerim Testova"},
        },
        "body": maslikhat,
        "role": "constituency_deputy",
        "reason": "constituency",
        "post": {"kk": "Депутат", "ru": "Депутат", "en": "Deputy for constituency No. 1"},
        "constituency": {"code": "KZ-71-T01", "number": 1},
        "party": None,
        "election_method": "single_mandate",
        "start_date": "2023-03-29",
        "end_date": None,
        "is_demo": False,
    }
    assert (chair["person"]["id"], chair["role"], chair["reason"], chair["body"], chair["constituency"]) == (
        astana["chair"].pk,
        "chair",
        "chair",
        maslikhat,
        None,
    )


def test_lookup_on_a_senate_era_day(astana, client):
    # when the same point is looked up before 1 July 2026
    data = client.get(f"/api/v1/lookup?{ASTANA}&date=2025-06-01").json()
    # then the national level is the Senate's
    assert [b["slug"] for b in data["bodies"]] == [
        "kz-71-maslikhat",
        "senate-council-on-maslikhats",
        "senate",
    ]


def test_lookup_defaults_to_today(astana, client):
    from django.utils import timezone

    data = client.get(f"/api/v1/lookup?{ASTANA}").json()
    assert data["date"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("lat=91&lon=0", [("lat", "less_than_equal")]),
        ("lat=-90.0001&lon=0", [("lat", "greater_than_equal")]),
        ("lat=0&lon=181", [("lon", "less_than_equal")]),
        ("lat=0&lon=-180.5", [("lon", "greater_than_equal")]),
        ("lat=abc&lon=1", [("lat", "float_parsing")]),
        ("lon=1", [("lat", "missing")]),
        ("", [("lat", "missing"), ("lon", "missing")]),
        ("lat=nan&lon=1", [("lat", "finite_number")]),
        ("lat=1&lon=inf", [("lon", "finite_number")]),
        ("lat=1e400&lon=1", [("lat", "finite_number")]),
        (f"{ASTANA}&date=2026-02-30", [("date", "date_from_datetime_parsing")]),
        (f"{ASTANA}&date=tomorrow", [("date", "date_from_datetime_parsing")]),
        (f"{ASTANA}&date=9999-12-31", [("date", "less_than_equal")]),
    ],
)
def test_lookup_bad_input_is_422_naming_each_field(db, client, query, errors):
    r = client.get(f"/api/v1/lookup?{query}")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error"
    assert sorted((e["field"], e["code"]) for e in body["errors"]) == sorted(errors)


def test_lookup_error_messages_in_english(db, client, en):
    assert client.get("/api/v1/lookup?lat=91&lon=0", **en).json() == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "errors": [
            {
                "field": "lat",
                "code": "less_than_equal",
                "message": "Ensure this value is less than or equal to 90.",
            }
        ],
    }


def test_lookup_outside_coverage_is_404(reference, client, en):
    # given the reference boundaries; when Paris is looked up
    r = client.get(f"/api/v1/lookup?{PARIS}", **en)
    # then the answer says the point is outside the covered territory
    assert r.status_code == 404
    assert r.json() == {
        "code": "outside_coverage",
        "message": "This point is outside the territory the directory covers.",
    }


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_lookup_errors_speak_the_accept_language(reference, client, language):
    # when Paris is looked up by a client that reads Russian (or Kazakh)
    r = client.get(f"/api/v1/lookup?{PARIS}", HTTP_ACCEPT_LANGUAGE=language)
    # then the code is the same and the message is the catalogue's translation
    body = r.json()
    assert (r.status_code, body["code"]) == (404, "outside_coverage")
    assert isinstance(body["message"], str)
    assert body["message"]
    with override(language):
        assert body["message"] == gettext("This point is outside the territory the directory covers.")


def test_validation_messages_are_translated(db, client):
    # given Django's own translation of "This field is required."
    en = client.get("/api/v1/lookup", HTTP_ACCEPT_LANGUAGE="en").json()
    ru = client.get("/api/v1/lookup", HTTP_ACCEPT_LANGUAGE="ru").json()
    # then the codes agree and the messages differ by language
    assert [e["code"] for e in ru["errors"]] == [e["code"] for e in en["errors"]] == ["missing", "missing"]
    assert en["errors"][0]["message"] == "This field is required."
    with override("ru"):
        assert ru["errors"][0]["message"] == gettext("This field is required.")
    assert ru["errors"][0]["message"] != en["errors"][0]["message"]


def test_lookup_runs_a_constant_number_of_queries(astana, client, django_assert_max_num_queries):
    # cold: boundaries version, the index's areas, then areas, bodies and representatives
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/lookup?{ASTANA}").status_code == 200
    # warm: the index and the answer for this set of areas are kept in the process
    with django_assert_max_num_queries(0):
        assert client.get("/api/v1/lookup?lat=51.15&lon=71.45").status_code == 200
