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


def test_lookup_runs_a_constant_number_of_queries(astana, client, django_assert_max_num_queries, settings):
    # (no check for changes in between, however slow the machine: the warm path alone)
    settings.LOOKUP_INDEX_CHECK_SECONDS = 3600
    # cold: boundaries version, the index's areas, then areas, bodies and representatives
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/lookup?{ASTANA}").status_code == 200
    # warm: the index and the answer for this set of areas are kept in the process
    with django_assert_max_num_queries(0):
        assert client.get("/api/v1/lookup?lat=51.15&lon=71.45").status_code == 200


@pytest.fixture
def shared_signal(monkeypatch, settings):
    """As in production with Redis: the directory's signal is trusted (the tests' page cache is
    this process's memory), checked on every request, and a change is rebuilt in the request."""
    from maslikhat.directory import lookup

    monkeypatch.setattr(lookup, "TRUST_LOCAL_SIGNAL", True)
    monkeypatch.setattr(lookup, "REFRESH_IN_BACKGROUND", False)
    settings.LOOKUP_INDEX_CHECK_SECONDS = 0


@pytest.mark.parametrize("query", [ASTANA, "lat=51.15&lon=71.45", f"{ASTANA}&date=2026-11-29", f"{PARIS}"])
def test_a_warm_lookup_runs_no_query_even_checking_for_changes_every_request(
    astana, client, shared_signal, django_assert_num_queries, query
):
    # given a process that has answered once (index and snapshot built)
    client.get(f"/api/v1/lookup?{ASTANA}")
    client.get(f"/api/v1/lookup?{query}")
    # when the same and other points are looked up, the directory's signal read on each one
    with django_assert_num_queries(0):
        for _ in range(3):
            assert client.get(f"/api/v1/lookup?{query}").status_code in (200, 404)
            assert client.get("/api/v1/lookup?lat=51.16&lon=71.47").status_code == 200


def _deputies(client) -> list[str]:
    data = client.get(f"/api/v1/lookup?{ASTANA}", HTTP_ACCEPT_LANGUAGE="en").json()
    return [r["person"]["name"]["en"] for r in data["representatives"] if r["reason"] == "constituency"]


def test_the_answer_changes_as_soon_as_the_directory_does(astana, client, shared_signal):
    from datetime import date, timedelta

    from django.utils import timezone

    from maslikhat.directory import lookup
    from tests.factories import MembershipFactory, PersonFactory

    # given a warm answer naming the constituency's deputy
    assert _deputies(client) == ["Aigerim Testova"]
    snapshot = next(iter(lookup._snapshots.values()))
    # when her mandate ends and another deputy is seated (model saves: the app's signals)
    today = timezone.localdate()
    membership = astana["deputy_membership"]
    membership.end_date = today
    membership.save()
    newcomer = PersonFactory(name_en="Dana Newcomer")
    MembershipFactory(
        person=newcomer,
        organization=astana["maslikhat"],
        post=membership.post,
        start_date=today - timedelta(1),
    )
    # then the next answer names the newcomer alone, from a new snapshot
    assert _deputies(client) == ["Dana Newcomer"]
    assert next(iter(lookup._snapshots.values())) is not snapshot
    # and a past day still sees the old deputy
    past = client.get(f"/api/v1/lookup?{ASTANA}&date={date(2026, 11, 29)}").json()
    assert [r["person"]["id"] for r in past["representatives"] if r["reason"] == "constituency"] == [
        astana["deputy"].pk
    ]


def test_a_boundary_change_rebuilds_the_index(astana, client, shared_signal):
    from maslikhat.directory import lookup
    from maslikhat.directory.services import area_upsert

    assert client.get(f"/api/v1/lookup?{ASTANA}").status_code == 200
    index = lookup.get_index()
    # when the constituency's boundary shrinks to a square away from the point
    square = {
        "type": "Polygon",
        "coordinates": [[[71.0, 51.0], [71.1, 51.0], [71.1, 51.1], [71.0, 51.1], [71.0, 51.0]]],
    }
    area_upsert(actor=None, code="KZ-71-T01", defaults={"boundary": square})
    # then the point lies in the city alone, from a new index
    codes = [a["code"] for a in client.get(f"/api/v1/lookup?{ASTANA}").json()["areas"]]
    assert codes == ["KZ", "KZ-71"]
    assert lookup.get_index() is not index


def test_without_a_shared_signal_the_database_is_checked_instead(astana, client, settings):
    # the embedded default: the page cache is each process's own memory, so the index is checked
    # against the boundaries version in the database (as before)
    settings.LOOKUP_INDEX_CHECK_SECONDS = 0
    from maslikhat.directory import lookup

    client.get(f"/api/v1/lookup?{ASTANA}")
    assert lookup._directory_signal() is None


def _reference_answer(result) -> dict:
    """The answer as the schemas build it, one model at a time (what the endpoint sent before
    it kept each item's JSON)."""
    from maslikhat.api.directory import LookupOut, area_ref
    from maslikhat.api.schemas import area_out, body_out, representative_out

    codes = {a.pk: a.code for a in result.areas}
    return LookupOut(
        lat=result.lat,
        lon=result.lon,
        date=result.on,
        areas=[area_out(a, codes=codes) for a in result.areas],
        bodies=[body_out(b) for b in result.bodies],
        representatives=[representative_out(r) for r in result.representatives],
        boundary_pending=[area_ref(a) for a in result.boundary_pending],
    ).model_dump(mode="json")


@pytest.mark.parametrize("day", [None, "2025-06-01"])
def test_the_kept_json_is_the_schema_s_answer(astana, client, day):
    import json
    from datetime import date

    from maslikhat.api.directory import LookupOut
    from maslikhat.directory.lookup import lookup_point

    on = date.fromisoformat(day) if day else None
    for lat, lon in [(51.128, 71.43), (51.15, 71.45), (51.09, 71.41)]:
        query = f"lat={lat}&lon={lon}" + (f"&date={day}" if day else "")
        for _ in range(2):  # the first answer makes each item's JSON, the second reuses it
            r = client.get(f"/api/v1/lookup?{query}")
            assert r.status_code == 200
            assert r["Content-Type"] == "application/json; charset=utf-8"
            assert json.loads(r.content) == _reference_answer(lookup_point(lat, lon, on=on))
            LookupOut.model_validate_json(r.content)


@pytest.mark.parametrize(
    "query",
    [
        "lat=51.128&lon=71.43",
        "lat=-0&lon=0",
        "lat=90&lon=-180",
        "lat=90.0&lon=180.00000000000000001",
        "lat=51.12345678901234567&lon=71.4",
        "lat=1e1&lon=71",
        "lat=51.1&lon=71.4&date=2026-11-29",
        "lat=51.1&lat=52&lon=71.4",
        "lat=051.1&lon=71.4",
        "lat=+51.1&lon=71.4",
        "lat=51.&lon=71.4",
        "lat=.5&lon=71.4",
        "lat=5_1&lon=71.4",
        "lat= 51.1&lon=71.4",
        "lat=90.0001&lon=0",
        "lat=1000&lon=0",
        "lat=nan&lon=1",
        "lat=51.1&lon=71.4&extra=1",
        "lat=51.1",
        "",
    ],
)
def test_a_plain_query_reads_what_pydantic_reads(rf, query):
    # a plain query is read without pydantic; whenever it is, the values are LookupQuery's own
    from pydantic import ValidationError

    from maslikhat.api.directory import plain_lookup_query
    from maslikhat.api.schemas import LookupQuery

    request = rf.get(f"/api/v1/lookup?{query}")
    plain = plain_lookup_query(request)
    try:
        expected = LookupQuery.model_validate(request.GET.dict())
    except ValidationError:
        expected = None
    if plain is not None:
        assert expected is not None
        assert (plain.lat, plain.lon, plain.on) == (expected.lat, expected.lon, expected.on)
    # and the plain form of a map's query is the one taken without pydantic
    assert (plain is not None) == (
        query
        in {
            "lat=51.128&lon=71.43",
            "lat=-0&lon=0",
            "lat=90&lon=-180",
            "lat=90.0&lon=180.00000000000000001",
            "lat=51.12345678901234567&lon=71.4",
        }
    )
