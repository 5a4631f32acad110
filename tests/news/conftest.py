from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council_staff(council_body: Any) -> Any:
    """An account of the national council's staff."""
    from maslikhat.directory.choices import ElectionMethod, PostRole
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    user = UserFactory(username="council-staff", is_staff=True)
    MembershipFactory(
        person=PersonFactory(user=user),
        organization=council_body,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    return user
