"""Imports: KATO CSV, GeoJSON boundaries, Popolo JSON. Validate everything, write all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from maslikhat.core.models import ActionLog
from maslikhat.directory.importers import (
    FeatureProperties,
    ImportProblem,
    ImportValidationError,
    import_geojson,
    import_kato,
    import_popolo,
)
from maslikhat.directory.models import Area, DirectoryState, Membership, Organization, Person, Post
from maslikhat.directory.services import area_upsert
from tests.factories import PersonFactory

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in their English source form."""
    with translation.override("en"):
        yield


def _counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "organizations": Organization.objects.count(),
        "persons": Person.objects.count(),
        "posts": Post.objects.count(),
        "memberships": Membership.objects.count(),
        "log": ActionLog.objects.count(),
    }


def _version() -> int:
    return DirectoryState.objects.get(pk=1).boundaries_version


def _square(lon: float, lat: float, size: float = 0.02) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def _feature(properties: dict[str, Any], geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ KATO


def test_kato_import_creates_units_under_their_parents(reference):
    # given the reference data (Almaty Region is KZ-19)
    before = _counts()
    # when the Talgar sample is imported
    result = import_kato(path=FIXTURES / "kato_talgar.csv")
    # then four areas exist, each under its parent, with the file's values
    assert (result.created, result.updated, result.unchanged) == ({"areas": 4}, {"areas": 0}, {"areas": 0})
    district = Area.objects.get(code="195200000")
    assert (district.kind, district.parent.code, district.kato_code) == ("district", "KZ-19", "195200000")
    assert (district.name_kk, district.name_ru, district.name_en) == (
        "Талғар ауданы",
        "Талгарский район",
        "Talgar District",
    )
    assert (district.centre_lat, district.centre_lon, district.population) == (43.3036, 77.2408, 200000)
    assert district.source == "KATO import (kato_talgar.csv)"
    okrug = Area.objects.get(code="195230000")
    assert (okrug.kind, okrug.parent_id, okrug.name_en, okrug.centre_lat, okrug.population) == (
        "rural_okrug",
        district.pk,
        "",
        None,
        None,
    )
    village = Area.objects.get(code="195230100")
    assert (village.kind, village.parent_id) == ("settlement", okrug.pk)
    # and one public summary row is logged, and nothing else
    assert _counts() == {**before, "areas": before["areas"] + 4, "log": before["log"] + 1}
    log = ActionLog.objects.get(event="directory.import_kato")
    assert (log.actor, log.visibility, log.data) == (
        None,
        "public",
        {
            "file": "kato_talgar.csv",
            "created": {"areas": 4},
            "updated": {"areas": 0},
            "unchanged": {"areas": 0},
        },
    )


def test_kato_import_twice_creates_nothing_the_second_time(reference):
    # given the sample imported once
    import_kato(path=FIXTURES / "kato_talgar.csv")
    before = _counts()
    # when it is imported again
    result = import_kato(path=FIXTURES / "kato_talgar.csv")
    # then nothing is created, changed or logged
    assert (result.created, result.updated, result.unchanged) == ({"areas": 0}, {"areas": 0}, {"areas": 4})
    assert _counts() == before


def test_kato_import_updates_changed_rows_and_keeps_values_of_empty_cells(reference, tmp_path):
    # given the sample imported once
    import_kato(path=FIXTURES / "kato_talgar.csv")
    # when a file renames the district in English and leaves its centre and population empty
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "kind,kato_code,name_kk,name_en,parent_code\n"
        "district,195200000,Талғар ауданы,Talgar district (renamed),KZ-19\n",
        encoding="utf-8",
    )
    result = import_kato(path=changed)
    # then that area is updated in place and what the file left empty is kept
    assert (result.created, result.updated) == ({"areas": 0}, {"areas": 1})
    district = Area.objects.get(code="195200000")
    assert (district.name_en, district.name_ru, district.population) == (
        "Talgar district (renamed)",
        "Талгарский район",
        200000,
    )


def test_kato_row_updates_the_area_that_already_has_its_kato_code(reference, tmp_path):
    # given a district entered by hand with its own code and the KATO code
    region = Area.objects.get(code="KZ-19")
    area_upsert(
        actor=None,
        code="KZ-19-TALGAR",
        defaults={"kind": "district", "parent": region, "name_kk": "Талғар", "kato_code": "195200000"},
    )
    before = _counts()
    # when the sample is imported
    result = import_kato(path=FIXTURES / "kato_talgar.csv")
    # then the district is that area (no duplicate) and its children hang under it
    assert (result.created, result.updated) == ({"areas": 3}, {"areas": 1})
    assert _counts()["areas"] == before["areas"] + 3
    assert Area.objects.get(code="195220100").parent.code == "KZ-19-TALGAR"
    assert Area.objects.get(code="KZ-19-TALGAR").name_kk == "Талғар ауданы"


def test_kato_one_bad_row_among_good_ones_writes_nothing(reference):
    # given the reference data
    before = _counts()
    # when a file whose line 4 names an unknown parent is imported
    with pytest.raises(ImportValidationError) as exc:
        import_kato(path=FIXTURES / "kato_one_bad_row.csv")
    # then that line is reported with its reason, and nothing was written
    assert exc.value.errors == [
        ImportProblem(
            "kato_one_bad_row.csv",
            4,
            "The parent 195900000 is neither in the directory nor on an earlier line.",
        )
    ]
    assert _counts() == before


def test_kato_every_bad_row_is_reported_with_its_line_and_reason(reference):
    # given the reference data
    before = _counts()
    # when a file with many kinds of bad rows is imported
    with pytest.raises(ImportValidationError) as exc:
        import_kato(path=FIXTURES / "kato_bad_rows.csv")
    # then each bad row is reported, in line order, and nothing was written
    assert [(e.line, e.reason) for e in exc.value.errors] == [
        (3, 'kato_code "19522" must be 9 digits.'),
        (4, 'Unknown kind "volost"; use one of: district, city, city_district, rural_okrug, settlement.'),
        (5, "name_kk (the name in Kazakh) is required."),
        (6, "The parent 195900000 is neither in the directory nor on an earlier line."),
        (7, "The parent 195270000 comes later, on line 8; list parents before their children."),
        (9, "The centre 95.0, 77.1 is not a WGS84 latitude and longitude."),
        (10, "The centre 77.1, 43.3 lies outside Kazakhstan; are latitude and longitude swapped?"),
        (11, "centre_lat and centre_lon go together: give both or neither."),
        (12, 'population "many" is not a whole number.'),
        (13, "kato_code 195200000 already appears on line 2."),
        (14, "A district cannot lie inside 195280000, which is a settlement."),
        (15, "Expected 9 fields, found 6."),
    ]
    assert {e.file for e in exc.value.errors} == {"kato_bad_rows.csv"}
    assert _counts() == before


def test_kato_rejects_rows_that_would_change_a_region(reference, tmp_path):
    # given a row whose code is a region's code
    path = tmp_path / "region.csv"
    path.write_text(
        "kato_code,kind,name_kk,parent_code,valid_from,valid_until\n"
        "195200000,district,Талғар,KZ-19,2024-01-01,2023-01-01\n",
        encoding="utf-8",
    )
    Area.objects.filter(code="KZ-19").update(kato_code="195200000")
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_kato(path=path)
    # then the row may not turn the region into a district, and the dates are out of order
    assert [e.reason for e in exc.value.errors] == [
        "Area KZ-19 is a region; a KATO import changes only district, city, city_district, rural_okrug, "
        "settlement.",
        "An area cannot be its own parent.",
        "valid_until must be after valid_from.",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"kato_code,kind,name_kk,parent,population\n",
            [
                (
                    "region.csv",
                    1,
                    'Unknown column "parent"; the columns are: kato_code,kind,name_kk,name_ru,'
                    "name_en,parent_code,centre_lat,centre_lon,population,valid_from,valid_until.",
                ),
                ("region.csv", 1, 'The required column "parent_code" is missing.'),
            ],
        ),
        (
            b"kato_code,kind,name_kk,parent_code,kind\n",
            [("region.csv", 1, 'The column "kind" appears twice.')],
        ),
        (
            b"",
            [
                (
                    "region.csv",
                    0,
                    "The file is empty; it needs a header line: "
                    "kato_code,kind,name_kk,name_ru,name_en,parent_code,centre_lat,centre_lon,population.",
                )
            ],
        ),
        (
            "kato_code,kind,name_kk,parent_code\n195200000,district,Talgar,KZ-19\n1,x,é\n".encode("latin-1"),
            [("region.csv", 3, "The file is not UTF-8 text; save it as UTF-8 and try again.")],
        ),
        (
            b'kato_code,kind,name_kk,parent_code\n195200000,district,"Talgar,KZ-19\n',
            [("region.csv", 2, "The file is not valid CSV: unexpected end of data.")],
        ),
        (
            b"kato_code,kind,name_kk,parent_code\n195200000,district,Tal\x00gar,KZ-19\n",
            [("region.csv", 2, "The file contains NUL characters; it is not a text file.")],
        ),
    ],
    ids=["unknown-and-missing-column", "repeated-column", "empty", "not-utf8", "open-quote", "nul"],
)
def test_kato_unreadable_file_is_one_clear_error(reference, tmp_path, content, expected):
    # given a file that cannot be read as a KATO CSV
    path = tmp_path / "region.csv"
    path.write_bytes(content)
    before = _counts()
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_kato(path=path)
    # then the problem is reported clearly and nothing was written
    assert exc.value.errors == expected
    assert _counts() == before


def test_kato_missing_file_is_reported(db, tmp_path):
    # when a file that does not exist is imported
    with pytest.raises(ImportValidationError) as exc:
        import_kato(path=tmp_path / "nowhere.csv")
    # then the reason is given for the file as a whole
    assert exc.value.errors == [("nowhere.csv", 0, "The file cannot be read: No such file or directory.")]


def test_kato_command_prints_each_problem_and_fails(reference, capsys):
    # given the reference data
    before = _counts()
    # when the command imports a file with bad rows
    with pytest.raises(CommandError) as exc:
        call_command("import_kato", str(FIXTURES / "kato_bad_rows.csv"))
    # then every problem goes to stderr as file:line: reason, the exit status is non-zero
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 12
    assert err[0] == 'kato_bad_rows.csv:3: kato_code "19522" must be 9 digits.'
    assert err[-1] == "kato_bad_rows.csv:15: Expected 9 fields, found 6."
    assert str(exc.value) == "12 problem(s) found; nothing was imported."
    assert exc.value.returncode == 1
    assert _counts() == before


def test_kato_command_reports_what_it_did(reference, capsys):
    # when the command imports the sample
    call_command("import_kato", str(FIXTURES / "kato_talgar.csv"))
    # then it says what it created
    assert capsys.readouterr().out == "areas: 4 created, 0 updated, 0 unchanged\n"


# ------------------------------------------------------------------------------------------ GeoJSON


def test_geojson_creates_constituencies_of_a_maslikhat(reference):
    # given the reference data
    before, version = _counts(), _version()
    # when two new constituencies of Astana's maslikhat are imported
    result = import_geojson(path=FIXTURES / "constituencies_astana.geojson", valid_from=date(2023, 3, 19))
    # then they exist under Astana, elect its maslikhat and have their boundaries
    assert (result.created, result.updated, result.unchanged) == ({"areas": 2}, {"areas": 0}, {"areas": 0})
    first = Area.objects.get(code="KZ-71-C01")
    assert (first.kind, first.parent.code, first.body.slug, first.number, first.valid_from) == (
        "constituency",
        "KZ-71",
        "kz-71-maslikhat",
        1,
        date(2023, 3, 19),
    )
    assert (first.name_kk, first.name_ru, first.name_en) == (
        "№1 сайлау округі",
        "Избирательный округ №1 «Сарыарка»",
        "Constituency No. 1",
    )
    assert first.boundary == {
        "type": "Polygon",
        "coordinates": [[[71.4, 51.1], [71.42, 51.1], [71.42, 51.12], [71.4, 51.12], [71.4, 51.1]]],
    }
    assert first.boundary_web["type"] == "Polygon"
    second = Area.objects.get(code="KZ-71-C02")
    assert (second.number, second.boundary["type"]) == (2, "MultiPolygon")
    # and the look-up index is told, one summary row is logged
    assert _version() > version
    assert _counts() == {**before, "areas": before["areas"] + 2, "log": before["log"] + 1}
    assert ActionLog.objects.get(event="directory.import_geojson").data == {
        "file": "constituencies_astana.geojson",
        "created": {"areas": 2},
        "updated": {"areas": 0},
        "unchanged": {"areas": 0},
    }


def test_geojson_sets_the_boundary_of_existing_areas_by_code_or_kato_code(reference, tmp_path):
    # given districts without boundaries, one known by its KATO code only
    import_kato(path=FIXTURES / "kato_talgar.csv")
    Area.objects.filter(code="195230000").update(code="KZ-19-BESKAINAR")
    path = _write_json(
        tmp_path / "districts.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                _feature({"kato": "195200000"}, _square(77.1, 43.2, 0.3)),
                _feature({"kato": 195230000}, _square(77.0, 43.1, 0.1)),
            ],
        },
    )
    before, version = _counts(), _version()
    # when their boundaries are imported with the code in the "kato" property
    result = import_geojson(path=path, properties=FeatureProperties(code="kato"))
    # then both areas have them, nothing else was created, and the index version moved
    assert (result.created, result.updated) == ({"areas": 0}, {"areas": 2})
    assert Area.objects.get(code="195200000").boundary == json.loads(json.dumps(_square(77.1, 43.2, 0.3)))
    assert Area.objects.get(code="KZ-19-BESKAINAR").boundary["type"] == "Polygon"
    assert _version() == version + 2
    assert _counts() == {**before, "log": before["log"] + 1}


def test_geojson_import_twice_changes_nothing_the_second_time(reference):
    # given the constituencies imported once
    import_geojson(path=FIXTURES / "constituencies_astana.geojson")
    before, version = _counts(), _version()
    # when they are imported again
    result = import_geojson(path=FIXTURES / "constituencies_astana.geojson")
    # then nothing is created or changed, the index is not rebuilt and nothing is logged
    assert (result.created, result.updated, result.unchanged) == ({"areas": 0}, {"areas": 0}, {"areas": 2})
    assert _version() == version
    assert _counts() == before


def test_geojson_one_bad_feature_among_good_ones_writes_nothing(reference, tmp_path):
    # given a collection whose second feature is a point, not an area
    path = _write_json(
        tmp_path / "bad.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                _feature(
                    {"code": "KZ-71-C01", "body": "kz-71-maslikhat", "number": 1}, _square(71.40, 51.10)
                ),
                _feature(
                    {"code": "KZ-71-C02", "body": "kz-71-maslikhat", "number": 2},
                    {"type": "Point", "coordinates": [71.45, 51.1]},
                ),
                _feature(
                    {"code": "KZ-71-C03", "body": "kz-71-maslikhat", "number": 3}, _square(71.44, 51.10)
                ),
            ],
        },
    )
    before, version = _counts(), _version()
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_geojson(path=path)
    # then feature 2 is reported, and nothing was written
    assert exc.value.errors == [
        ("bad.geojson", 2, "The geometry is not usable: expected Polygon or MultiPolygon, got Point.")
    ]
    assert (_counts(), _version()) == (before, version)


def test_geojson_every_bad_feature_is_reported(reference, tmp_path):
    # given features with every kind of problem
    good = _square(71.40, 51.10)
    features = [
        _feature({"code": "KZ-71-C01", "body": "kz-71-maslikhat", "number": 1}, good),
        {"type": "Point"},
        _feature({"name": "no code"}, good),
        _feature({"code": "KZ-71-C01", "body": "kz-71-maslikhat", "number": 9}, good),
        _feature({"code": "KZ-71-C04", "body": "kz-71-maslikhat", "number": 4}, None),
        _feature({"code": "KZ-71-C05", "number": 5}, good),
        _feature({"code": "KZ-71-C06", "body": "nobody", "number": 6}, good),
        _feature({"code": "KZ-71-C07", "body": "kz-71-apparatus", "number": 7}, good),
        _feature({"code": "KZ-71-C08", "body": "kz-71-maslikhat", "number": "eight"}, good),
        _feature({"code": "KZ-71-C09", "body": "kz-71-maslikhat", "number": 1}, good),
        _feature({"code": "KZ-71-C10", "body": "kz-71-maslikhat", "number": 10, "name_kk": 10}, good),
        _feature({"code": "KZ-71-C11", "body": "kz-71-maslikhat", "number": 11}, _square(179.99, 51.0)),
    ]
    path = _write_json(tmp_path / "bad.geojson", {"type": "FeatureCollection", "features": features})
    before = _counts()
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_geojson(path=path)
    # then each bad feature is reported by its number, and nothing was written
    assert [(e.line, e.reason) for e in exc.value.errors] == [
        (2, "This is not a GeoJSON Feature."),
        (3, 'The feature has no "code" property (the area code).'),
        (4, "The area code KZ-71-C01 already appears in feature 1."),
        (5, "The feature has no geometry."),
        (
            6,
            "The area KZ-71-C05 is not in the directory; to create a constituency give its maslikhat "
            '(a "body" property or the body option).',
        ),
        (7, 'Unknown organization "nobody".'),
        (8, 'The organization "kz-71-apparatus" is not a maslikhat.'),
        (9, 'A new constituency needs a positive whole "number" property.'),
        (10, "Constituency No. 1 of kz-71-maslikhat already appears in feature 1."),
        (11, 'The "name_kk" property must be text.'),
        (12, "The geometry is not usable: coordinates out of range for WGS84 lon/lat."),
    ]
    assert _counts() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"type": "FeatureCollection",\n "features": [}', ("c.geojson", 2, "The file is not valid JSON: ")),
        (b'{"type": "Feature"}', ("c.geojson", 0, "The file is not a GeoJSON FeatureCollection.")),
        (
            b'{"type": "FeatureCollection", "features": [NaN]}',
            ("c.geojson", 0, "The file is not valid JSON ("),
        ),
    ],
    ids=["broken-json", "not-a-collection", "nan"],
)
def test_geojson_unreadable_file_is_one_clear_error(reference, tmp_path, content, expected):
    # given a file that is not a usable FeatureCollection
    path = tmp_path / "c.geojson"
    path.write_bytes(content)
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_geojson(path=path)
    # then one problem names the file, the line and the reason
    [problem] = exc.value.errors
    assert (problem.file, problem.line, problem.reason[: len(expected[2])]) == expected


def test_geojson_command_takes_property_names_and_the_body(reference, tmp_path, capsys):
    # given features from a GIS tool with its own property names and no body property
    path = _write_json(
        tmp_path / "okruga.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                _feature({"KOD": "KZ-75-C07", "NOMER": 7.0, "ATAU": "№7 округ"}, _square(76.9, 43.2)),
            ],
        },
    )
    # when the command says which property holds what, and the maslikhat for all of them
    call_command(
        "import_geojson",
        str(path),
        "--code-property=KOD",
        "--number-property=NOMER",
        "--name-kk-property=ATAU",
        "--body=kz-75-maslikhat",
        "--valid-from=2023-03-19",
    )
    # then the constituency is created accordingly
    area = Area.objects.get(code="KZ-75-C07")
    assert (area.number, area.name_kk, area.name_en, area.body.slug, area.parent.code, area.valid_from) == (
        7,
        "№7 округ",
        "Constituency No. 7",
        "kz-75-maslikhat",
        "KZ-75",
        date(2023, 3, 19),
    )
    assert capsys.readouterr().out == "areas: 1 created, 0 updated, 0 unchanged\n"


def test_geojson_body_that_is_not_a_maslikhat_is_one_error(reference):
    # when constituencies are imported for an organization that is not a maslikhat
    with pytest.raises(ImportValidationError) as exc:
        import_geojson(path=FIXTURES / "constituencies_astana.geojson", body="senate")
    # then the file is refused once, not feature by feature
    assert exc.value.errors == [
        ("constituencies_astana.geojson", 0, '"senate" is not a maslikhat in the directory.')
    ]
    assert not Area.objects.filter(kind="constituency").exists()


def test_geojson_command_prints_problems_and_fails(reference, tmp_path, capsys):
    # given a feature without a number
    path = _write_json(
        tmp_path / "c.geojson",
        {
            "type": "FeatureCollection",
            "features": [_feature({"code": "X-1", "body": "kz-71-maslikhat"}, _square(71.4, 51.1))],
        },
    )
    # when the command imports it
    with pytest.raises(CommandError):
        call_command("import_geojson", str(path))
    # then the problem is printed as file:feature: reason
    assert (
        capsys.readouterr().err
        == 'c.geojson:1: A new constituency needs a positive whole "number" property.\n'
    )
    assert not Area.objects.filter(code="X-1").exists()


# ------------------------------------------------------------------------------------------ Popolo


def test_popolo_import_creates_what_the_file_describes(reference):
    # given the reference data and the Talgar sample (parents listed after their children)
    before = _counts()
    # when it is imported
    result = import_popolo(path=FIXTURES / "popolo_talgar.json")
    # then every record exists, linked as in the file
    assert result.created == {"areas": 2, "organizations": 2, "persons": 2, "posts": 2, "memberships": 2}
    assert result.updated == dict.fromkeys(result.created, 0)
    constituency = Area.objects.get(code="195200000-01")
    assert (constituency.kind, constituency.parent.code, constituency.body.slug, constituency.number) == (
        "constituency",
        "195200000",
        "talgar-maslikhat",
        1,
    )
    district = Area.objects.get(code="195200000")
    assert (district.parent.code, district.kato_code, district.centre_ru, district.population) == (
        "KZ-19",
        "195200000",
        "Талгар",
        200000,
    )
    maslikhat = Organization.objects.get(slug="talgar-maslikhat")
    assert (
        maslikhat.kind,
        maslikhat.area.code,
        maslikhat.founding_date,
        maslikhat.seats,
        maslikhat.email,
        maslikhat.phone,
        maslikhat.website,
        maslikhat.source,
    ) == (
        "district_maslikhat",
        "195200000",
        date(1994, 3, 7),
        25,
        "maslikhat@talgar.example.kz",
        "+7 72774 2 00 00",
        "https://talgar.example.kz/",
        "Popolo import (popolo_talgar.json)",
    )
    deputy = Membership.objects.get(person__name_en="Nurlan Sampleuly")
    assert (
        deputy.organization.slug,
        deputy.role,
        deputy.post.area.code,
        deputy.on_behalf_of.slug,
        deputy.election_method,
        deputy.end_date,
    ) == ("talgar-maslikhat", "constituency_deputy", "195200000-01", "sample-party", "single_mandate", None)
    assert (deputy.person.email, deputy.person.biography_en, deputy.person.gender) == (
        "nurlan@example.kz",
        "Teacher.",
        "male",
    )
    chair = Membership.objects.get(person__name_en="Aliya Chairova")
    assert (chair.role, chair.post.label_ru, chair.start_date, chair.end_date) == (
        "chair",
        "Председатель маслихата",
        date(2023, 4, 5),
        date(2025, 4, 5),
    )
    # and the counts grew by exactly that; the log has the summary (post_upsert logs each new post)
    after = _counts()
    assert {k: after[k] - before[k] for k in after} == {
        "areas": 2,
        "organizations": 2,
        "persons": 2,
        "posts": 2,
        "memberships": 2,
        "log": 3,
    }
    assert ActionLog.objects.get(event="directory.import_popolo").data["created"] == result.created


def test_popolo_import_twice_creates_nothing_the_second_time(reference):
    # given the sample imported once
    import_popolo(path=FIXTURES / "popolo_talgar.json")
    before = _counts()
    # when it is imported again
    result = import_popolo(path=FIXTURES / "popolo_talgar.json")
    # then everything is found unchanged and nothing is written
    assert result.created == dict.fromkeys(result.created, 0)
    assert result.updated == dict.fromkeys(result.updated, 0)
    assert result.unchanged == {"areas": 2, "organizations": 2, "persons": 2, "posts": 2, "memberships": 2}
    assert _counts() == before


def test_popolo_import_ends_an_open_membership_and_updates_an_organization(reference, tmp_path):
    # given the sample imported, and a later file where the deputy's mandate ended and seats changed
    import_popolo(path=FIXTURES / "popolo_talgar.json")
    doc = json.loads((FIXTURES / "popolo_talgar.json").read_text(encoding="utf-8"))
    doc["memberships"][0]["end_date"] = "2025-01-01"
    doc["organizations"][0]["seats"] = 21
    path = _write_json(tmp_path / "later.json", doc)
    # when it is imported
    result = import_popolo(path=path)
    # then the membership is ended (kept, not replaced) and the organization updated
    assert (
        result.updated["memberships"],
        result.updated["organizations"],
        result.created["memberships"],
    ) == (
        1,
        1,
        0,
    )
    deputy = Membership.objects.get(person__name_en="Nurlan Sampleuly")
    assert deputy.end_date == date(2025, 1, 1)
    assert Organization.objects.get(slug="talgar-maslikhat").seats == 21


def test_popolo_person_with_the_same_names_is_the_same_person(reference):
    # given a person already in the directory with the sample deputy's names
    existing = PersonFactory(name_kk="Нұрлан Үлгіұлы", name_ru="Нурлан Сампелулы", name_en="Nurlan Sampleuly")
    # when the sample is imported
    result = import_popolo(path=FIXTURES / "popolo_talgar.json")
    # then the deputy's membership is that person's, and only the other person is new
    assert (result.created["persons"], result.unchanged["persons"]) == (1, 1)
    assert (
        Membership.objects.get(role="constituency_deputy", organization__slug="talgar-maslikhat").person
        == existing
    )


def test_popolo_one_bad_record_among_good_ones_writes_nothing(reference, tmp_path):
    # given the sample with one membership pointing at an unknown organization
    doc = json.loads((FIXTURES / "popolo_talgar.json").read_text(encoding="utf-8"))
    doc["memberships"][1]["organization_id"] = "nope"
    doc["memberships"][1]["post_id"] = None
    path = _write_json(tmp_path / "bad.json", doc)
    before = _counts()
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_popolo(path=path)
    # then the record is reported by collection and number, and nothing was written
    assert exc.value.errors == [
        ("bad.json#memberships", 2, 'organization_id "nope" is neither in this file nor in the directory.')
    ]
    assert _counts() == before


def test_popolo_every_bad_record_is_reported(reference, tmp_path):
    # given records with many kinds of problems
    doc = json.loads((FIXTURES / "popolo_talgar.json").read_text(encoding="utf-8"))
    doc["areas"][0]["classification"] = "galaxy"
    doc["areas"][1]["centre"] = {"lat": 77.2, "lon": 43.3}
    doc["organizations"][0]["founding_date"] = "07.03.1994"
    doc["organizations"][1]["contact_details"] = [{"type": "email", "value": "not-an-email"}]
    doc["organizations"].append({**doc["organizations"][1], "id": "Sample Party!", "contact_details": []})
    doc["organizations"].append({**doc["organizations"][2], "id": "loop-a", "parent_id": "loop-b"})
    doc["organizations"].append({**doc["organizations"][2], "id": "loop-b", "parent_id": "loop-a"})
    doc["persons"][0]["name_translations"] = {"kk": "", "ru": "Нурлан", "en": "Nurlan"}
    doc["persons"].append(doc["persons"][1])
    doc["posts"][0]["role"] = "king"
    doc["posts"][1]["end_date"] = "2022-01-01"
    doc["memberships"][0]["person_id"] = "person/99"
    doc["memberships"][1]["organization_id"] = "sample-party"
    doc["memberships"].append("not a record")
    path = _write_json(tmp_path / "bad.json", doc)
    before = _counts()
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_popolo(path=path)
    # then every problem is reported at its collection and record number, nothing was written
    assert [str(e) for e in exc.value.errors] == [
        'bad.json#areas:1: classification "galaxy" is not one of: country, region, district, city, '
        "city_district, rural_okrug, town, settlement, constituency.",
        "bad.json#areas:2: The centre 77.2, 43.3 lies outside Kazakhstan; "
        "are latitude and longitude swapped?",
        'bad.json#organizations:1: "founding_date" must be a date (YYYY-MM-DD).',
        'bad.json#organizations:2: "email" is not valid: not-an-email',
        'bad.json#organizations:3: "id" must contain only letters, digits, hyphens and underscores.',
        'bad.json#organizations:4: "parent_id" makes a cycle: a record cannot be its own ancestor.',
        'bad.json#organizations:5: "parent_id" makes a cycle: a record cannot be its own ancestor.',
        "bad.json#persons:1: The name in Kazakh (name_translations.kk) is required.",
        'bad.json#persons:3: The id "person/8" already appears in record 2.',
        'bad.json#posts:1: role "king" is not one of: chair, secretary, constituency_deputy, '
        "party_list_deputy, senator, appointed_senator, council_chair, council_member, commission_chair, "
        "commission_member, staff, member.",
        'bad.json#posts:2: "end_date" must be after "start_date".',
        'bad.json#memberships:1: person_id "person/99" is neither in this file nor in the directory.',
        'bad.json#memberships:2: The post "post/4" belongs to another organization.',
        "bad.json#memberships:3: A record must be a JSON object.",
    ]
    assert _counts() == before


def test_popolo_unreadable_file_is_one_clear_error(db, tmp_path):
    # given a JSON array instead of a Popolo object
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    # when it is imported
    with pytest.raises(ImportValidationError) as exc:
        import_popolo(path=path)
    # then one problem says so
    assert exc.value.errors == [("list.json", 0, "The file is not a Popolo JSON object.")]


def test_popolo_command_prints_problems_and_fails(reference, tmp_path, capsys):
    # given a document whose organizations are not a list
    path = _write_json(tmp_path / "odd.json", {"organizations": {"id": "x"}})
    # when the command imports it
    with pytest.raises(CommandError):
        call_command("import_popolo", str(path))
    # then the problem is printed as file#collection:record: reason
    assert capsys.readouterr().err == "odd.json#organizations:0: This must be a list of records.\n"


def test_popolo_command_reports_what_it_did(reference, capsys):
    # when the command imports the sample
    call_command("import_popolo", str(FIXTURES / "popolo_talgar.json"))
    # then it says what it created, per kind of record
    assert capsys.readouterr().out.splitlines() == [
        "areas: 2 created, 0 updated, 0 unchanged",
        "organizations: 2 created, 0 updated, 0 unchanged",
        "persons: 2 created, 0 updated, 0 unchanged",
        "posts: 2 created, 0 updated, 0 unchanged",
        "memberships: 2 created, 0 updated, 0 unchanged",
    ]
