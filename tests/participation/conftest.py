"""Fixtures of the participation tests (the rows come from tests/participation/world.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.participation.world import build_locality, build_voting, phases


@pytest.fixture
def locality(db: None) -> dict[str, Any]:
    return build_locality()


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


@pytest.fixture
def process_dates() -> Any:
    return phases


@pytest.fixture
def voting(locality: dict[str, Any]) -> dict[str, Any]:
    """A district process in its voting phase: budget 100 M, four admitted projects, one not."""
    return build_voting(locality)
