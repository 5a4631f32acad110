"""The demo accounts: who they are, what they are linked to, and that a rerun changes nothing."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from maslikhat.demo import accounts
from maslikhat.demo.accounts import DEMO_PASSWORD, STAFF_GROUP, create_demo_accounts
from maslikhat.demo.directory_demo import generate_demo
from maslikhat.directory.choices import AreaKind, ElectionMethod, PostRole
from maslikhat.directory.models import Membership, Organization, Person
from maslikhat.directory.permissions import Role, managed_body_ids, user_roles

REGIONS = [
    "kz-10", "kz-11", "kz-15", "kz-19", "kz-23", "kz-27", "kz-31", "kz-33", "kz-35", "kz-39",
    "kz-43", "kz-47", "kz-55", "kz-59", "kz-61", "kz-62", "kz-63", "kz-71", "kz-75", "kz-79",
]  # fmt: skip
USERNAMES = ["admin", "council", *(f"staff-{r}" for r in REGIONS), "deputy-kz-71-1", "citizen"]
KURULTAI_FROM = date(2026, 7, 1)


@pytest.fixture
def demo(reference: dict[str, int]) -> None:
    """The demo directory of Astana (enough for the deputy account)."""
    generate_demo(seed=1, regions=["KZ-71"])


def _users() -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.all()}


def test_demo_accounts_are_created_with_the_demo_password(demo):
    # when the demo accounts are created
    rows = create_demo_accounts()
    # then there is one per role and regional maslikhat, all marked demo, with fake addresses
    assert [r.username for r in rows] == USERNAMES
    users = _users()
    assert sorted(users) == sorted(USERNAMES)
    for username, user in users.items():
        assert user.is_demo and user.is_active
        assert user.email == f"{username}@demo.maslikhat.kz"
    assert [u for u, user in users.items() if user.is_superuser] == ["admin"]
    assert sorted(u for u, user in users.items() if not user.is_staff) == ["citizen"]
    # and the password is the documented one (all share one hash made once)
    assert authenticate(username="staff-kz-71", password=DEMO_PASSWORD) == users["staff-kz-71"]
    assert authenticate(username="citizen", password=DEMO_PASSWORD) == users["citizen"]
    assert authenticate(username="admin", password="wrong") is None
    assert len({user.password for user in users.values()}) == 1


def test_staff_accounts_work_for_their_own_apparatus(demo):
    # when the demo accounts are created
    create_demo_accounts()
    # then each staff account's person works in the apparatus of its regional maslikhat
    for region in REGIONS:
        user = get_user_model().objects.get(username=f"staff-{region}")
        person = Person.objects.get(user=user)
        assert person.is_demo and person.name_kk and person.name_ru and person.name_en
        staff = Membership.objects.current().get(person=person)
        assert (staff.organization.slug, staff.role, staff.election_method) == (
            f"{region}-apparatus",
            PostRole.STAFF,
            ElectionMethod.EMPLOYED,
        )
        assert user_roles(user) == {Role.CITIZEN, Role.MASLIKHAT_STAFF}
        assert managed_body_ids(user) == {Organization.objects.get(slug=f"{region}-maslikhat").pk}


def test_council_account_is_staff_of_both_national_councils(demo):
    # when the demo accounts are created
    create_demo_accounts()
    # then the council account worked for the Senate's council until 2026 and for its successor since
    user = get_user_model().objects.get(username="council")
    rows = sorted(
        Membership.objects.filter(person__user=user).values_list(
            "organization__slug", "role", "start_date", "end_date"
        )
    )
    assert rows == [
        ("kurultai-council-on-maslikhats", PostRole.STAFF, KURULTAI_FROM, None),
        ("senate-council-on-maslikhats", PostRole.STAFF, date(2023, 1, 1), KURULTAI_FROM),
    ]
    assert Role.COUNCIL_STAFF in user_roles(user)


def test_deputy_account_is_the_deputy_of_astana_constituency_one(demo):
    # when the demo accounts are created
    create_demo_accounts()
    # then the deputy account is linked to the person holding constituency No. 1 of Astana
    user = get_user_model().objects.get(username="deputy-kz-71-1")
    seat = Membership.objects.current().get(
        organization__slug="kz-71-maslikhat", role=PostRole.CONSTITUENCY_DEPUTY, post__area__number=1
    )
    assert seat.post.area.kind == AreaKind.CONSTITUENCY
    assert Person.objects.get(user=user) == seat.person
    assert user.is_staff and not user.is_superuser
    assert Role.DEPUTY in user_roles(user)
    assert Role.MASLIKHAT_CHAIR not in user_roles(user)


def test_citizen_account_has_no_person_and_no_role(demo):
    # when the demo accounts are created
    create_demo_accounts()
    # then the citizen is a plain account
    user = get_user_model().objects.get(username="citizen")
    assert not Person.objects.filter(user=user).exists()
    assert user_roles(user) == {Role.CITIZEN}
    assert list(user.groups.all()) == []


def test_staff_group_views_and_changes_the_directory(demo):
    # when the demo accounts are created
    create_demo_accounts()
    # then the staff group may view and change the directory models, and holds the staff accounts
    group = Group.objects.get(name=STAFF_GROUP)
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == sorted(
        ("directory", f"{action}_{model}")
        for model in ("area", "organization", "person", "post", "membership")
        for action in ("view", "change")
    )
    assert sorted(group.user_set.values_list("username", flat=True)) == sorted(
        u for u in USERNAMES if u not in ("admin", "citizen")
    )


def test_second_run_changes_nothing_and_hashes_no_password(demo, monkeypatch):
    # given the demo accounts
    first = create_demo_accounts()
    users = {u.username: (u.pk, u.password, u.is_staff, u.email) for u in get_user_model().objects.all()}
    people = sorted(Person.objects.filter(user__isnull=False).values_list("pk", "user_id", "name_en"))
    memberships = Membership.objects.count()

    def no_hashing(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the password was hashed again")

    monkeypatch.setattr(accounts, "make_password", no_hashing)
    # when they are created again
    second = create_demo_accounts()
    # then the same rows come back and nothing changed
    assert second == first
    assert {
        u.username: (u.pk, u.password, u.is_staff, u.email) for u in get_user_model().objects.all()
    } == users
    assert sorted(Person.objects.filter(user__isnull=False).values_list("pk", "user_id", "name_en")) == people
    assert Membership.objects.count() == memberships


def test_a_changed_password_is_set_back_to_the_demo_password(demo):
    # given the demo accounts, one with a changed password and rights
    create_demo_accounts()
    user = get_user_model().objects.get(username="staff-kz-71")
    user.set_password("changed")
    user.is_staff = False
    user.save()
    # when the accounts are refreshed
    create_demo_accounts()
    # then the demo password and the staff flag are back
    assert authenticate(username="staff-kz-71", password=DEMO_PASSWORD) is not None
    assert get_user_model().objects.get(username="staff-kz-71").is_staff


def test_without_demo_data_the_deputy_account_is_left_out(reference):
    # given the reference data only, when the command runs
    out, err = StringIO(), StringIO()
    call_command("demo_accounts", stdout=out, stderr=err)
    # then every other account exists and the command says why the deputy's does not
    assert sorted(_users()) == sorted(u for u in USERNAMES if u != "deputy-kz-71-1")
    assert "deputy-kz-71-1 was not created" in err.getvalue()


def test_command_prints_the_table_of_accounts(demo):
    # when the command runs
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    # then it prints a header and one line per account
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo accounts (password for all: demo-password):"
    assert lines[1].split() == ["username", "role", "body"]
    assert [line.split()[0] for line in lines[2:]] == USERNAMES
    assert lines[-2].split()[:2] == ["deputy-kz-71-1", "deputy,"]
    assert lines[-2].endswith("Astana City Maslikhat")


def test_a_reset_of_the_demo_data_links_the_accounts_again(demo):
    # given the demo accounts
    create_demo_accounts()
    old = Person.objects.get(user__username="deputy-kz-71-1").pk
    # when the demo data is reset through the command
    call_command("demo_data", "--seed", "1", "--reset", "--regions", "KZ-71", stdout=StringIO())
    # then the deputy account is linked to the new holder of constituency No. 1, and staff to apparatus
    person = Person.objects.get(user__username="deputy-kz-71-1")
    assert person.pk != old
    assert person.memberships.current().filter(post__area__code="KZ-71-C01").count() == 1
    staff = get_user_model().objects.get(username="staff-kz-71")
    assert user_roles(staff) == {Role.CITIZEN, Role.MASLIKHAT_STAFF}
