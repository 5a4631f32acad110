from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.exports import CSV_KINDS, write_csv


class Command(BaseCommand):
    # Lazy: the class is built before a language is active; typed as str for BaseCommand.
    help = cast(
        str,
        gettext_lazy(
            "Write areas.csv, organizations.csv, people.csv, posts.csv and memberships.csv (UTF-8) into "
            "DIRECTORY, creating it if needed. Accounts are never exported."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help=_("where to write the files"))
        parser.add_argument("--no-demo", action="store_true", help=_("leave out synthetic demo records"))

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["directory"]
        try:
            target.mkdir(parents=True, exist_ok=True)
            for kind in CSV_KINDS:
                path = target / f"{kind}.csv"
                with path.open("w", encoding="utf-8", newline="") as fh:
                    count = write_csv(kind, fh, include_demo=not options["no_demo"])
                self.stdout.write(_("%(file)s: %(count)d rows") % {"file": path, "count": count})
        except OSError as exc:
            raise CommandError(
                _("Cannot write into %(directory)s: %(reason)s.")
                % {"directory": target, "reason": exc.strerror}
            ) from None
