"""`maslikhat serve --production`: check, migrate, collect static files, then run gunicorn.

Without --production it is Django's development server."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maslikhat.core.startup import startup_problems


class Command(BaseCommand):
    help = "Serve the site: gunicorn with the production checks (--production) or the development server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--production", action="store_true", help="run gunicorn (MASLIKHAT_MODE=production)"
        )
        parser.add_argument("--bind", default=None, help="address:port (default 127.0.0.1:8000)")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["production"]:
            call_command("runserver", options["bind"] or "127.0.0.1:8000")
            return
        if not settings.PRODUCTION:
            raise CommandError("--production needs MASLIKHAT_MODE=production (see deploy/env.example).")
        call_command("check", deploy=True, fail_level="WARNING")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=1)
        problems = startup_problems()
        if problems:
            raise CommandError("Production mode refuses to start: " + "; ".join(problems))
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = ["gunicorn", "-c", settings.GUNICORN_CONFIG]
        if options["bind"]:
            argv += ["--bind", options["bind"]]
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.stdout.write("starting gunicorn")
        os.execv(gunicorn, argv)  # noqa: S606 (replaces this process with gunicorn)
