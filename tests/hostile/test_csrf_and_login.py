"""CSRF on every form and throttled logins.

Every `<form method="post">` on the main pages (for a visitor, a citizen, the staff of a body
and the council) carries a csrfmiddlewaretoken; a POST without it is refused with 403 for the
appeal submission, the council report filing and the newsroom. Repeated wrong passwords on the
login page are rate-limited (allauth's "login_failed").
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

# the module builds one shared world (tests/hostile/world.py): xdist keeps it on one worker
pytestmark = pytest.mark.xdist_group("hostile_csrf")

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.IGNORECASE | re.DOTALL)
POST_METHOD = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)

PAGES = (
    "/en/",
    "/en/find/?lat=51.17&lon=71.45",
    "/en/bodies/{body}/",
    "/en/people/{person}/",
    "/en/areas/KZ-71/",
    "/en/news/",
    "/en/news/{news}/",
    "/en/news/newsroom/",
    "/en/news/newsroom/new/",
    "/en/news/newsroom/{draft_news}/",
    "/en/follow/",
    "/en/appeals/new/?body={body}",
    "/en/appeals/{appeal}/?token={token}",
    "/en/inbox/",
    "/en/inbox/{appeal}/",
    "/en/council/",
    "/en/council/mine/",
    "/en/council/meetings/new/",
    "/en/council/meetings/{meeting}/",
    "/en/council/meetings/{draft_meeting}/",
    "/en/council/recommendations/{rec}/",
    "/en/council/proposals/",
    "/en/council/proposals/new/",
    "/en/council/proposals/{proposal}/",
    "/en/scorecard/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/en/accounts/password/reset/",
)


@pytest.fixture
def in_world(world: dict[str, Any], db: None, settings: Any, _media_in_tmp: None) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(world["media"] / "public")
    settings.PRIVATE_MEDIA_ROOT = str(world["media"] / "private")
    return world


def _client(world: dict[str, Any], role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize("role", ["anonymous", "citizen", "staff", "council"])
def test_every_post_form_carries_a_csrf_token(in_world: dict[str, Any], role: str) -> None:
    client = _client(in_world, role)
    missing: list[str] = []
    post_forms = 0
    for template in PAGES:
        path = template.format(**in_world["ids"])
        response = client.get(path)
        if response.status_code != 200:
            continue
        for form in FORM.findall(response.content.decode()):
            opening = form[: form.index(">") + 1]
            if not POST_METHOD.search(opening):
                continue
            post_forms += 1
            if 'name="csrfmiddlewaretoken"' not in form:
                missing.append(f"{path}: {opening}")
    assert missing == []
    assert post_forms >= 3  # the pages do have forms to check


def test_a_post_without_the_token_is_refused(in_world: dict[str, Any], applicant: dict[str, str]) -> None:
    from maslikhat.appeals.models import Appeal
    from maslikhat.council.models import RecommendationReport
    from maslikhat.news.models import Publication

    ids = in_world["ids"]
    appeals, publications = Appeal.objects.count(), Publication.objects.count()
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        f"/en/appeals/new/?body={ids['body']}",
        {"kind": "application", "topic": "roads", "text": "Repair the road.", "language": "en", **applicant},
    )
    assert response.status_code == 403
    assert Appeal.objects.count() == appeals

    staff = _client(in_world, "staff", enforce_csrf_checks=True)
    report = RecommendationReport.objects.get(pk=ids["report"])
    response = staff.post(
        f"/en/council/recommendations/{ids['rec']}/reports/{ids['report']}/", {"text": "Done."}
    )
    assert response.status_code == 403
    assert RecommendationReport.objects.get(pk=ids["report"]).text == report.text

    response = staff.post(
        "/en/news/newsroom/new/",
        {"body": str(ids["body"]), "title_ru": "Сессия", "text_ru": "Бюджет утверждён.", "areas": ""},
    )
    assert response.status_code == 403
    assert staff.post(f"/en/news/newsroom/{ids['draft_news']}/publish/").status_code == 403
    assert Publication.objects.count() == publications
    assert Publication.objects.get(pk=ids["draft_news"]).status == "draft"


def test_the_same_posts_with_the_token_pass_the_csrf_check(in_world: dict[str, Any]) -> None:
    """The control: with the token from the page, the newsroom accepts the post."""
    staff = _client(in_world, "staff", enforce_csrf_checks=True)
    page = staff.get("/en/news/newsroom/new/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = staff.post(
        "/en/news/newsroom/new/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "body": str(in_world["ids"]["body"]),
            "title_ru": "Сессия",
            "text_ru": "Бюджет утверждён.",
            "areas": "",
        },
    )
    assert response.status_code == 302


# ------------------------------------------------------------------------------------------ login


def test_repeated_wrong_passwords_are_rate_limited(in_world: dict[str, Any]) -> None:
    from django.conf import settings

    assert "login_failed" in settings.ACCOUNT_RATE_LIMITS
    user = in_world["users"]["citizen"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    limited = "Too many failed login attempts. Try again later."
    answers = [
        client.post("/en/accounts/login/", {"login": user.username, "password": f"wrong-{i}"})
        for i in range(7)
    ]
    # allauth's limit "5/5m/key": five failures are answered as wrong passwords, then the
    # account is locked for the window (the form answers with the rate-limit error).
    assert [limited in r.content.decode() for r in answers] == [False] * 5 + [True] * 2
    assert all(r.status_code in (200, 429) for r in answers)
    locked = client.post("/en/accounts/login/", {"login": user.username, "password": "test-password"})
    assert limited in locked.content.decode()  # even the right password waits out the window
    assert "_auth_user_id" not in client.session


def test_the_limit_is_per_account_and_per_address(in_world: dict[str, Any]) -> None:
    """Another account from another address still gets in after the first one is locked."""
    victim, other = in_world["users"]["citizen"], in_world["users"]["other_citizen"]
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(6):
        attacker.post("/en/accounts/login/", {"login": victim.username, "password": f"wrong-{i}"})
    client = Client(REMOTE_ADDR="198.51.100.2")
    response = client.post("/en/accounts/login/", {"login": other.username, "password": "test-password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
