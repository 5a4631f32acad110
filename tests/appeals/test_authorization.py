"""Every staff endpoint and page × every role: only those handling the appeal get through."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from maslikhat.appeals.models import Appeal
from maslikhat.directory.models import Organization
from tests.factories import MembershipFactory, PersonFactory, UserFactory

ROLES = ["anonymous", "citizen", "deputy", "other_deputy", "staff", "other_staff", "admin"]
ALLOWED_VIEW = {"deputy", "staff", "admin"}  # the appeal is addressed to `deputy`
ALLOWED_MANAGE = {"staff", "admin"}


@pytest.fixture
def people(astana):
    almaty_apparatus = Organization.objects.get(slug="kz-75-apparatus")
    users = {
        "citizen": UserFactory(username="r-citizen"),
        "deputy": UserFactory(username="r-deputy", is_staff=True),
        "other_deputy": UserFactory(username="r-other-deputy", is_staff=True),
        "staff": astana["staff_user"],
        "other_staff": UserFactory(username="r-other-staff", is_staff=True),
        "admin": UserFactory(username="r-admin", is_staff=True, is_superuser=True),
    }
    astana["deputy"].user = users["deputy"]
    astana["deputy"].save()
    MembershipFactory(person=PersonFactory(user=users["other_deputy"]), organization=astana["maslikhat"])
    MembershipFactory(
        person=PersonFactory(user=users["other_staff"]),
        organization=almaty_apparatus,
        role="staff",
        election_method="employed",
    )
    for u in users.values():
        u.set_password("role-password-1")
        u.save()
    return users


def _token(client, user) -> dict[str, str]:
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "role-password-1"},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_and_api_by_role(role, people, submit, astana, client):
    cache.clear()
    appeal, _ = submit(deputy=astana["deputy"])
    number = appeal.registration_number
    user = people.get(role)
    auth = _token(client, user) if user else {}
    if user:
        client.force_login(user)
    # the appeal's page with personal data
    page = client.get(f"/en/inbox/{number}/")
    assert (page.status_code == 200) == (role in ALLOWED_VIEW)
    if page.status_code != 200:
        assert appeal.applicant_iin not in page.content.decode()
    # the API inbox lists it only for those handling it
    inbox = client.get("/api/v1/inbox", **auth)
    listed = inbox.status_code == 200 and number in [i["registration_number"] for i in inbox.json()["items"]]
    assert listed == (role in ALLOWED_VIEW)
    # managing actions
    extend = client.post(
        f"/api/v1/appeals/{number}/extend",
        {"until": "2027-01-15", "reason": "review"},
        content_type="application/json",
        **auth,
    )
    assert (extend.status_code == 200) == (role in ALLOWED_MANAGE)
    # answering: the addressed deputy may, as may staff and admin
    answer = client.post(
        f"/api/v1/appeals/{number}/answer", {"text": "Answer"}, content_type="application/json", **auth
    )
    assert (answer.status_code == 200) == (role in ALLOWED_VIEW)
    status = Appeal.objects.get(pk=appeal.pk).status
    assert status == ("answered" if role in ALLOWED_VIEW else "registered")
    # the back-office list
    admin = client.get("/en/admin/appeals/appeal/")
    visible = admin.status_code == 200 and appeal in list(admin.context["cl"].result_list)
    assert visible == (role in ALLOWED_VIEW)
