"""The demo accounts (password "demo-password"), linked to the demo directory by memberships."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from maslikhat.directory.choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization, Person
from maslikhat.directory.reference import COUNCIL_SLUG, KURULTAI_FROM, SUCCESSOR_COUNCIL_SLUG

DEMO_PASSWORD = "demo-password"  # noqa: S105 - the documented demo password
STAFF_FROM = date(2023, 1, 1)


def _user(username: str, password_hash: str, **fields: Any) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, password=password_hash)
    user.email = f"{username}@demo.maslikhat.kz"
    user.is_demo = True
    for k, v in fields.items():
        setattr(user, k, v)
    user.save()
    return user


def _staff_person(
    user: Any, name: tuple[str, str, str], org: Organization, start: date, end: date | None = None
) -> None:
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            user=user,
            name_kk=name[0],
            name_ru=name[1],
            name_en=name[2],
            sort_name=name[2],
            is_demo=True,
            source="synthetic demo data",
        )
    Membership.objects.get_or_create(
        person=person,
        organization=org,
        role=PostRole.STAFF,
        start_date=start,
        defaults={
            "end_date": end,
            "election_method": ElectionMethod.EMPLOYED,
            "is_demo": True,
            "source": "synthetic demo data",
        },
    )


@transaction.atomic
def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create or refresh the demo accounts; returns (username, role, body) rows."""
    password_hash = make_password(DEMO_PASSWORD)
    rows: list[tuple[str, str, str]] = []
    _user("admin", password_hash, is_staff=True, is_superuser=True, preferred_language="en")
    rows.append(("admin", "administrator", "—"))
    council_user = _user("council", password_hash, is_staff=True, preferred_language="ru")
    successor = Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG)
    senate_council = Organization.objects.get(slug=COUNCIL_SLUG)
    name = ("Кеңес аппараты (демо)", "Аппарат совета (демо)", "Council staff (demo)")
    _staff_person(council_user, name, senate_council, STAFF_FROM, KURULTAI_FROM)
    _staff_person(council_user, name, successor, KURULTAI_FROM)
    rows.append(("council", "council staff", successor.name_en))
    for apparatus in (
        Organization.objects.filter(
            kind=OrganizationKind.APPARATUS, parent__kind=OrganizationKind.REGIONAL_MASLIKHAT
        )
        .select_related("parent", "parent__area")
        .order_by("slug")
    ):
        code = apparatus.parent.area.code.lower()  # type: ignore[union-attr]
        username = f"staff-{code}"
        user = _user(username, password_hash, is_staff=True, preferred_language="ru")
        _staff_person(
            user,
            (
                f"Аппарат қызметкері {code.upper()} (демо)",
                f"Сотрудник аппарата {code.upper()} (демо)",
                f"Apparatus staff {code.upper()} (demo)",
            ),
            apparatus,
            STAFF_FROM,
        )
        rows.append((username, "maslikhat staff", apparatus.parent.name_en))  # type: ignore[union-attr]
    deputy_m = (
        Membership.objects.current()
        .filter(
            organization__slug="kz-71-maslikhat",
            role=PostRole.CONSTITUENCY_DEPUTY,
            post__area__number=1,
            post__area__kind=AreaKind.CONSTITUENCY,
        )
        .select_related("person", "organization")
        .first()
    )
    if deputy_m is not None:
        user = _user("deputy-kz-71-1", password_hash, is_staff=True, preferred_language="kk")
        Person.objects.filter(user=user).exclude(pk=deputy_m.person_id).update(user=None)
        Person.objects.filter(pk=deputy_m.person_id).update(user=user)
        rows.append(("deputy-kz-71-1", "deputy, constituency No. 1", deputy_m.organization.name_en))
    _user("citizen", password_hash, preferred_language="kk")
    rows.append(("citizen", "citizen", "—"))
    return rows
