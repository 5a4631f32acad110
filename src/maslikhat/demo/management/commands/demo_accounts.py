from typing import Any

from django.core.management.base import BaseCommand

from maslikhat.demo.accounts import DEMO_PASSWORD, DEPUTY_USERNAME, create_demo_accounts


class Command(BaseCommand):
    help = (
        "Create or refresh the demo accounts (password: demo-password), linked to the demo "
        "directory by memberships. Idempotent; run demo-data first to get the deputy account."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = create_demo_accounts()
        header = ("username", "role", "body")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(2)]
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, body in [header, *rows]:
            self.stdout.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {body}")
        if DEPUTY_USERNAME not in {r.username for r in rows}:
            self.stderr.write(
                f"{DEPUTY_USERNAME} was not created: no demo deputy for Astana's constituency No. 1 "
                "(run demo-data first, then this command again)"
            )
