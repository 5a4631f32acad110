"""The kk and ru catalogues are complete: every UI string is translated, none is fuzzy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import maslikhat

PACKAGE = Path(maslikhat.__file__).resolve().parent
LANGUAGES = ("kk", "ru")


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _translated(value: object) -> bool:
    if isinstance(value, tuple | list):
        return all(value)
    return bool(value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    catalog = _catalog(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po")
    untranslated = [m.id for m in catalog if m.id and not _translated(m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert len([m for m in catalog if m.id]) > 100


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    # given a copy of the package, when makemessages extracts its strings afresh
    copy = tmp_path / "maslikhat"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "kk", "-l", "ru", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
            "PYTHONPATH": str(PACKAGE.parent),
        },
    )
    # then every extracted message exists, translated, in the committed catalogue
    for language in LANGUAGES:
        extracted = _catalog(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        committed = _catalog(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po")
        missing = [
            m.id
            for m in extracted
            if m.id and (m.id, m.context) not in {(c.id, c.context) for c in committed}
        ]
        assert missing == [], f"{language}: run `make makemessages` and translate"
