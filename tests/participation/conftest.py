"""A small locality of our own (no reference data: fast): a region with its maslikhat, a
district (40,000 people) with its maslikhat and apparatus staff, two settlements, residents."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def locality(db: None) -> dict[str, Any]:
    from maslikhat.directory.choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
    from tests.factories import (
        AreaFactory,
        MembershipFactory,
        OrganizationFactory,
        PersonFactory,
        UserFactory,
    )

    region = AreaFactory(code="TR-01", kind=AreaKind.REGION, population=800_000, kato_code="990000000")
    district = AreaFactory(
        code="TR-01-D1", kind=AreaKind.DISTRICT, parent=region, population=40_000, kato_code="991000000"
    )
    other_district = AreaFactory(
        code="TR-01-D2", kind=AreaKind.DISTRICT, parent=region, population=120_000, kato_code="992000000"
    )
    village = AreaFactory(
        code="TR-01-D1-S1", kind=AreaKind.SETTLEMENT, parent=district, kato_code="991011001"
    )
    other_village = AreaFactory(
        code="TR-01-D2-S1", kind=AreaKind.SETTLEMENT, parent=other_district, kato_code="992011001"
    )
    regional = OrganizationFactory(
        slug="tr-01-maslikhat", kind=OrganizationKind.REGIONAL_MASLIKHAT, area=region
    )
    body = OrganizationFactory(slug="tr-01-d1-maslikhat", parent=regional, area=district)
    other_body = OrganizationFactory(slug="tr-01-d2-maslikhat", parent=regional, area=other_district)
    apparatus = OrganizationFactory(slug="tr-01-d1-apparatus", kind=OrganizationKind.APPARATUS, parent=body)
    staff = UserFactory(username="part-staff", is_staff=True)
    MembershipFactory(
        person=PersonFactory(user=staff),
        organization=apparatus,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    return {
        "region": region,
        "district": district,
        "other_district": other_district,
        "village": village,
        "other_village": other_village,
        "regional": regional,
        "body": body,
        "other_body": other_body,
        "staff": staff,
        "resident": UserFactory(username="part-resident"),
        "outsider": UserFactory(username="part-outsider"),
    }


@pytest.fixture
def make_resident(locality: dict[str, Any]) -> Any:
    """A verified resident (in person, by the district's staff) of `area` (default the village)."""
    from maslikhat.participation.services import residency_in_person
    from tests.factories import UserFactory

    def make(username: str | None = None, area: Any = None) -> Any:
        user = UserFactory(username=username) if username else UserFactory()
        residency_in_person(
            actor=locality["staff"], user=user, area=area or locality["village"], document_note="ID card"
        )
        return user

    return make


@pytest.fixture
def resident(locality: dict[str, Any], make_resident: Any) -> Any:
    from maslikhat.participation.services import residency_in_person

    residency_in_person(
        actor=locality["staff"], user=locality["resident"], area=locality["village"], document_note="ID card"
    )
    return locality["resident"]


@pytest.fixture
def collecting(locality: dict[str, Any], resident: Any) -> Any:
    """A published initiative of the village collecting support."""
    from maslikhat.participation.services import initiative_create, initiative_moderate

    initiative = initiative_create(
        actor=resident,
        area=locality["village"],
        title="Light the road to the school",
        text="The road from the village centre to the school has no street lights.",
        category="utilities",
    )
    return initiative_moderate(actor=locality["staff"], initiative=initiative, publish=True)


def phases(voting_from: date) -> dict[str, date]:
    """Phases with the voting phase starting on `voting_from` (a 14-day vote)."""
    d = voting_from
    return {
        "applications_from": d - timedelta(days=50),
        "applications_until": d - timedelta(days=40),
        "review_until": d - timedelta(days=30),
        "revision_until": d - timedelta(days=20),
        "second_review_until": d - timedelta(days=10),
        "voting_from": d,
        "voting_until": d + timedelta(days=14),
        "tally_until": d + timedelta(days=21),
    }


@pytest.fixture
def process_dates() -> Any:
    return phases


@pytest.fixture
def voting(locality: dict[str, Any]) -> dict[str, Any]:
    """A district process in its voting phase: budget 100 M, four admitted projects, one not."""
    from maslikhat.participation.choices import ProjectStatus
    from maslikhat.participation.models import BudgetProcess, Project

    today = timezone.localdate()
    process = BudgetProcess.objects.create(
        body=locality["body"],
        area=locality["district"],
        title="District budget 2026",
        total_amount=100_000_000,
        cost_limit=60_000_000,
        adult_population=30_000,
        **phases(today - timedelta(days=2)),
    )
    costs = [50_000_000, 40_000_000, 30_000_000, 20_000_000]
    projects = [
        Project.objects.create(
            process=process,
            title=f"Project {i}",
            text="A synthetic project.",
            object_ref=f"Street {i}",
            cost=c,
            status=ProjectStatus.FEASIBLE,
            review_feasible=True,
            review_legal=True,
        )
        for i, c in enumerate(costs)
    ]
    rejected = Project.objects.create(
        process=process,
        title="Rejected",
        text="Not the district's competence.",
        object_ref="Somewhere",
        cost=1_000,
        status=ProjectStatus.REJECTED,
        review_reason="Not the district's competence.",
    )
    return {"process": process, "projects": projects, "rejected": rejected}
