""" "My appeals" (the account's own appeals, decided by ownership.is_owner) and tracking links
emailed again (appeals/links.py): fresh links that work, the same answer for any address,
rate limits, hostile input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(astana: dict[str, Any]) -> Any:
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory(username="aigul-account", email="aigul.account@example.org")
    EmailAddress.objects.create(user=user, email="Aigul@Example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="not-mine@example.org", verified=False)
    return user


@pytest.fixture
def appeals(submit: Any, citizen: Any, applicant: dict[str, str]) -> dict[str, Any]:
    """By the account (another address), by its verified address while signed out (other case),
    by its unverified address, and somebody else's."""
    by_account, t1 = submit(actor=citizen, applicant={**applicant, "email": "elsewhere@example.org"})
    by_email, t2 = submit(applicant={**applicant, "email": "AIGUL@example.org"})
    unverified, t3 = submit(applicant={**applicant, "email": "not-mine@example.org"})
    other, t4 = submit(applicant={**applicant, "email": "someone@example.org"})
    return {
        "by_account": (by_account, t1),
        "by_email": (by_email, t2),
        "unverified": (unverified, t3),
        "other": (other, t4),
    }


def _numbers(html: str) -> set[str]:
    return set(re.findall(r'class="regno">([^<]+)<', html))


def test_is_owner_is_the_account_or_a_verified_address(appeals: dict[str, Any], citizen: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    from maslikhat.appeals.ownership import is_owner
    from maslikhat.appeals.selectors import verified_emails

    emails = verified_emails(user=citizen)
    assert emails == frozenset({"aigul@example.org"})
    owned = {k for k, (a, _) in appeals.items() if is_owner(citizen, a, emails=emails)}
    assert owned == {"by_account", "by_email"}
    assert not is_owner(AnonymousUser(), appeals["by_email"][0], emails=emails)
    citizen.is_active = False
    assert not is_owner(citizen, appeals["by_account"][0], emails=emails)


def test_my_appeals_lists_only_the_owned_ones_with_their_dates(
    client: Client, appeals: dict[str, Any], citizen: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(citizen)
    # session, user, verified addresses, the appeals (with body, deputy, topic); the layout's 3
    with django_assert_num_queries(7):
        response = client.get("/en/my-appeals/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = {appeals["by_account"][0].registration_number, appeals["by_email"][0].registration_number}
    assert _numbers(html) == expected
    appeal = appeals["by_email"][0]
    assert appeal.body.name_en in html
    assert appeal.get_status_display() in html
    assert "Answer due by" in html


def test_my_appeals_asks_anonymous_visitors_to_log_in(client: Client) -> None:
    response = client.get("/en/my-appeals/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_owner_opens_the_appeal_others_get_404(
    client: Client, appeals: dict[str, Any], citizen: Any
) -> None:
    from tests.factories import UserFactory

    mine, _ = appeals["by_email"]
    client.force_login(citizen)
    response = client.get(f"/en/my-appeals/{mine.registration_number}/")
    assert response.status_code == 200
    assert mine.text in response.content.decode()
    for name in ("unverified", "other"):
        number = appeals[name][0].registration_number
        assert client.get(f"/en/my-appeals/{number}/").status_code == 404
    stranger: Any = UserFactory(username="stranger")
    client.force_login(stranger)
    assert client.get(f"/en/my-appeals/{mine.registration_number}/").status_code == 404
    assert client.post(f"/en/my-appeals/{mine.registration_number}/link/").status_code == 404


def _links(body: str) -> list[tuple[str, str]]:
    return re.findall(r"https?://\S+/appeals/(\S+?)/\?token=(\S+)", body)


def test_owner_gets_a_fresh_working_link_and_the_old_one_stops(
    client: Client,
    appeals: dict[str, Any],
    citizen: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    appeal, old_token = appeals["by_account"]
    mailoutbox.clear()
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/my-appeals/{appeal.registration_number}/link/")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["elsewhere@example.org"]]
    [(number, token)] = _links(mailoutbox[0].body)
    assert number == appeal.registration_number
    anonymous = Client()
    assert anonymous.get(f"/en/appeals/{number}/?token={token}").status_code == 200
    assert anonymous.get(f"/en/appeals/{number}/?token={old_token}").status_code == 404


def test_links_are_emailed_for_every_appeal_of_the_address(
    client: Client, appeals: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/tracking-links/", {"email": " Aigul@EXAMPLE.org "})
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["aigul@example.org"]
    found = dict(_links(mailoutbox[0].body))
    assert set(found) == {appeals["by_email"][0].registration_number}
    number, token = next(iter(found.items()))
    assert Client().get(f"/ru/appeals/{number}/?token={token}").status_code == 200
    assert "Здравствуйте" in mailoutbox[0].body or "Hello" not in mailoutbox[0].body


def test_a_resend_adds_links_and_the_earlier_ones_keep_working(
    client: Client, appeals: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Whoever asks for an address's links cannot make the citizen's links stop working: the
    registration email's link, and every link sent before, still open the appeal on the page,
    in the API and for the follow-up question."""
    appeal, first_token = appeals["by_email"]
    number = appeal.registration_number
    tokens = [first_token]
    for _ in range(2):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/en/tracking-links/", {"email": "aigul@example.org"})
        tokens.append(dict(_links(mailoutbox[0].body))[number])
    assert len(set(tokens)) == 3
    anonymous = Client()
    for token in tokens:
        assert anonymous.get(f"/en/appeals/{number}/?token={token}").status_code == 200
        assert anonymous.get(f"/api/v1/appeals/{number}?token={token}").status_code == 200
        assert anonymous.get(f"/en/appeals/{number}/followup/?token={token}").status_code != 404
    # a link of one appeal opens no other
    other = appeals["by_account"][0].registration_number
    assert anonymous.get(f"/en/appeals/{other}/?token={tokens[1]}").status_code == 404


def test_the_owner_revokes_every_earlier_link_at_once(
    client: Client,
    appeals: dict[str, Any],
    citizen: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    appeal, first_token = appeals["by_account"]
    number = appeal.registration_number
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/en/tracking-links/", {"email": appeal.applicant_email})
    resent = dict(_links(mailoutbox[0].body))[number]
    mailoutbox.clear()
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/my-appeals/{number}/link/")
    [(_, newest)] = _links(mailoutbox[0].body)
    anonymous = Client()
    assert [
        anonymous.get(f"/en/appeals/{number}/?token={t}").status_code for t in (first_token, resent, newest)
    ] == [
        404,
        404,
        200,
    ]


def test_an_appeal_keeps_at_most_its_newest_extra_links(appeals: dict[str, Any]) -> None:
    from maslikhat.appeals.access import MAX_EXTRA_TOKENS, issue_extra_token, tracking_q
    from maslikhat.appeals.models import Appeal, AppealAccessToken

    appeal = appeals["by_email"][0]
    issued = [issue_extra_token(appeal.pk) for _ in range(MAX_EXTRA_TOKENS + 3)]
    assert AppealAccessToken.objects.filter(appeal=appeal).count() == MAX_EXTRA_TOKENS
    opens = [Appeal.objects.filter(tracking_q(t), pk=appeal.pk).exists() for t in issued]
    assert opens == [False] * 3 + [True] * MAX_EXTRA_TOKENS
    # what can open nothing: empty, too long, a lone surrogate
    assert tracking_q("") is None and tracking_q("x" * 101) is None and tracking_q("\ud800") is None


def test_the_answer_is_the_same_whether_or_not_the_address_has_appeals(
    client: Client, appeals: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/en/tracking-links/", {"email": "someone@example.org"})
        unknown = client.post("/en/tracking-links/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = client.get(known["Location"]).content.decode()
    assert "If appeals were sent with this address" in page
    assert [m.to for m in mailoutbox] == [["someone@example.org"]]


def test_links_are_rate_limited_per_client_and_per_address(
    client: Client,
    appeals: dict[str, Any],
    settings: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from maslikhat.appeals.links import EMAILS_PER_ADDRESS_PER_HOUR

    settings.APPEAL_LINKS_LIMIT_PER_HOUR = EMAILS_PER_ADDRESS_PER_HOUR + 1
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post("/en/tracking-links/", {"email": "someone@example.org"}) for _ in range(5)]
    # the address gets at most its emails; the client is refused with 429 and a translated message
    assert len(mailoutbox) == EMAILS_PER_ADDRESS_PER_HOUR
    assert [a.status_code for a in answers] == [302] * (EMAILS_PER_ADDRESS_PER_HOUR + 1) + [429]
    assert "Too many requests from your connection" in answers[-1].content.decode()
    assert int(answers[-1]["Retry-After"]) > 0


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not-an-address",
        "\x00@example.org",
        "\u200b\u200b",
        "a" * 300 + "@example.org",
        "x\u202e@example.org",
    ],
)
def test_hostile_addresses_get_a_translated_error_and_send_nothing(
    client: Client, appeals: dict[str, Any], mailoutbox: list[Any], value: str
) -> None:
    before = {a.pk: a.token_hash for a, _ in appeals.values()}
    mailoutbox.clear()
    response = client.post("/kk/tracking-links/", {"email": value})
    assert response.status_code in (400, 302)
    if response.status_code == 400:  # the form's error, or the request limits' refusal of a NUL
        html = response.content.decode()
        assert 'class="errorlist"' in html or "\\x00" in repr(value), html
    from maslikhat.appeals.models import Appeal, AppealAccessToken

    assert {a.pk: a.token_hash for a in Appeal.objects.all()} == before
    assert not AppealAccessToken.objects.exists()
    assert mailoutbox == []


def test_the_links_page_takes_few_queries(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):  # the layout's own (demo data marks); none of the page
        assert client.get("/en/tracking-links/").status_code == 200
