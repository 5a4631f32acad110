import json
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.exports import popolo_document

COUNTED = ("areas", "organizations", "persons", "posts", "memberships")


class Command(BaseCommand):
    # Lazy: the class is built before a language is active; typed as str for BaseCommand.
    help = cast(
        str,
        gettext_lazy(
            "Write the directory as Popolo JSON to FILE ('-' for standard output). Areas come without "
            "boundaries; accounts are never exported."
        ),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the file to write, or - for standard output"))
        parser.add_argument("--no-demo", action="store_true", help=_("leave out synthetic demo records"))

    def handle(self, *args: Any, **options: Any) -> None:
        document = popolo_document(include_demo=not options["no_demo"])
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if options["file"] == "-":
            self.stdout.write(text)
            return
        try:
            with open(options["file"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s.") % {"file": options["file"], "reason": exc.strerror}
            ) from None
        counts = ", ".join(f"{len(document[k])} {k}" for k in COUNTED)
        self.stderr.write(_("%(file)s written: %(counts)s") % {"file": options["file"], "counts": counts})
