"""One question, one answer: the admin, the staff pages, the API and the citizen's page decide with
the same functions of appeals.permissions as the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from maslikhat.appeals import permissions
from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.models import Appeal
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deputy_user(astana: dict[str, Any]) -> Any:
    """The constituency deputy's account: may be assigned an appeal, may not assign one."""
    user = UserFactory(username="deputy-test-kz-71", is_staff=True)
    person = astana["deputy"]
    person.user = user
    person.save()
    return user


def _bearer(client: Any, user: Any) -> dict[str, str]:
    user.set_password("staff-password-1")
    user.save()
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "staff-password-1"},
        content_type="application/json",
    )
    assert r.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_who_may_assign_is_the_same_in_admin_page_and_api(submit, astana, deputy_user, client):
    appeal, _ = submit()
    # the deputy works for the body (an assignee) but does not manage its appeals
    assert permissions.can_be_assigned(deputy_user, appeal)
    assert not permissions.can_manage_appeal(deputy_user, appeal)
    client.force_login(deputy_user)
    client.post("/en/admin/appeals/appeal/", {"action": "assign_to_me", "_selected_action": [appeal.pk]})
    assert client.post(f"/en/inbox/{appeal.registration_number}/assign/").status_code == 404
    client.post("/en/inbox/assign/", {"numbers": [appeal.registration_number], "assignee": deputy_user.pk})
    auth = _bearer(client, deputy_user)
    api = client.post(
        f"/api/v1/appeals/{appeal.registration_number}/assign", {}, content_type="application/json", **auth
    )
    assert api.status_code in (403, 404)
    assert Appeal.objects.get(pk=appeal.pk).assignee_id is None
    # staff of the body may, through each of them
    client.force_login(astana["staff_user"])
    client.post("/en/admin/appeals/appeal/", {"action": "assign_to_me", "_selected_action": [appeal.pk]})
    assert Appeal.objects.get(pk=appeal.pk).assignee_id == astana["staff_user"].pk


@pytest.mark.parametrize("status", [s.value for s in AppealStatus])
def test_the_citizens_buttons_are_the_services_rules(submit, client, status):
    from maslikhat.appeals import services
    from maslikhat.core.errors import DomainError

    appeal, token = submit()
    Appeal.objects.filter(pk=appeal.pk).update(status=status, answer_text="Done.")
    appeal.refresh_from_db()
    page = client.get(f"/en/appeals/{appeal.registration_number}/?token={token}")
    assert page.status_code == 200
    shown = page.context
    for flag, predicate in (
        ("can_withdraw", permissions.can_withdraw),
        ("can_rate", permissions.can_rate),
        ("can_complain", permissions.can_complain),
    ):
        assert shown[flag] == predicate(appeal), flag

    def accepted(run: Any) -> bool:
        fresh = Appeal.objects.get(pk=appeal.pk)
        try:
            run(fresh)
        except DomainError:
            return False
        finally:
            Appeal.objects.filter(pk=appeal.pk).update(status=status, rating=None)
        return True

    assert accepted(lambda a: services.appeal_rate(actor=None, appeal=a, rating=4)) == shown["can_rate"]
    assert (
        accepted(lambda a: services.appeal_complain(actor=None, appeal=a, text="The answer is wrong."))
        == shown["can_complain"]
    )
    assert accepted(lambda a: services.appeal_withdraw(actor=None, appeal=a)) == shown["can_withdraw"]
