from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.directory.exports import CSV_KINDS, write_csv


class Command(BaseCommand):
    help = "Write areas.csv, organizations.csv, people.csv and memberships.csv into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["directory"])
        target.mkdir(parents=True, exist_ok=True)
        for kind in CSV_KINDS:
            with (target / f"{kind}.csv").open("w", encoding="utf-8", newline="") as fh:
                n = write_csv(kind, fh)
            self.stdout.write(f"{kind}.csv: {n} rows")
