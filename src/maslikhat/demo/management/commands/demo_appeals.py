from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.core.synthetic import forget as forget_synthetic
from maslikhat.demo.appeals_demo import generate_demo_appeals


class Command(BaseCommand):
    help = "Generate synthetic demo appeals over the last year (deterministic; skipped when present)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--count", type=int, default=400)

    def handle(self, *args: Any, **options: Any) -> None:
        made = generate_demo_appeals(seed=options["seed"], count=options["count"])
        forget_synthetic()
        self.stdout.write(f"demo appeals: {made} created" if made else "demo appeals: already present")
