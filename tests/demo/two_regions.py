"""The directory the deputies' and proceedings' demo tests build on, once per module: Astana and
Almaty region, with Talgar's district maslikhat (the reference data here has no districts: it is
added, without a boundary)."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

from django.apps import apps as django_apps

from maslikhat.appeals.models import Topic
from maslikhat.demo.directory_demo import generate_demo
from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.models import Area
from tests.factories import AreaFactory, OrganizationFactory

REGIONS = ["KZ-71", "KZ-19"]  # Astana, and Almaty region with Talgar district


def build_directory(reference_snapshot: Any) -> None:
    """The demo directory of REGIONS and Talgar's district maslikhat, in the current transaction."""
    if not Topic.objects.exists():  # a transactional test's flush removed what migrations wrote
        importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    reference_snapshot.restore()
    region = Area.objects.get(code="KZ-19")
    talgar = AreaFactory(code="196200000", kind=AreaKind.DISTRICT, parent=region, name_en="Talgar district")
    OrganizationFactory(
        slug="talgar-maslikhat",
        kind=OrganizationKind.DISTRICT_MASLIKHAT,
        area=talgar,
        seats=12,
        founding_date=date(1997, 1, 1),
    )
    generate_demo(seed=1, regions=REGIONS)
