from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.importers import import_kato
from maslikhat.directory.management.importing import ImportCommand


class Command(ImportCommand):
    # Lazy: the class is built before a language is active; typed as str for BaseCommand.
    help = cast(
        str,
        gettext_lazy(
            "Import districts, cities, rural okrugs and settlements from a KATO-style CSV file (UTF-8).\n"
            "\n"
            "Header line, columns in any order (* = required):\n"
            "  kato_code*   9 digits; the area's code\n"
            "  kind*        district, city, city_district, rural_okrug or settlement\n"
            "  name_kk*     name in Kazakh; name_ru, name_en: in Russian, English\n"
            "  parent_code* the parent's KATO code or area code (e.g. KZ-19), in the directory\n"
            "               or on an earlier line\n"
            "  centre_lat, centre_lon  WGS84 degrees inside Kazakhstan\n"
            "  population   a whole number\n"
            "  valid_from, valid_until  YYYY-MM-DD\n"
            "Example: kato_code,kind,name_kk,name_ru,name_en,parent_code,centre_lat,centre_lon,population\n"
            "\n"
            "Every row is checked first: if any row is bad, nothing is written and each problem is\n"
            "printed as FILE:LINE: REASON. Importing the same file again changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("the CSV file"))

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_kato, path=options["file"])
