"""Fixtures for the deputies app: Astana's deputy with an account (the deputy's office), a
weekly Saturday schedule with a future slot, and a resident's applicant data."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def office(astana: dict[str, Any]) -> dict[str, Any]:
    """Astana's objects plus an account linked to the deputy and a resident's account."""
    from tests.factories import UserFactory

    deputy_user = UserFactory(username="deputy-kz-71", is_staff=True, email="deputy@example.kz")
    deputy = astana["deputy"]
    deputy.user = deputy_user
    deputy.save()
    resident = UserFactory(username="resident", email="resident@example.org", first_name="Aruzhan")
    return {**astana, "deputy_user": deputy_user, "resident": resident}


@pytest.fixture
def schedule(office: dict[str, Any]) -> Any:
    """A weekly Saturday 10:00 reception, 3 places, 4 weeks, published by the apparatus."""
    from maslikhat.deputies.services import schedule_create

    return schedule_create(
        actor=office["staff_user"],
        deputy=office["deputy"],
        place="Astana, Beibitshilik 11, room 204",
        mode="in_person",
        recurrence="weekly",
        weekday=5,
        start_time=time(10, 0),
        duration_minutes=120,
        capacity=3,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=4,
    )


@pytest.fixture
def slot(schedule: Any) -> Any:
    return schedule.slots.order_by("starts_at").first()


@pytest.fixture
def visitor_applicant() -> dict[str, str]:
    """What the staff add when a question raised at a reception becomes an appeal."""
    from maslikhat.core.iin import check_digit

    first = "85031530012"
    return {
        "full_name": "Айгүл Бекова",
        "iin": first + str(check_digit(first)),
        "address": "Астана, Мәңгілік Ел даңғылы, 8",
        "phone": "+7 701 234 56 78",
        "email": "aigul@example.org",
    }
