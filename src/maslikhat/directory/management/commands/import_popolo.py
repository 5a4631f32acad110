from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maslikhat.directory.importers import ImportValidationError, import_popolo


class Command(BaseCommand):
    help = "Import FILE (see maslikhat.directory.importers for the format). Writes nothing if any row is bad."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = import_popolo(options["file"])
        except ImportValidationError as exc:
            for file, line, reason in exc.errors:
                self.stderr.write(f"{file}:{line}: {reason}")
            raise CommandError(f"{len(exc.errors)} bad row(s); nothing was imported") from None
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
