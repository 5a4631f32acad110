from datetime import date

import pytest

from maslikhat.directory.lookup import InvalidCoordinates, OutsideCoverage, lookup_point

ASTANA = (51.128, 71.430)


def test_lookup_in_astana_finds_areas_bodies_and_representatives(astana):
    # given Astana with one constituency and its deputy (fixture)
    # when a point in the city is looked up
    result = lookup_point(*ASTANA, on=date(2026, 11, 29))
    # then the country, the city and the constituency contain it
    assert [a.code for a in result.areas] == ["KZ", "KZ-71", "KZ-71-T01"]
    # and the city's maslikhat comes first, then the national level of that day
    assert [b.slug for b in result.bodies] == [
        "kz-71-maslikhat",
        "kurultai-council-on-maslikhats",
        "kurultai",
    ]
    # and the constituency deputy comes before the chair; no senators after 1 Jul 2026
    assert [(r.reason, r.membership.person.name_en) for r in result.representatives] == [
        ("constituency", "Aigerim Testova"),
        ("chair", "Serik Chairov"),
    ]


def test_lookup_before_kurultai_reports_senate_era_bodies(astana):
    result = lookup_point(*ASTANA, on=date(2025, 6, 1))
    assert [b.slug for b in result.bodies] == ["kz-71-maslikhat", "senate-council-on-maslikhats", "senate"]


def test_lookup_outside_kazakhstan_raises(astana):
    with pytest.raises(OutsideCoverage):
        lookup_point(48.8566, 2.3522)  # Paris


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (-91, 0), (0, 181), (0, -180.5)])
def test_lookup_rejects_out_of_range_coordinates(db, lat, lon):
    with pytest.raises(InvalidCoordinates):
        lookup_point(lat, lon)
