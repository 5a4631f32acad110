"""Load the real history of the national council (its 19 October 2022 extended meeting)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maslikhat.council.history import load_council_history


class Command(BaseCommand):
    help = "Load the real meetings of the national council that ship with the product (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = load_council_history()
        self.stdout.write(
            f"council history: {made} meeting(s) created" if made else "council history: up to date"
        )
