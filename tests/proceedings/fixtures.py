"""A small maslikhat of its own (no reference data: fast): six deputies, a staff account of its
apparatus, a standing commission, a convocation and a session in progress with attendance."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from maslikhat.directory.choices import ElectionMethod, OrganizationKind, PostRole
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory

DEPUTIES = 6


@pytest.fixture
def body(db: None) -> dict[str, Any]:
    from maslikhat.proceedings import services

    maslikhat: Any = OrganizationFactory(
        slug="test-maslikhat", kind=OrganizationKind.DISTRICT_MASLIKHAT, seats=DEPUTIES
    )
    apparatus = OrganizationFactory(
        slug="test-apparatus", kind=OrganizationKind.APPARATUS, parent=maslikhat, name_en="Apparatus"
    )
    commission = OrganizationFactory(
        slug="test-budget-commission",
        kind=OrganizationKind.STANDING_COMMISSION,
        parent=maslikhat,
        name_en="Budget commission",
    )
    deputies: list[Any] = []
    for i in range(DEPUTIES):
        person: Any = PersonFactory(name_en=f"Deputy {i}", name_kk=f"Депутат {i}", name_ru=f"Депутат {i}")
        MembershipFactory(person=person, organization=maslikhat)
        deputies.append(person)
    staff_user = UserFactory(username="proceedings-staff", is_staff=True)
    MembershipFactory(
        person=PersonFactory(user=staff_user),
        organization=apparatus,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    resident = UserFactory(username="resident", first_name="Aliya", last_name="Nurova")
    other = UserFactory(username="other-resident")
    conv = services.convocation_create(
        actor=staff_user, body=maslikhat, number=8, start_date=date(2023, 3, 29), seats=DEPUTIES
    )
    return {
        "maslikhat": maslikhat,
        "apparatus": apparatus,
        "commission": commission,
        "deputies": deputies,
        "staff": staff_user,
        "resident": resident,
        "other": other,
        "convocation": conv,
    }


@pytest.fixture
def sitting(body: dict[str, Any]) -> dict[str, Any]:
    """Session 5, in progress, two agenda items, five of six deputies present."""
    from maslikhat.proceedings import services

    staff = body["staff"]
    session = services.session_plan(
        actor=staff,
        convocation=body["convocation"],
        number=5,
        starts_at=datetime(2031, 3, 20, 5, 0, tzinfo=UTC),
    )
    first = services.agenda_item_add(
        actor=staff,
        session=session,
        title={"kk": "Бюджет туралы", "ru": "О бюджете", "en": "On the budget"},
        commission=body["commission"],
    )
    second = services.agenda_item_add(actor=staff, session=session, title={"en": "On the akim's report"})
    services.session_convene(actor=staff, session=session, notice="The fifth session is convened.")
    services.session_start(actor=staff, session=session)
    deps = body["deputies"]
    services.attendance_record(
        actor=staff,
        session=session,
        present={d.pk: i != 5 for i, d in enumerate(deps)},
        reasons={deps[5].pk: "ill"},
    )
    session.refresh_from_db()
    return {**body, "session": session, "item": first, "item2": second}
