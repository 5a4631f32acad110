from datetime import date
from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.importers import FeatureProperties, import_geojson
from maslikhat.directory.management.importing import ImportCommand


class Command(ImportCommand):
    # Lazy: the class is built before a language is active; typed as str for BaseCommand.
    help = cast(
        str,
        gettext_lazy(
            "Import boundaries from a GeoJSON FeatureCollection (Polygon/MultiPolygon, WGS84).\n"
            "\n"
            "A feature whose code (--code-property) is an area's code or KATO code sets that area's\n"
            "boundary, at any level. Any other feature creates an electoral constituency of the\n"
            "maslikhat given by --body (or each feature's --body-property), numbered by the\n"
            "--number-property, named by the --name-*-property properties (optional).\n"
            "\n"
            "Every feature is checked first: if any is bad, nothing is written and each problem is\n"
            "printed as FILE:FEATURE: REASON (features counted from 1). Importing the same file again\n"
            "changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = FeatureProperties()
        parser.add_argument("file", type=Path, help=_("the GeoJSON file"))
        parser.add_argument(
            "--code-property", default=defaults.code, help=_("the property with the area code")
        )
        parser.add_argument(
            "--body", default=None, help=_("slug of the maslikhat that new constituencies elect")
        )
        parser.add_argument(
            "--body-property",
            default=defaults.body,
            help=_("the property with the maslikhat's slug (when --body is not given)"),
        )
        parser.add_argument(
            "--number-property",
            default=defaults.number,
            help=_("the property with the constituency number"),
        )
        for lang in ("kk", "ru", "en"):
            parser.add_argument(
                f"--name-{lang}-property",
                default=getattr(defaults, f"name_{lang}"),
                help=_("the property with the constituency's name in this language"),
            )
        parser.add_argument(
            "--valid-from",
            type=date.fromisoformat,
            default=None,
            help=_("YYYY-MM-DD: the first day of new constituencies"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        properties = FeatureProperties(
            code=options["code_property"],
            body=options["body_property"],
            number=options["number_property"],
            name_kk=options["name_kk_property"],
            name_ru=options["name_ru_property"],
            name_en=options["name_en_property"],
        )
        self.run_import(
            import_geojson,
            path=options["file"],
            properties=properties,
            body=options["body"],
            valid_from=options["valid_from"],
        )
