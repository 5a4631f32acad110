from typing import Any

from django.core.management.base import BaseCommand

from maslikhat.directory.reference import load_reference


class Command(BaseCommand):
    help = (
        "Load the real reference data (Kazakhstan, 20 regions, their maslikhats, the national level). "
        "Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_reference()
        self.stdout.write(
            f"reference data: {created['areas']} areas, {created['organizations']} organizations, "
            f"{created['posts']} posts created"
        )
