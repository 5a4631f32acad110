"""The API on the whole country: settlement search, kind and parent filters, the look-up."""

from __future__ import annotations

from typing import Any

import pytest

from maslikhat.directory.models import Organization
from tests.country import country  # noqa: F401  (the module-scoped fixture)

pytestmark = pytest.mark.usefixtures("country")


def _hits(client: Any, **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/areas", params)
    assert r.status_code == 200, r.content
    body: dict[str, Any] = r.json()
    return body


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("шымкент", "KZ-79"),  # lowercase Cyrillic: SQLite's LOWER would not fold it
        ("астана", "KZ-71"),
        ("ШИЕЛІ", "435200000"),  # Kazakh letters, upper case
        ("shieli", "435200000"),  # English
        ("Жанакоргн", "434000000"),  # a letter missing
        ("Жанакорган", "434000000"),
        ("Жаннакорган", "434000000"),  # a letter extra
        ("Сарыогаш", "615400000"),  # a letter wrong
        ("435200000", "435200000"),  # a KATO code
    ],
)
def test_areas_search_finds_a_place_however_it_is_typed(client, q, code):
    hits = _hits(client, q=q, limit=20)
    assert code in [h["code"] for h in hits["items"]]


def test_areas_search_tells_the_34_birliks_apart(client):
    # when a villager types the village in Russian lowercase
    hits = _hits(client, q="бирлик", kind="settlement", limit=100)
    birliks = [h for h in hits["items"] if h["name"]["ru"] == "с.Бирлик"]
    # then each of the 34 comes with its KATO code and its chain of parents up to the region
    assert len(birliks) == 34
    assert len({h["kato_code"] for h in birliks}) == 34
    chains = [tuple(p["code"] for p in h["parents"]) for h in birliks]
    assert len(set(chains)) == 34
    assert all(
        chain[-1].startswith("KZ-") and chain[0] == h["parent"]
        for chain, h in zip(chains, birliks, strict=True)
    )
    first = birliks[0]["parents"][0]
    assert set(first) == {"code", "kind", "kato_code", "name"}


def test_areas_search_pages_and_counts(client):
    # given all settlements named like Бирлик; when read in pages of ten
    whole = _hits(client, q="бирлик", kind="settlement", limit=100)
    pages = [
        _hits(client, q="бирлик", kind="settlement", limit=10, offset=o) for o in range(0, whole["count"], 10)
    ]
    # then the pages follow each other and count the same
    assert [h["code"] for p in pages for h in p["items"]] == [h["code"] for h in whole["items"]]
    assert {p["count"] for p in pages} == {whole["count"]}


def test_areas_search_is_two_queries_whatever_the_page(client, django_assert_num_queries):
    for limit in (1, 50):
        with django_assert_num_queries(2):
            assert len(_hits(client, q="бирлик", limit=limit)["items"]) == limit
    # one letter off: still two
    with django_assert_num_queries(2):
        assert _hits(client, q="Жанакоргн")["count"] >= 1


def test_areas_kind_and_parent_filters(client):
    okrugs = _hits(client, parent="435200000", kind="rural_okrug", limit=500)
    assert okrugs["count"] >= 10
    assert {h["parent"] for h in okrugs["items"]} == {"435200000"}
    assert {h["parents"][-1]["code"] for h in okrugs["items"]} == {"KZ-43"}
    assert _hits(client, kind="district", limit=1)["count"] == 170


def test_areas_flag_pending_boundaries_and_review(client):
    [markakol] = _hits(client, q="635500000")["items"]
    assert (markakol["needs_review"], markakol["boundary_pending"]) == (True, True)


def test_bodies_filter_by_parent_and_kind(client, django_assert_num_queries):
    regional = Organization.objects.get(slug="kz-43-maslikhat")
    # when the children of Kyzylorda's regional maslikhat that are district maslikhats are asked for
    with django_assert_num_queries(2):
        r = client.get("/api/v1/bodies", {"parent": regional.pk, "kind": "district_maslikhat"})
    body = r.json()
    # then its seven districts' maslikhats come back
    assert body["count"] == 7
    assert "435200000-maslikhat" in [b["slug"] for b in body["items"]]
    assert {b["parent_id"] for b in body["items"]} == {regional.pk}
    assert client.get("/api/v1/bodies", {"kind": "city_maslikhat", "limit": 1}).json()["count"] == 38


def test_lookup_in_a_district_town_and_in_a_pending_unit(client, django_assert_max_num_queries):
    # when a point in Shieli is looked up
    with django_assert_max_num_queries(5):
        r = client.get("/api/v1/lookup", {"lat": 44.167, "lon": 66.75})
    body = r.json()
    # then the region and the district come back with both maslikhats
    assert [a["code"] for a in body["areas"]] == ["KZ", "KZ-43", "435200000"]
    assert [b["slug"] for b in body["bodies"]][:2] == ["435200000-maslikhat", "kz-43-maslikhat"]
    assert body["boundary_pending"] == []
    # and a point on Lake Markakol names Markakol district as pending
    pending = client.get("/api/v1/lookup", {"lat": 48.75, "lon": 85.75}).json()["boundary_pending"]
    assert [p["code"] for p in pending] == ["635500000"]
