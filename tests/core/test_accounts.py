import pytest
from django.contrib.auth import get_user_model

from maslikhat.directory.permissions import Role, user_roles


@pytest.mark.django_db
def test_sign_up_creates_a_citizen_account(client):
    # given the sign-up form
    page = client.get("/en/accounts/signup/")
    assert page.status_code == 200
    # when a visitor signs up
    response = client.post(
        "/en/accounts/signup/",
        {
            "username": "aigerim",
            "email": "aigerim@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )
    # then the account exists, is logged in, and is a citizen only
    assert response.status_code == 302
    user = get_user_model().objects.get(username="aigerim")
    assert user.is_staff is False
    assert user_roles(user) == {Role.CITIZEN}
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_sign_up_with_bad_input_creates_nothing(client):
    response = client.post(
        "/ru/accounts/signup/",
        {"username": "x", "email": "not-an-email", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    assert get_user_model().objects.count() == 0
    assert response.context["form"].errors


@pytest.mark.django_db
def test_login_with_username(client):
    get_user_model().objects.create_user("citizen1", "c1@example.org", "a-long-Passphrase-42")
    response = client.post("/en/accounts/login/", {"login": "citizen1", "password": "a-long-Passphrase-42"})
    assert response.status_code == 302
    client.logout()
    wrong = client.post("/en/accounts/login/", {"login": "citizen1", "password": "wrong"})
    assert wrong.status_code == 200
