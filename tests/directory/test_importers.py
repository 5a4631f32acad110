import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maslikhat.core.models import ActionLog
from maslikhat.directory.exports import popolo_document, write_csv
from maslikhat.directory.importers import ImportValidationError, import_geojson, import_kato, import_popolo
from maslikhat.directory.models import Area, DirectoryState, Membership, Organization, Person

FIXTURES = Path(__file__).parent / "fixtures"


def _counts() -> tuple[int, ...]:
    return (
        Area.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        ActionLog.objects.count(),
    )


def test_kato_import_creates_hierarchy_and_is_idempotent(reference):
    counts = import_kato(FIXTURES / "districts.csv")
    assert counts == {"rows": 3, "created": 3}
    talgar = Area.objects.get(code="195220100")
    assert (talgar.kind, talgar.parent.code, talgar.parent.parent.code) == (
        "settlement",
        "195200000",
        "KZ-19",
    )
    assert import_kato(FIXTURES / "districts.csv") == {"rows": 3, "created": 0}


def test_kato_bad_rows_write_nothing_and_report_lines(reference):
    before = _counts()
    with pytest.raises(ImportValidationError) as exc:
        import_kato(FIXTURES / "districts_bad.csv")
    assert [
        (line, "kato_code" in r or "kind" in r or "Parent" in r or "numbers" in r)
        for _, line, r in exc.value.errors
    ] == [(3, True), (4, True), (5, True), (6, True)]
    assert _counts() == before


def test_kato_command_prints_file_line_reason(reference, capsys):
    with pytest.raises(CommandError):
        call_command("import_kato", str(FIXTURES / "districts_bad.csv"))
    err = capsys.readouterr().err
    assert "districts_bad.csv:3: kato_code must be 9 digits." in err


def test_not_utf8_is_one_clear_error(reference, tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("kato_code,kind\n1,é".encode("latin-1"))
    with pytest.raises(ImportValidationError) as exc:
        import_kato(bad)
    assert exc.value.errors == [("latin1.csv", 0, "The file is not UTF-8 text.")]


def _square(lon: float, lat: float, d: float = 0.05) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
    }


def test_geojson_creates_constituencies_and_bumps_index_version(reference, tmp_path):
    path = tmp_path / "c.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"code": "KZ-71-X01", "body": "kz-71-maslikhat", "number": 1},
            "geometry": _square(71.40, 51.10),
        },
        {
            "type": "Feature",
            "properties": {"code": "KZ-71-X02", "body": "kz-71-maslikhat", "number": 2},
            "geometry": _square(71.45, 51.10),
        },
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    version = DirectoryState.objects.get(pk=1).boundaries_version
    assert import_geojson(path) == {"created": 2, "updated": 0}
    assert DirectoryState.objects.get(pk=1).boundaries_version > version
    assert Area.objects.get(code="KZ-71-X02").body.slug == "kz-71-maslikhat"
    assert import_geojson(path) == {"created": 0, "updated": 2}
    assert Area.objects.filter(code__startswith="KZ-71-X").count() == 2


def test_geojson_bad_feature_writes_nothing(reference, tmp_path):
    path = tmp_path / "bad.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"code": "KZ-71-X01", "body": "kz-71-maslikhat", "number": 1},
            "geometry": _square(71.40, 51.10),
        },
        {
            "type": "Feature",
            "properties": {"code": "KZ-71-X02", "body": "kz-71-maslikhat", "number": 2},
            "geometry": {"type": "Point", "coordinates": [71, 51]},
        },
        {
            "type": "Feature",
            "properties": {"code": "KZ-71-X03", "number": 3},
            "geometry": _square(71.5, 51.1),
        },
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    before = _counts()
    with pytest.raises(ImportValidationError) as exc:
        import_geojson(path)
    assert [line for _, line, _r in exc.value.errors] == [2, 3]
    assert _counts() == before


def test_popolo_round_trip(astana, tmp_path):
    doc = popolo_document()
    assert {p["name"] for p in doc["persons"]} >= {"Aigerim Testova", "Serik Chairov"}
    # when the export is imported into a directory without those people
    path = tmp_path / "popolo.json"
    path.write_text(json.dumps(doc))
    Membership.objects.all().delete()
    Person.objects.all().delete()
    counts = import_popolo(path)
    # then the people and memberships come back, and a second import adds nothing
    assert counts["persons"] == len(doc["persons"])
    assert counts["memberships"] == len(doc["memberships"])
    m = Membership.objects.get(person__name_en="Aigerim Testova")
    assert (m.organization.slug, m.role, m.post.area.code) == (
        "kz-71-maslikhat",
        "constituency_deputy",
        "KZ-71-T01",
    )
    again = import_popolo(path)
    assert (again["persons"], again["memberships"]) == (0, 0)


def test_popolo_bad_record_writes_nothing(astana, tmp_path):
    doc = popolo_document()
    doc["memberships"].append(
        {"person_id": "person/0", "organization_id": "nope", "role": "chair", "start_date": "2024-01-01"}
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    before = _counts()
    with pytest.raises(ImportValidationError) as exc:
        import_popolo(path)
    assert exc.value.errors[0][0] == "bad.json#memberships"
    assert exc.value.errors[0][1] == len(doc["memberships"])
    assert _counts() == before


def test_exports_constant_queries_and_csv(astana, django_assert_max_num_queries, tmp_path):
    with django_assert_max_num_queries(6):
        doc = popolo_document()
    assert {o["id"] for o in doc["organizations"]} >= {"senate", "kz-71-maslikhat"}
    out = tmp_path / "m.csv"
    with out.open("w", encoding="utf-8") as fh:
        n = write_csv("memberships", fh)
    assert n == Membership.objects.count()
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("id,person_id,organization,role")
    assert "KZ-71-T01" in text
