from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.demo.generator import generate_demo


class Command(BaseCommand):
    help = "Generate the synthetic demo directory (deterministic for a seed; skipped when present)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reset", action="store_true", help="delete all demo rows and generate again")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = generate_demo(seed=options["seed"], reset=options["reset"])
        if counts is None:
            self.stdout.write("demo data: already present (use --reset to regenerate)")
        else:
            self.stdout.write("demo data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
