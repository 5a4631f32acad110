"""`maslikhat demo-serve`: what `make demo` serves with, gunicorn as in production, on SQLite.

The same gunicorn settings as `maslikhat serve --production` (maslikhat.config.gunicorn: sync
workers, timeouts, worker recycling) with DEBUG off, so a visitor never sees a technical error
page. It is not production mode (MASLIKHAT_MODE stays `development`): the demo's synthetic data
and accounts are allowed, the development SECRET_KEY and the loopback ALLOWED_HOSTS too.
Assets are served by whitenoise from the apps' static folders (WHITENOISE_USE_FINDERS), so
nothing needs collecting. `PORT` is passed on: links in emails point at the served port.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def gunicorn_argv(*, host: str, port: int) -> list[str]:
    # --preload: the application is imported once, then the workers fork (a start in seconds);
    # outside production nothing opens a database connection at import (core.startup.guard)
    return ["gunicorn", "-c", settings.GUNICORN_CONFIG, "--preload", "--bind", f"{host}:{port}"]


def demo_environ(base: dict[str, str], *, host: str, port: int) -> dict[str, str]:
    """The environment of the demo's gunicorn: DEBUG off, the port known to the settings."""
    env = dict(base)
    env.update({"DEBUG": "false", "PORT": str(port), "GUNICORN_BIND": f"{host}:{port}"})
    return env


class Command(BaseCommand):
    help = "Serve the demo with gunicorn (DEBUG off, SQLite by default): what `make demo` runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=None, help="port (default: $PORT, else 8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo is not production: use `maslikhat serve --production`.")
        port = options["port"] or settings.PORT
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        host = options["host"]
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.stdout.write(f"starting gunicorn at http://{host}:{port}/ (DEBUG off)")
        self.stdout.flush()
        env = demo_environ(dict(os.environ), host=host, port=port)
        os.execve(gunicorn, gunicorn_argv(host=host, port=port), env)  # noqa: S606 (becomes gunicorn)
