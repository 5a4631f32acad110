"""Fixtures for the national council: its staff and a second maslikhat with its own staff."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


@pytest.fixture
def council(astana: dict[str, Any]) -> dict[str, Any]:
    """The council in office today (the successor of the Senate's), a staff account of it, and
    Almaty city's maslikhat with a staff account of its apparatus (besides Astana's)."""
    from maslikhat.directory.choices import ElectionMethod, PostRole
    from maslikhat.directory.models import Organization
    from maslikhat.directory.reference import COUNCIL_SLUG, SUCCESSOR_COUNCIL_SLUG
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    successor = Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG)
    staff = UserFactory(username="council-staff", is_staff=True, email="council@example.kz")
    MembershipFactory(
        person=PersonFactory(user=staff),
        organization=successor,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
        start_date=date(2026, 7, 1),
    )
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    other_staff = UserFactory(username="staff-kz-75", is_staff=True, email="almaty@example.kz")
    MembershipFactory(
        person=PersonFactory(user=other_staff),
        organization=Organization.objects.get(slug="kz-75-apparatus"),
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    astana["staff_user"].email = "astana@example.kz"
    astana["staff_user"].save()
    return {
        **astana,
        "council": successor,
        "senate_council": Organization.objects.get(slug=COUNCIL_SLUG),
        "council_staff": staff,
        "almaty": almaty,
        "almaty_staff": other_staff,
    }
