"""Fixtures for the national council: its staff, a second maslikhat with its own staff, and a
small record built through the services (shared by the page and API tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


@pytest.fixture
def council_world(astana: dict[str, Any]) -> dict[str, Any]:
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


@pytest.fixture
def council_record(council_world: dict[str, Any]) -> dict[str, Any]:
    """A draft extended meeting with a recommendation to Astana's and Almaty's maslikhats, Astana's
    proposal with an internal note, and a later draft meeting; with everything `council_world` holds."""
    from maslikhat.council import services
    from maslikhat.council.choices import MeetingKind

    staff = council_world["council_staff"]
    meeting = services.meeting_create(
        actor=staff,
        held_on=date(2026, 12, 10),
        kind=MeetingKind.EXTENDED,
        title={"en": "Assessing the maslikhats", "kk": "Мәслихаттарды бағалау", "ru": "Оценка маслихатов"},
        agenda=[{"en": "Scorecard for 2026"}],
    )
    proposal = services.proposal_submit(
        actor=council_world["staff_user"],
        body=council_world["maslikhat"],
        title="Local fees for district maslikhats",
        text="Amend the Budget Code.",
        language="en",
        policy_area="budget",
    )
    services.proposal_add_note(actor=staff, proposal=proposal, text="Ask the ministry first")
    rec = services.recommendation_adopt(
        actor=staff,
        meeting=meeting,
        title={"en": "Hold monthly receptions"},
        text={"en": "Every deputy receives citizens monthly."},
        due_on=date(2027, 3, 1),
        addressees=[council_world["maslikhat"], council_world["almaty"]],
    )
    draft = services.meeting_create(
        actor=staff, held_on=date(2027, 2, 1), kind=MeetingKind.REGULAR, title={"en": "Next meeting (draft)"}
    )
    return {**council_world, "meeting": meeting, "proposal": proposal, "rec": rec, "draft": draft}
