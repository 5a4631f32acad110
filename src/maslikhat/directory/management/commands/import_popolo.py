from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.importers import ImportValidationError, import_popolo


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's option order, with the description's line breaks kept."""


class Command(BaseCommand):
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

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("the Popolo JSON file"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_popolo(path=options["file"])
        except ImportValidationError as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)d problem(s) found; nothing was imported.") % {"count": len(exc.errors)}
            ) from None
        for line in result.summary():
            self.stdout.write(line)
