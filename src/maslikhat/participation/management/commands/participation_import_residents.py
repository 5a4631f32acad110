"""Import an operator's residents list: a CSV with the columns `iin` and `kato` (settlement).

Only keyed hashes of the IINs are stored; the file itself is not kept."""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.participation.services import residents_import


class Command(BaseCommand):
    help = "Import a residents list (CSV: iin,kato); stores only keyed hashes of the IINs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--source", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        with open(options["path"], encoding="utf-8-sig", newline="") as f:
            rows = [(r.get("iin") or "", r.get("kato") or "") for r in csv.DictReader(f)]
        added, bad = residents_import(actor=None, rows=rows, source=options["source"] or options["path"])
        self.stdout.write(f"added {added}, refused {bad}")
