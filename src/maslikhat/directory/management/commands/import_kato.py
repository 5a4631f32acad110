from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.importers import import_kato, import_kato_xlsx
from maslikhat.directory.importers.common import _parse_date
from maslikhat.directory.management.importing import ImportCommand


class Command(ImportCommand):
    # Lazy: the class is built before a language is active; typed as str for BaseCommand.
    help = cast(
        str,
        gettext_lazy(
            "Import districts, cities, rural okrugs and settlements from a KATO-style CSV file (UTF-8),\n"
            "or apply an official KATO edition (.xlsx from stat.gov.kz, columns te, ab, cd, ef, hij, k,\n"
            "kaz_name, rus_name, nn) with --edition YYYY-MM-DD: new units open on that date, renamed\n"
            "ones keep their former names, units it no longer lists close on that date\n"
            "(--keep-missing: close none).\n"
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
        parser.add_argument("file", type=Path, help=_("the CSV file, or the official .xlsx"))
        parser.add_argument("--edition", help=_("for an .xlsx: the date of the KATO edition (YYYY-MM-DD)"))
        parser.add_argument(
            "--keep-missing", action="store_true", help=_("for an .xlsx: close no unit the edition omits")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.suffix.lower() != ".xlsx":
            self.run_import(import_kato, path=path)
            return
        try:
            edition = _parse_date(options["edition"] or "")
        except ValueError:
            raise CommandError(_("An .xlsx edition needs its date: --edition YYYY-MM-DD.")) from None
        self.run_import(import_kato_xlsx, path=path, edition=edition, keep_missing=options["keep_missing"])
