"""Everything `make demo` needs in one process: migrate, real reference data (the regions and the
whole country), the demo directory in every real maslikhat, demo accounts, demo appeals, the
council's real history and demo work, demo news.
A second run finds everything in place and returns in seconds."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from maslikhat.core.audit import log_action
from maslikhat.core.models import ActionLog
from maslikhat.council.history import load_council_history
from maslikhat.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from maslikhat.demo.appeals_demo import generate_demo_appeals
from maslikhat.demo.council_demo import generate_demo_council
from maslikhat.demo.deputies_demo import generate_demo_deputies
from maslikhat.demo.directory_demo import generate_demo
from maslikhat.demo.news_demo import create_demo_news
from maslikhat.demo.participation_demo import generate_demo_participation
from maslikhat.demo.proceedings_demo import generate_demo_proceedings
from maslikhat.demo.proceedings_hearings_demo import generate_demo_hearings
from maslikhat.directory.choices import MASLIKHAT_KINDS
from maslikhat.directory.models import Organization
from maslikhat.directory.reference import REGIONS_CSV, REGIONS_GEOJSON, load_reference
from maslikhat.directory.reference_country import DISTRICTS_CSV, DISTRICTS_GEOJSON, KATO_CSV, load_country
from maslikhat.search.models import SearchDocument
from maslikhat.search.services import index_rebuild

DIGEST_EVENT = "directory.reference_digest"
# Two district-level staff accounts (of the 208): Talgar district and the city of Temirtau.
DISTRICT_STAFF = ("staff-196200000", "staff-352400000")


def reference_digest() -> str:
    h = hashlib.sha256()
    for path in (REGIONS_CSV, REGIONS_GEOJSON, DISTRICTS_CSV, DISTRICTS_GEOJSON, KATO_CSV):
        h.update(path.read_bytes())
    return h.hexdigest()


class Command(BaseCommand):
    help = "Set up the demo database (idempotent): migrate, reference data, demo data, accounts, appeals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--appeals", type=int, default=400, help="how many demo appeals to generate")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        changed = False  # did this run write anything the search index shows
        digest = reference_digest()
        last = (
            ActionLog.objects.filter(event=DIGEST_EVENT)
            .order_by("-id")
            .values_list("data", flat=True)
            .first()
        )
        if not last or last.get("digest") != digest:
            created = load_reference()
            created.update({f"country {k}": v for k, v in load_country().items()})
            log_action(actor=None, event=DIGEST_EVENT, data={"digest": digest})
            self.stdout.write(f"reference data loaded: {created}")
            changed = True
        else:
            self.stdout.write("reference data: up to date")
        # A database set up by an older demo holds maslikhats the demo invented (the demo now fills
        # the 228 real ones): regenerate it instead of serving both.
        invented = Organization.objects.filter(is_demo=True, kind__in=MASLIKHAT_KINDS).exists()
        if invented:
            self.stdout.write("demo data: an older demo with invented maslikhats found; regenerating")
        counts = generate_demo(seed=options["seed"], reset=invented)
        self.stdout.write(f"demo data: {counts}" if counts else "demo data: already present")
        usernames = ["admin", "council", "staff-kz-71", *DISTRICT_STAFF, "deputy-kz-71-1", "citizen"]
        if get_user_model().objects.filter(username__in=usernames).count() < len(usernames) or counts:
            create_demo_accounts()
        made = generate_demo_appeals(seed=options["seed"], count=options["appeals"])
        self.stdout.write(f"demo appeals: {made} created" if made else "demo appeals: already present")
        history = load_council_history()
        self.stdout.write(
            f"council history: {history} meeting(s)" if history else "council history: up to date"
        )
        council = generate_demo_council(seed=options["seed"])
        self.stdout.write(
            f"demo council work: {council} created" if council else "demo council work: already present"
        )
        news = create_demo_news(seed=options["seed"])
        self.stdout.write(f"demo news: {news} created" if news else "demo news: already present")
        changed = changed or bool(counts or made or history or council or news)
        for label, generate in (
            ("demo sessions and decisions", generate_demo_proceedings),
            ("demo commission meetings and hearings", generate_demo_hearings),
            ("demo participation", generate_demo_participation),
            ("demo deputies' work", generate_demo_deputies),
        ):
            made = generate(seed=options["seed"])
            self.stdout.write(f"{label}: {made} created" if made else f"{label}: already present")
            changed = changed or bool(made)
        # The loads above write in bulk (no per-object index jobs): the search index is rebuilt
        # whenever this run changed anything, or when it is empty.
        if changed or not SearchDocument.objects.exists():
            self.stdout.write(f"search index: {index_rebuild()} documents")
        else:
            self.stdout.write("search index: up to date")
        self.stdout.write(
            f"\nDemo accounts (password: {DEMO_PASSWORD}):\n"
            "  admin            administrator\n"
            "  council          staff of the national council on interaction with maslikhats\n"
            "  staff-kz-71      apparatus of the Astana city maslikhat (staff-<iso code> for every region)\n"
            "  staff-196200000  apparatus of the Talgar district maslikhat (staff-<kato> for every district\n"
            "                   and city maslikhat; staff-352400000 is the city of Temirtau's)\n"
            "  deputy-kz-71-1   deputy for constituency No. 1 of the Astana city maslikhat\n"
            "  citizen          a citizen\n"
        )
