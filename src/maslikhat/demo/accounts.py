"""The demo accounts (password "demo-password"), linked to the demo directory by memberships.

Idempotent: a second run changes nothing. The password is hashed at most once per run and each
distinct stored hash is checked once; the staff accounts of the 228 maslikhats' apparatus
(`staff-kz-71`, `staff-196200000`, ...) are read and written in bulk, so a refresh stays fast.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any, NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from maslikhat.directory.choices import MASLIKHAT_KINDS, AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization, Person
from maslikhat.directory.reference import COUNCIL_SLUG, KURULTAI_FROM, SUCCESSOR_COUNCIL_SLUG

from .directory_demo import EMAIL_DOMAIN, SOURCE, ensure_reference
from .names import make_name

DEMO_PASSWORD = "demo-password"  # noqa: S105 - the documented password of the demo accounts
STAFF_FROM = date(2023, 1, 1)
STAFF_GROUP = "Maslikhat staff"
# Directory models the back-office group may view and change (the admin narrows it to own body).
STAFF_GROUP_MODELS = ("area", "organization", "person", "post", "membership")
DEPUTY_USERNAME = "deputy-kz-71-1"
DEPUTY_BODY = "kz-71-maslikhat"


class DemoAccount(NamedTuple):
    username: str
    role: str
    body: str


class _Passwords:
    """The demo password's hash, made at most once; stored hashes checked once each."""

    def __init__(self) -> None:
        self._hash: str | None = None
        self._matches: dict[str, bool] = {}

    def hash(self) -> str:
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash

    def matches(self, encoded: str) -> bool:
        if encoded not in self._matches:
            self._matches[encoded] = bool(encoded) and check_password(DEMO_PASSWORD, encoded)
        return self._matches[encoded]


def _user(passwords: _Passwords, username: str, **fields: Any) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    wanted = {
        "email": f"{username}@{EMAIL_DOMAIN}",
        "is_demo": True,
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
        **fields,
    }
    changed = user.pk is None
    for key, value in wanted.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
            changed = True
    if not passwords.matches(user.password):
        user.password = passwords.hash()
        changed = True
    if changed:
        user.save()
    return user


def _person_fields(username: str, role: tuple[str, str, str]) -> dict[str, Any]:
    """The demo person of an account: a synthetic name stable for the username."""
    name = make_name(random.Random(f"maslikhat-demo-account:{username}"))  # noqa: S311 - demo data
    return {
        "name_kk": name.kk,
        "name_ru": name.ru,
        "name_en": name.en,
        "sort_name": name.sort,
        "gender": name.gender,
        "biography_kk": f"{role[0]}. Демонстрациялық деректер: бұл нақты адам емес.",
        "biography_ru": f"{role[1]}. Демонстрационные данные: это не реальный человек.",
        "biography_en": f"{role[2]}. Synthetic demo data: not a real person.",
        "source": SOURCE,
        "is_demo": True,
    }


def _person_of(user: Any, role: tuple[str, str, str]) -> Person:
    """The demo person linked to the account, with a synthetic name stable for the username."""
    fields = _person_fields(user.username, role)
    person = Person.objects.filter(user=user).first()
    if person is None:
        return Person.objects.create(user=user, **fields)
    changed = [key for key, value in fields.items() if getattr(person, key) != value]
    for key in changed:
        setattr(person, key, fields[key])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    return person


def _staff_membership(
    person: Person, organization: Organization, start: date, end: date | None = None
) -> None:
    membership, created = Membership.objects.get_or_create(
        person=person,
        organization=organization,
        role=PostRole.STAFF,
        start_date=start,
        defaults={
            "end_date": end,
            "election_method": ElectionMethod.EMPLOYED,
            "is_demo": True,
            "source": SOURCE,
        },
    )
    if not created and membership.end_date != end:
        membership.end_date = end
        membership.save(update_fields=["end_date", "updated_at"])


def staff_username(apparatus: Organization) -> str:
    """`staff-kz-71` for the Astana maslikhat's apparatus, `staff-196200000` (the KATO code) for
    the Talgar district maslikhat's."""
    return "staff-" + apparatus.slug.removesuffix("-apparatus")


def _staff_accounts(passwords: _Passwords, group: Group) -> list[DemoAccount]:
    """One staff account per maslikhat apparatus (regional ones first, then the district and
    city ones by KATO code), each linked to a demo person employed there. Written in bulk: a
    handful of queries for the 228 maslikhats, none of them per account."""
    User = get_user_model()
    apparatuses = sorted(
        Organization.objects.filter(
            kind=OrganizationKind.APPARATUS,
            parent__kind__in=MASLIKHAT_KINDS,
            slug__endswith="-apparatus",
        ).select_related("parent"),
        key=lambda a: (a.parent is None or a.parent.kind != OrganizationKind.REGIONAL_MASLIKHAT, a.slug),
    )
    if not apparatuses:
        return []
    names = [staff_username(a) for a in apparatuses]
    wanted = {
        "is_demo": True,
        "is_active": True,
        "is_staff": True,
        "is_superuser": False,
        "preferred_language": "ru",
    }
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    new_users, changed_users = [], []
    for username in names:
        fields = {**wanted, "email": f"{username}@{EMAIL_DOMAIN}"}
        user = users.get(username)
        if user is None:
            user = User(username=username, password=passwords.hash(), **fields)
            users[username] = user
            new_users.append(user)
            continue
        changed = False
        for key, value in fields.items():
            if getattr(user, key) != value:
                setattr(user, key, value)
                changed = True
        if not passwords.matches(user.password):
            user.password = passwords.hash()
            changed = True
        if changed:
            changed_users.append(user)
    User.objects.bulk_create(new_users, batch_size=500)
    User.objects.bulk_update(changed_users, ["password", "email", *wanted], batch_size=500)
    all_users = [users[n] for n in names]

    through = User.groups.through
    in_group = set(through.objects.filter(group=group, user__in=all_users).values_list("user_id", flat=True))
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=group.pk) for u in all_users if u.pk not in in_group],
        batch_size=500,
    )

    persons = {p.user_id: p for p in Person.objects.filter(user__in=all_users)}
    new_people: list[Person] = []
    changed_people: list[Person] = []
    changed_fields: set[str] = set()
    for user, apparatus in zip(all_users, apparatuses, strict=True):
        fields = _person_fields(
            user.username,
            (
                f"Қызметкер: {apparatus.name_kk}",
                f"Сотрудник: {apparatus.name_ru}",
                f"Staff member of the {apparatus.name_en}",
            ),
        )
        person = persons.get(user.pk)
        if person is None:
            persons[user.pk] = person = Person(user=user, **fields)
            new_people.append(person)
            continue
        differ = [key for key, value in fields.items() if getattr(person, key) != value]
        for key in differ:
            setattr(person, key, fields[key])
        if differ:
            changed_people.append(person)
            changed_fields.update(differ)
    Person.objects.bulk_create(new_people, batch_size=500)
    if changed_people:
        now = timezone.now()
        for person in changed_people:
            person.updated_at = now
        Person.objects.bulk_update(changed_people, [*sorted(changed_fields), "updated_at"], batch_size=500)

    people = [persons[u.pk] for u in all_users]
    employed = {
        (m.person_id, m.organization_id): m
        for m in Membership.objects.filter(role=PostRole.STAFF, start_date=STAFF_FROM, person__in=people)
    }
    new_memberships, reopened = [], []
    for person, apparatus in zip(people, apparatuses, strict=True):
        membership = employed.get((person.pk, apparatus.pk))
        if membership is None:
            new_memberships.append(
                Membership(
                    person=person,
                    organization=apparatus,
                    role=PostRole.STAFF,
                    start_date=STAFF_FROM,
                    election_method=ElectionMethod.EMPLOYED,
                    is_demo=True,
                    source=SOURCE,
                )
            )
        elif membership.end_date is not None:
            membership.end_date = None
            membership.updated_at = timezone.now()
            reopened.append(membership)
    Membership.objects.bulk_create(new_memberships, batch_size=500)
    Membership.objects.bulk_update(reopened, ["end_date", "updated_at"], batch_size=500)
    return [
        DemoAccount(username, "maslikhat staff", a.parent.name_en if a.parent else a.name_en)
        for username, a in zip(names, apparatuses, strict=True)
    ]


def staff_group() -> Group:
    """The group of back-office staff: view and change the directory models."""
    codenames = [f"{action}_{model}" for model in STAFF_GROUP_MODELS for action in ("view", "change")]
    permissions = list(Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))
    if len(permissions) < len(codenames):  # a database migrated without the post_migrate signal
        create_permissions(apps.get_app_config("directory"), verbosity=0)
        permissions = list(
            Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
        )
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    if set(group.permissions.all()) != set(permissions):
        group.permissions.set(permissions)
    return group


def _constituency_one_deputy() -> Membership | None:
    return (
        Membership.objects.current()
        .filter(
            organization__slug=DEPUTY_BODY,
            role=PostRole.CONSTITUENCY_DEPUTY,
            post__area__kind=AreaKind.CONSTITUENCY,
            post__area__number=1,
            person__is_demo=True,
        )
        .select_related("person", "organization")
        .order_by("id")
        .first()
    )


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    """Create or refresh the demo accounts; returns (username, role, body) rows.

    `deputy-kz-71-1` is linked to the demo deputy of Astana's constituency No. 1, so it exists
    only once the demo directory has been generated."""
    ensure_reference()
    passwords = _Passwords()
    group = staff_group()
    rows: list[DemoAccount] = []

    _user(passwords, "admin", is_staff=True, is_superuser=True, preferred_language="en")
    rows.append(DemoAccount("admin", "administrator (superuser)", "—"))

    council_user = _user(passwords, "council", is_staff=True, preferred_language="ru")
    council_user.groups.add(group)
    senate_council = Organization.objects.get(slug=COUNCIL_SLUG)
    successor = Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG)
    person = _person_of(
        council_user,
        (
            "Мәслихаттармен өзара іс-қимыл жөніндегі кеңес аппаратының қызметкері",
            "Сотрудник аппарата Совета по взаимодействию с маслихатами",
            "Staff member of the Council on Interaction with Maslikhats",
        ),
    )
    _staff_membership(person, senate_council, STAFF_FROM, KURULTAI_FROM)
    _staff_membership(person, successor, KURULTAI_FROM)
    rows.append(DemoAccount("council", "national council staff", successor.name_en))

    rows += _staff_accounts(passwords, group)

    seat = _constituency_one_deputy()
    if seat is not None:
        user = _user(passwords, DEPUTY_USERNAME, is_staff=True, preferred_language="kk")
        user.groups.add(group)
        Person.objects.filter(user=user).exclude(pk=seat.person_id).update(user=None)
        if seat.person.user_id != user.pk:
            seat.person.user = user
            seat.person.save(update_fields=["user", "updated_at"])
        rows.append(DemoAccount(DEPUTY_USERNAME, "deputy, constituency No. 1", seat.organization.name_en))

    _user(passwords, "citizen", preferred_language="kk")
    rows.append(DemoAccount("citizen", "citizen", "—"))
    return rows
