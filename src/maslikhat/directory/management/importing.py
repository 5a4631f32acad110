"""The shared part of the import commands: help text layout and how results and problems print."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter
from django.utils.translation import gettext as _

from maslikhat.directory.importers import ImportResult, ImportValidationError


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's option order, with the description's line breaks kept."""


class ImportCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def run_import(self, importer: Callable[..., ImportResult], **kwargs: Any) -> None:
        """Run an importer; print FILE:LINE: REASON for every problem and fail, or the summary."""
        try:
            result = importer(**kwargs)
        except ImportValidationError as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)d problem(s) found; nothing was imported.") % {"count": len(exc.errors)}
            ) from None
        for line in result.summary():
            self.stdout.write(line)
