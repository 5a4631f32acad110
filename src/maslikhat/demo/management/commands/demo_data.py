import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maslikhat.appeals.models import Appeal
from maslikhat.core.synthetic import forget as forget_synthetic
from maslikhat.demo.directory_demo import DemoResetError, DemoSelectionError, generate_demo, last_generation


class Command(BaseCommand):
    help = (
        "Generate the synthetic demo directory in every real maslikhat (regional, district and city): "
        "constituencies inside the real boundaries, deputies, chairs, commissions, senators and "
        "council members. "
        "Deterministic for a seed; skipped when present (--reset deletes the demo rows and regenerates)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--reset", action="store_true", help="delete all demo rows and generate again")
        parser.add_argument(
            "--regions",
            help="only these regions (their regional, district and city maslikhats), as comma-separated "
            "ISO codes (e.g. KZ-71,KZ-35): a quick partial demo",
        )
        parser.add_argument(
            "--bodies",
            help="only the maslikhats of these areas, as comma-separated ISO or KATO codes "
            "(e.g. KZ-19,196200000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        regions = [c.strip().upper() for c in options["regions"].split(",")] if options["regions"] else None
        bodies = [c.strip().upper() for c in options["bodies"].split(",")] if options["bodies"] else None
        started = time.monotonic()
        demo_appeals = Appeal.objects.filter(is_demo=True).count() if options["reset"] else 0
        try:
            counts = generate_demo(
                seed=options["seed"], reset=options["reset"], regions=regions, bodies=bodies
            )
        except (DemoResetError, DemoSelectionError) as exc:
            raise CommandError(str(exc)) from None
        forget_synthetic()  # the scorecard and the exports say "synthetic" from now on (or no longer)
        if counts is None:
            previous = last_generation() or {}
            seed = previous.get("seed", "?")
            self.stdout.write(f"demo data: already present (seed {seed}); use --reset to regenerate")
            return
        self.stdout.write(
            "demo data: "
            + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
            + f" ({time.monotonic() - started:.1f} s)"
        )
        if demo_appeals:
            self.stdout.write(
                f"demo appeals: {demo_appeals} deleted with the old demo data (run demo-appeals again)"
            )
        if options["reset"] and get_user_model().objects.filter(is_demo=True).exists():
            # The reset removed the people the demo accounts were linked to: link them again.
            from maslikhat.demo.accounts import create_demo_accounts

            create_demo_accounts()
            self.stdout.write("demo accounts: linked again to the new demo data")
