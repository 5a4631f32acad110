from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the public search index from every module (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from maslikhat.search import engines
        from maslikhat.search.services import index_rebuild

        if engines.vendor() == "postgresql":
            if engines.ensure_configuration():
                self.stdout.write("Kazakh text search configuration: kazakh (hunspell-kk)")
            else:
                self.stderr.write(
                    "Kazakh text search configuration missing: Kazakh is searched with 'simple'"
                )
        n = index_rebuild()
        self.stdout.write(f"{n} search documents indexed")
