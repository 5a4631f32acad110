"""import-kato on an official KATO edition (.xlsx, the stat.gov.kz column layout)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from maslikhat.core.models import ActionLog
from maslikhat.directory.importers import XLSX_COLUMNS, ImportValidationError, import_kato_xlsx
from maslikhat.directory.models import Area, AreaName
from maslikhat.directory.services import area_upsert

EDITION = date(2026, 9, 18)


def _workbook(path: Path, rows: list[tuple[Any, ...]], header: tuple[str, ...] = XLSX_COLUMNS) -> Path:
    """The official layout: a title row, the header row, then te, ab, cd, ef, hij, k, kaz, rus, nn."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Классификатор административно-территориальных объектов"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _row(code: str, kk: str, ru: str, k: int = 1) -> tuple[Any, ...]:
    # te as a number, as Excel keeps it; the parts as text
    return (int(code), code[0:2], code[2:4], code[4:6], code[6:9], k, kk, ru, "")


@pytest.fixture
def shieli(reference: dict[str, int]) -> dict[str, Area]:
    """Shieli district with one rural okrug and two villages, as loaded from KATO 2022."""
    region = Area.objects.get(code="KZ-43")
    made: dict[str, Area] = {}
    for code, kind, parent, ru in [
        ("435200000", "district", region, "Чиилийский район"),
        ("435230000", "rural_okrug", None, "Шиелийский с.о."),
        ("435230100", "settlement", None, "п.Шиели"),
        ("435230200", "settlement", None, "с.Старое"),
    ]:
        parent = parent or made[code[:6] + "000" if kind == "settlement" else "435200000"]
        made[code], _ = area_upsert(
            actor=None,
            code=code,
            defaults={"kind": kind, "kato_code": code, "parent": parent, "name_kk": "", "name_ru": ru},
        )
    made["435200000"].name_kk = "Шиелі ауданы"
    made["435200000"].save()
    return made


def test_an_edition_renames_opens_and_closes_keeping_history(shieli, tmp_path):
    # given an edition that renames the district in Russian, gives the okrug a Kazakh name,
    # opens a new village and no longer lists "с.Старое"
    path = _workbook(
        tmp_path / "kato.xlsx",
        [
            _row("430000000", "Қызылорда облысы", "Кызылординская область"),
            _row("435200000", "Шиелі ауданы", "Шиелийский район", 2),
            _row("435230000", "Шиелі а.о.", "Шиелийский с.о.", 3),
            _row("435230100", "Шиелі к.", "п.Шиели", 4),
            _row("435230300", "Жаңа ауыл", "с.Жана аул", 4),
        ],
    )
    # when it is imported with its date
    result = import_kato_xlsx(path=path, edition=EDITION)
    # then the renamed units keep their former names, valid until the edition
    district = Area.objects.get(code="435200000")
    assert (district.name_kk, district.name_ru) == ("Шиелі ауданы", "Шиелийский район")
    assert list(AreaName.objects.filter(area=district).values_list("name_ru", "valid_until")) == [
        ("Чиилийский район", EDITION)
    ]
    okrug = Area.objects.get(code="435230000")
    assert (okrug.name_kk, okrug.name_ru) == ("Шиелі а.о.", "Шиелийский с.о.")
    # and the new village opens on that day under its okrug, and is found by its name
    new = Area.objects.get(code="435230300")
    assert (new.kind, new.parent_id, new.valid_from, new.valid_until) == (
        "settlement",
        okrug.pk,
        EDITION,
        None,
    )
    assert "жана ауыл" in new.search_key
    # and the village it no longer lists is closed, not deleted
    old = Area.objects.get(code="435230200")
    assert (old.valid_until, old.name_ru) == (EDITION, "с.Старое")
    assert not Area.objects.current(EDITION).filter(code="435230200").exists()
    assert (result.created, result.updated, result.closed) == (
        {"areas": 1, "former names": 3},
        {"areas": 4, "former names": 0},
        1,
    )
    assert ActionLog.objects.filter(event="directory.import_kato").count() == 1


def test_the_same_edition_again_changes_nothing(shieli, tmp_path):
    rows = [
        _row("435200000", "Шиелі ауданы", "Чиилийский район", 2),
        _row("435230000", "", "Шиелийский с.о.", 3),
    ]
    path = _workbook(tmp_path / "kato.xlsx", rows)
    import_kato_xlsx(path=path, edition=EDITION, keep_missing=True)
    again = import_kato_xlsx(path=path, edition=EDITION, keep_missing=True)
    assert (again.created["areas"], again.updated["areas"], again.closed) == (0, 0, 0)
    assert not AreaName.objects.exists()


def test_a_bad_row_writes_nothing(shieli, tmp_path):
    # given an edition with a good new village and a row whose parts disagree with its code
    path = _workbook(
        tmp_path / "kato.xlsx",
        [
            _row("435230300", "Жаңа ауыл", "с.Жана аул", 4),
            (435230400, "43", "52", "99", "400", 4, "Қате", "Ошибка", ""),
            (12345, "", "", "", "", 4, "Қысқа", "Короткий", ""),
            _row("435230100", "", "", 4),
        ],
    )
    before = (Area.objects.count(), AreaName.objects.count(), ActionLog.objects.count())
    # when it is imported; then every problem is reported by line and nothing is written
    with pytest.raises(ImportValidationError) as exc:
        import_kato_xlsx(path=path, edition=EDITION)
    assert [(e.line, e.reason) for e in exc.value.errors] == [
        (4, 'ef "99" does not agree with the code 435230400.'),
        (5, "The code 000012345 is in no known region."),
        (6, "The unit has neither a Kazakh nor a Russian name."),
    ]
    assert (Area.objects.count(), AreaName.objects.count(), ActionLog.objects.count()) == before


def test_a_workbook_without_the_official_header_is_refused(db, tmp_path):
    path = _workbook(
        tmp_path / "kato.xlsx", [_row("435200000", "Шиелі", "Шиели")], header=("te", "name", "rus_name")
    )
    with pytest.raises(ImportValidationError) as exc:
        import_kato_xlsx(path=path, edition=EDITION)
    assert "ab, cd, ef, hij, k, kaz_name, nn" in str(exc.value)
    not_xlsx = tmp_path / "kato2.xlsx"
    not_xlsx.write_text("te,ab\n")
    with pytest.raises(ImportValidationError, match="not an Excel workbook"):
        import_kato_xlsx(path=not_xlsx, edition=EDITION)


def test_the_command_needs_the_editions_date(shieli, tmp_path, capsys):
    path = _workbook(tmp_path / "kato.xlsx", [_row("435230300", "Жаңа ауыл", "с.Жана аул", 4)])
    with pytest.raises(CommandError, match="--edition"):
        call_command("import_kato", str(path))
    from django.utils import translation

    with translation.override("en"):
        call_command("import_kato", str(path), "--edition", "2026-09-18", "--keep-missing")
    assert "areas: 1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Area.objects.get(code="435230300").valid_from == EDITION
