import pytest

from maslikhat.directory.models import Organization
from maslikhat.directory.permissions import (
    Role,
    can_access_backoffice,
    can_manage_organization,
    managed_body_ids,
    user_roles,
)
from tests.factories import UserFactory


def test_staff_of_apparatus_manages_own_maslikhat_only(astana):
    staff = astana["staff_user"]
    other = Organization.objects.get(slug="kz-75-maslikhat")
    assert user_roles(staff) == {Role.CITIZEN, Role.MASLIKHAT_STAFF}
    assert managed_body_ids(staff) == {astana["maslikhat"].id}
    assert can_manage_organization(staff, astana["maslikhat"]) is True
    assert can_manage_organization(staff, astana["apparatus"]) is True
    assert can_manage_organization(staff, other) is False
    assert can_access_backoffice(staff) is True


def test_deputy_role_and_backoffice(astana):
    user = UserFactory(username="dep", is_staff=True)
    astana["deputy"].user = user
    astana["deputy"].save()
    assert user_roles(user) == {Role.CITIZEN, Role.DEPUTY}
    assert can_manage_organization(user, astana["maslikhat"]) is False
    assert can_access_backoffice(user) is True


@pytest.mark.django_db
def test_plain_citizen_and_anonymous():
    from django.contrib.auth.models import AnonymousUser

    citizen = UserFactory(username="cit")
    assert user_roles(citizen) == {Role.CITIZEN}
    assert can_access_backoffice(citizen) is False
    assert user_roles(AnonymousUser()) == set()


def test_admin_site_restricts_staff_to_own_body(astana, client):
    staff = astana["staff_user"]
    client.force_login(staff)
    # own body: visible and editable
    own = client.get(f"/en/admin/directory/organization/{astana['maslikhat'].id}/change/")
    assert own.status_code == 200
    # another region's maslikhat: not found for this user
    other = Organization.objects.get(slug="kz-75-maslikhat")
    response = client.get(f"/en/admin/directory/organization/{other.id}/change/")
    assert response.status_code == 302  # admin redirects to index with "doesn't exist" message
    listing = client.get("/en/admin/directory/organization/")
    assert listing.status_code == 200
    names = {o.slug for o in listing.context["cl"].queryset}
    assert names == {"kz-71-maslikhat", "kz-71-apparatus"}


def test_citizen_cannot_reach_back_office(reference, client):
    client.force_login(UserFactory(username="cit2", is_staff=True))
    response = client.get("/en/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
