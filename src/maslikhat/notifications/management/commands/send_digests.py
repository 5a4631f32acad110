from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.notifications.choices import Frequency
from maslikhat.notifications.jobs import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly digests of followed areas, bodies, topics and deputies. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=Frequency.values, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests(frequency=options["frequency"])
        self.stdout.write(f"digests sent: {sent}")
