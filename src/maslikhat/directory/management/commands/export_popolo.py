import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.directory.exports import popolo_document


class Command(BaseCommand):
    help = "Write the directory as Popolo JSON to FILE ('-' for standard output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(popolo_document(), ensure_ascii=False, indent=1)
        if options["file"] == "-":
            self.stdout.write(text)
        else:
            with open(options["file"], "w", encoding="utf-8") as fh:
                fh.write(text)
