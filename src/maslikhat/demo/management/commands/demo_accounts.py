from typing import Any

from django.core.management.base import BaseCommand

from maslikhat.demo.accounts import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Create or refresh the demo accounts (password: demo-password). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = create_demo_accounts()
        shown = [
            r
            for r in rows
            if not r[0].startswith("staff-") or r[0] in ("staff-kz-71", "staff-kz-75", "staff-kz-79")
        ]
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, body in shown:
            self.stdout.write(f"  {username:<16} {role:<28} {body}")
        self.stdout.write(
            "  staff-<iso code>  maslikhat staff of each of the 20 regional maslikhats (e.g. staff-kz-10)"
        )
