from pathlib import Path
from typing import Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.importers import import_popolo
from maslikhat.directory.management.importing import ImportCommand


class Command(ImportCommand):
    # Lazy: the class is built before a language is active; typed as str for BaseCommand.
    help = cast(
        str,
        gettext_lazy(
            "Import areas, organizations, persons, posts and memberships from Popolo JSON in the shape\n"
            "export_popolo writes (so an export imports back unchanged).\n"
            "\n"
            "Areas are matched by code, organizations by slug, persons by their kk/ru/en names,\n"
            "posts and memberships by what they are about; existing persons are not changed.\n"
            "Every record is checked first: if any is bad, nothing is written and each problem is\n"
            "printed as FILE#COLLECTION:RECORD: REASON (records counted from 1). Importing the same\n"
            "file again changes nothing."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("the Popolo JSON file"))

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_popolo, path=options["file"])
