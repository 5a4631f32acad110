"""A small locality of our own (no reference data: fast): a region with its maslikhat, a
district (40,000 people) with its maslikhat and apparatus staff, two settlements, residents; and
a district budget process in its voting phase. Used by the participation and API tests and the
authorization matrix."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone


def build_locality(prefix: str = "TR") -> dict[str, Any]:
    """The areas, bodies and accounts (codes and slugs start with `prefix`)."""
    from maslikhat.directory.choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
    from tests.factories import (
        AreaFactory,
        MembershipFactory,
        OrganizationFactory,
        PersonFactory,
        UserFactory,
    )

    region = AreaFactory(code=f"{prefix}-01", kind=AreaKind.REGION, population=800_000, kato_code="990000000")
    district = AreaFactory(
        code=f"{prefix}-01-D1",
        kind=AreaKind.DISTRICT,
        parent=region,
        population=40_000,
        kato_code="991000000",
    )
    other_district = AreaFactory(
        code=f"{prefix}-01-D2",
        kind=AreaKind.DISTRICT,
        parent=region,
        population=120_000,
        kato_code="992000000",
    )
    village = AreaFactory(
        code=f"{prefix}-01-D1-S1", kind=AreaKind.SETTLEMENT, parent=district, kato_code="991011001"
    )
    other_village = AreaFactory(
        code=f"{prefix}-01-D2-S1", kind=AreaKind.SETTLEMENT, parent=other_district, kato_code="992011001"
    )
    regional = OrganizationFactory(
        slug=f"{prefix.lower()}-01-maslikhat", kind=OrganizationKind.REGIONAL_MASLIKHAT, area=region
    )
    body = OrganizationFactory(slug=f"{prefix.lower()}-01-d1-maslikhat", parent=regional, area=district)
    other_body = OrganizationFactory(
        slug=f"{prefix.lower()}-01-d2-maslikhat", parent=regional, area=other_district
    )
    apparatus = OrganizationFactory(
        slug=f"{prefix.lower()}-01-d1-apparatus", kind=OrganizationKind.APPARATUS, parent=body
    )
    staff = UserFactory(username=f"{prefix.lower()}-part-staff", is_staff=True)
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
        "resident": UserFactory(username=f"{prefix.lower()}-part-resident"),
        "outsider": UserFactory(username=f"{prefix.lower()}-part-outsider"),
    }


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


def build_voting(locality: dict[str, Any]) -> dict[str, Any]:
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
