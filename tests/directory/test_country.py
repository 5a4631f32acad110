"""The whole country from the real files: districts and cities with their maslikhats, rural okrugs,
towns and settlements; the look-up on real towns that are not regional centres."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import date
from typing import cast

import pytest
from django.core.management import call_command

from maslikhat.core.models import ActionLog
from maslikhat.directory import lookup
from maslikhat.directory.models import Area, Membership, Organization, Person, Post, SeatLimit
from maslikhat.directory.reference_country import DISTRICTS_CSV, KATO_CSV, load_country
from maslikhat.directory.selectors import area_search, maslikhat_for_area, seat_limit
from tests.country import country  # noqa: F401  (the module-scoped fixture)
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("country")


def _districts_file() -> list[dict[str, str]]:
    with DISTRICTS_CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _kato_file() -> list[dict[str, str]]:
    with gzip.open(KATO_CSV, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------ the import of each file


def test_country_counts_match_the_files(country: dict, db: None) -> None:  # noqa: F811
    # given the country loaded; then every unit of both files is an area, by kind
    kinds = Counter(Area.objects.values_list("kind", flat=True))
    assert kinds["district"] == 170
    assert kinds["city"] == 38 + 1  # the cities of oblast significance, and Baikonyr (no maslikhat)
    assert kinds["city_district"] == 16  # inside Astana, Almaty and Shymkent
    assert kinds["rural_okrug"] + kinds["town"] == 2369
    assert kinds["settlement"] == 13655
    assert country["areas"] == 208 + 17 + 2369 + 13655
    # and each of the 208 has one maslikhat and one apparatus
    bodies = Counter(Organization.objects.values_list("kind", flat=True))
    assert (bodies["district_maslikhat"], bodies["city_maslikhat"]) == (170, 38)
    assert bodies["regional_maslikhat"] + bodies["district_maslikhat"] + bodies["city_maslikhat"] == 228
    assert bodies["apparatus"] == 228
    # and none of it is demo data
    assert not Area.objects.filter(is_demo=True).exists()
    assert not Organization.objects.filter(is_demo=True).exists()


def test_districts_per_region_match_the_file(db):
    # given the districts file; then each region has exactly its units, with the file's codes
    expected: dict[str, set[str]] = {}
    for row in _districts_file():
        expected.setdefault(row["region_iso"], set()).add(row["kato"])
    stored: dict[str, set[str]] = {}
    for code, region in (
        Area.objects.filter(kind__in=["district", "city"])
        .exclude(code="431900000")
        .values_list("code", "parent__code")
    ):
        stored.setdefault(region, set()).add(code)
    assert stored == expected
    assert {r: len(c) for r, c in stored.items()}["KZ-43"] == 8  # Kyzylorda: 7 districts and the city


def test_a_district_has_its_names_parent_and_maslikhat(db):
    # given Shieli district in Kyzylorda region
    shieli = Area.objects.get(code="435200000")
    # then it carries its KATO code, three names and the geokz boundary
    assert (shieli.kind, shieli.kato_code, shieli.parent.code) == ("district", "435200000", "KZ-43")
    assert (shieli.name_kk, shieli.name_ru, shieli.name_en) == (
        "Шиелі ауданы",
        "Чиилийский район",
        "Shieli District",
    )
    assert shieli.boundary["type"] in {"Polygon", "MultiPolygon"} and shieli.boundary_web
    assert not shieli.needs_review
    # and its maslikhat is a child of the regional one, with an apparatus and a chair's post
    body = Organization.objects.get(slug="435200000-maslikhat")
    assert (body.kind, body.area_id, body.parent.slug) == ("district_maslikhat", shieli.pk, "kz-43-maslikhat")
    assert (body.name_kk, body.name_ru, body.name_en) == (
        "Шиелі аудандық мәслихаты",
        "Маслихат Чиилийского района",
        "Shieli District Maslikhat",
    )
    assert list(body.children.values_list("slug", "kind")) == [("435200000-apparatus", "apparatus")]
    assert set(Post.objects.filter(organization=body).values_list("role", flat=True)) == {
        "chair",
        "secretary",
    }
    # and a city of oblast significance has a city maslikhat
    kentau = Organization.objects.get(slug="612000000-maslikhat")
    assert (kentau.kind, kentau.name_ru, kentau.area.name_ru) == (
        "city_maslikhat",
        "Маслихат города Кентау",
        "город Кентау",
    )


def test_okrugs_and_settlements_match_the_kato_file(db):
    # given the KATO file; then every okrug, town and settlement is an area with its Russian name
    rows = {r["kato"]: r for r in _kato_file()}
    stored = {
        code: (name, parent)
        for code, name, parent in Area.objects.filter(
            kind__in=["rural_okrug", "town", "settlement"]
        ).values_list("code", "name_ru", "parent__code")
    }
    assert {c for c, r in rows.items() if r["level"] in ("3", "4")} == set(stored)
    assert all(stored[c][0] == rows[c]["name_ru"] for c in stored)
    # a village listed after its okrug's centre lies in the okrug, not in the centre village
    assert rows["101033102"]["parent_kato"] == "101033100"
    assert stored["101033102"] == ("с.Акшабай", "101033000")
    assert stored["101033000"] == ("Абралинский с.о.", "101000000")
    # no settlement lies inside another settlement
    assert not Area.objects.filter(kind="settlement", parent__kind="settlement").exists()
    # level-3 towns and okrugs are told apart by the KATO's own marks
    assert Area.objects.get(code="101010000").kind == "town"  # г.Семей
    assert Area.objects.get(code="101033000").kind == "rural_okrug"


def test_units_the_source_does_not_vouch_for_are_flagged_for_review(db):
    # then the three units without a polygon, and the unverified names, are flagged with a reason
    flagged = dict(Area.objects.filter(needs_review=True, kind="district").values_list("code", "review_note"))
    assert {"615500000", "635500000", "636300000"} <= set(flagged)
    assert "Unverified in the source: kk" in flagged["635500000"]
    # and each says which unit's boundary still holds its territory
    within = dict(
        Area.objects.filter(boundary_within__isnull=False).values_list("code", "boundary_within__code")
    )
    assert within == {"615500000": "611000000", "635500000": "635200000", "636300000": "635400000"}
    assert all(a.boundary_pending and a.boundary is None for a in Area.objects.filter(code__in=within))


def test_loading_again_changes_nothing_and_keeps_an_operators_corrections(db):
    # given an operator who corrected Markakol's Kazakh name, cleared its flag and raised a seat limit
    markakol = Area.objects.get(code="635500000")
    markakol.name_kk = "Марқакөл ауданы (тексерілді)"
    markakol.needs_review = False
    markakol.save()
    SeatLimit.objects.filter(kind="district_maslikhat").update(max_seats=27)
    logs = ActionLog.objects.count()
    # when the reference data is loaded again
    created = load_country()
    # then nothing is created, the corrections stay, and no log row is written
    assert {k: v for k, v in created.items() if k != "seconds"} == dict.fromkeys(
        ["areas", "organizations", "posts", "seat_limits", "boundaries"], 0
    )
    markakol.refresh_from_db()
    assert (markakol.name_kk, markakol.needs_review) == ("Марқакөл ауданы (тексерілді)", False)
    assert seat_limit("district_maslikhat") == 27
    assert ActionLog.objects.count() == logs
    assert "марқакөл" not in markakol.search_key and "маркакол ауданы тексерилди" in markakol.search_key


def test_the_command_loads_everything_and_says_so(db, capsys):
    # when the command runs on the loaded country; then it reports nothing new and its time
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "country: 0 areas, 0 organizations, 0 posts, 0 boundaries, 0 seat limits created in " in out


def test_seat_limits_per_kind_are_data(db):
    assert dict(SeatLimit.objects.values_list("kind", "max_seats")) == {
        "regional_maslikhat": 50,
        "city_maslikhat": 30,
        "district_maslikhat": 25,
    }


# ------------------------------------------------------------------ finding one's maslikhat


def test_the_34_villages_called_birlik_are_told_apart(db):
    # when the settlements named Бирлик are searched in lowercase Russian
    page = area_search(q="бирлик", kind="settlement", limit=100)
    exact = [a for a in page.items if a.name_ru == "с.Бирлик"]
    # then all 34 come back, each with a different chain of okrug, district and region
    assert len(exact) == 34
    chains = {tuple(p.code for p in _parents(a)) for a in exact}
    assert len(chains) == 34
    assert all(len(chain) >= 2 and chain[-1].startswith("KZ-") for chain in chains)


def _parents(area: Area) -> list[Area]:
    from maslikhat.directory.selectors import area_parents

    return area_parents(area)


def test_a_settlement_leads_to_its_district_maslikhat(db):
    # given the village of Zhanakorgan, found by its name
    [village] = [a for a in area_search(q="Жанакорган", kind="settlement").items if a.code == "434030100"]
    # then its maslikhat is the district's
    body = maslikhat_for_area(area=village)
    assert body is not None and body.slug == "434000000-maslikhat"
    # and in a district of Almaty, which has no maslikhat of its own, it is the city's
    almaty_district = Area.objects.get(code="751110000")
    city_body = maslikhat_for_area(area=almaty_district)
    assert city_body is not None and city_body.slug == "kz-75-maslikhat"


TOWNS = [
    ("Shieli", 44.167, 66.75, "KZ-43", "435200000"),
    ("Zhanakorgan", 43.91, 67.25, "KZ-43", "434000000"),
    ("Aral", 46.80, 61.67, "KZ-43", "433200000"),
    ("Kentau", 43.52, 68.51, "KZ-61", "612000000"),
    ("Saryagash", 41.45, 69.17, "KZ-61", "615400000"),
    ("Zharkent", 44.16, 80.0, "KZ-33", "334600000"),
]


@pytest.mark.parametrize(("town", "lat", "lon", "region", "district"), TOWNS)
def test_lookup_in_a_town_that_is_not_a_regional_centre(db, town, lat, lon, region, district):
    # when a point in the town is looked up
    result = lookup.lookup_point(lat, lon)
    # then the region and the district (or city) it belongs to come back, with both maslikhats
    assert [a.code for a in result.areas] == ["KZ", region, district]
    maslikhats = [b.slug for b in result.bodies if b.kind.endswith("maslikhat")]
    assert maslikhats == [f"{district}-maslikhat", f"{region.lower()}-maslikhat"]
    assert result.boundary_pending == []


def test_lookup_names_the_representatives_at_each_level(db):
    # given chairs of Shieli's and Kyzylorda's maslikhats, and a senator for the region
    shieli = Organization.objects.get(slug="435200000-maslikhat")
    regional = Organization.objects.get(slug="kz-43-maslikhat")
    chairs: list[Membership] = []
    for body in (shieli, regional):
        post = Post.objects.get(organization=body, role="chair")
        chairs.append(
            Membership.objects.create(
                person=cast(Person, PersonFactory()),
                organization=body,
                post=post,
                role="chair",
                start_date=date(2023, 3, 29),
            )
        )
    senate = Organization.objects.get(slug="senate")
    seat = Post.objects.filter(organization=senate, role="senator", area__code="KZ-43").first()
    senator = Membership.objects.create(
        person=cast(Person, PersonFactory()),
        organization=senate,
        post=seat,
        role="senator",
        start_date=date(2023, 1, 14),
    )
    lookup.reset_index()
    # when a point in Shieli is looked up before the Kurultai replaced the Senate
    result = lookup.lookup_point(44.167, 66.75, on=date(2026, 3, 1))
    # then the district chair comes first, then the region's, then the national representative
    assert [(r.reason, r.membership.pk) for r in result.representatives] == [
        ("chair", chairs[0].pk),
        ("chair", chairs[1].pk),
        ("national", senator.pk),
    ]


def test_lookup_in_a_unit_whose_boundary_is_pending(db):
    # when a point on Lake Markakol is looked up (Markakol district has no polygon yet)
    result = lookup.lookup_point(48.75, 85.75)
    # then it resolves to Kurchum district, whose outline still holds it, and says so
    assert [a.code for a in result.areas][-1] == "635200000"
    assert [a.code for a in result.boundary_pending] == ["635500000"]
    # and a point in Turkistan says the same of Sauran
    assert [a.code for a in lookup.lookup_point(43.30, 68.25).boundary_pending] == ["615500000"]
