from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.directory.reference import load_reference
from maslikhat.directory.reference_country import load_country


class Command(BaseCommand):
    help = (
        "Load the real reference data: Kazakhstan, its 20 regions and their maslikhats, the national "
        "level, then the 208 districts and cities of oblast significance with their maslikhats and "
        "the rural okrugs, towns and settlements of the KATO. Idempotent: existing rows only get "
        "their empty fields filled."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--regions-only", action="store_true", help="load the country, regions and national level only"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_reference()
        self.stdout.write(
            f"reference data: {created['areas']} areas, {created['organizations']} organizations, "
            f"{created['posts']} posts created"
        )
        if options["regions_only"]:
            return
        country = load_country()
        self.stdout.write(
            f"country: {country['areas']} areas, {country['organizations']} organizations, "
            f"{country['posts']} posts, {country['boundaries']} boundaries, "
            f"{country['seat_limits']} seat limits created in {country['seconds']} s"
        )
