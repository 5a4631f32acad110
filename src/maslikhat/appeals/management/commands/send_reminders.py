from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maslikhat.appeals.jobs import send_due_reminders


class Command(BaseCommand):
    help = "Send the daily appeal reminders (due in 3 working days; overdue). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders(options["today"])
        self.stdout.write(f"reminders sent: {sent['due_soon']} due soon, {sent['overdue']} overdue")
