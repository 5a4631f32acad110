from __future__ import annotations

import pytest

from maslikhat.core.errors import FieldErrors
from maslikhat.notifications import services
from maslikhat.notifications.models import Follow
from maslikhat.notifications.unsubscribe import unsubscribe_token
from tests.factories import UserFactory


@pytest.fixture
def citizen(reference):
    return UserFactory(username="citizen", email="citizen@example.org", preferred_language="ru")


def test_follow_create_is_idempotent_and_changes_only_the_frequency(astana, citizen):
    first = services.follow_create(actor=citizen, kind="area", target=astana["region"], frequency="weekly")
    again = services.follow_create(actor=citizen, kind="area", target=astana["region"], frequency="daily")
    assert again.pk == first.pk
    assert Follow.objects.get().frequency == "daily"


def test_bad_follow_input_changes_nothing(astana, citizen):
    with pytest.raises(FieldErrors) as exc:
        services.follow_create(actor=citizen, kind="area", target=astana["maslikhat"], frequency="hourly")
    assert [(f, c) for f, c, _ in exc.value.errors] == [
        ("target", "invalid_choice"),
        ("frequency", "invalid_choice"),
    ]
    assert Follow.objects.count() == 0


def test_follow_from_a_body_page_and_manage_it(astana, citizen, client):
    client.force_login(citizen)
    body = astana["maslikhat"]
    page = client.get(f"/en/bodies/{body.pk}/").content.decode()
    assert 'action="/en/follow/new/"' in page
    response = client.post(
        "/en/follow/new/",
        {"kind": "body", "target": str(body.pk), "frequency": "daily", "next": f"/en/bodies/{body.pk}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/bodies/{body.pk}/"
    follow = Follow.objects.get()
    assert (follow.kind, follow.body_id, follow.frequency) == ("body", body.pk, "daily")
    assert "Following: daily digest" in client.get(f"/en/bodies/{body.pk}/").content.decode()
    mine = client.get("/en/follow/").content.decode()
    assert body.name_en in mine
    assert client.post(f"/en/follow/{follow.pk}/", {"frequency": "weekly"}).status_code == 302
    follow.refresh_from_db()
    assert follow.frequency == "weekly"


def test_follow_buttons_on_area_person_and_tag_pages(astana, citizen, client):
    from tests.news.factories import make_tag

    make_tag(code="budget")
    client.force_login(citizen)
    for url, kind in (
        ("/en/areas/KZ-71/", "area"),
        (f"/en/people/{astana['deputy'].pk}/", "deputy"),
        ("/en/news/tags/budget/", "tag"),
    ):
        html = client.get(url).content.decode()
        assert f'<input type="hidden" name="kind" value="{kind}">' in html, url


def test_anonymous_visitor_is_sent_to_log_in(astana, client):
    html = client.get("/en/areas/KZ-71/").content.decode()
    assert 'href="/en/accounts/login/?next=/en/areas/KZ-71/"' in html
    assert client.post("/en/follow/new/", {"kind": "area", "target": "KZ-71"}).status_code == 302
    assert Follow.objects.count() == 0


def test_someone_elses_follow_cannot_be_changed(astana, citizen, client):
    follow = services.follow_create(actor=citizen, kind="area", target=astana["region"])
    client.force_login(UserFactory(username="other"))
    assert client.post(f"/en/follow/{follow.pk}/cancel/").status_code == 404
    assert client.post(f"/en/follow/{follow.pk}/", {"frequency": "daily"}).status_code == 404
    follow.refresh_from_db()
    assert (follow.active, follow.frequency) == (True, "weekly")


def test_unsubscribe_link_confirms_then_cancels_only_that_follow_without_login(astana, citizen):
    from django.test import Client

    area = services.follow_create(actor=citizen, kind="area", target=astana["region"])
    body = services.follow_create(actor=citizen, kind="body", target=astana["maslikhat"])
    client = Client(enforce_csrf_checks=True)
    url = f"/en/follow/unsubscribe/{unsubscribe_token(area)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert f'<form method="post" action="{url}">' in page.content.decode()
    area.refresh_from_db()
    assert area.active is True
    # RFC 8058: a mail client posts List-Unsubscribe=One-Click, without a session or CSRF token
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    area.refresh_from_db()
    body.refresh_from_db()
    assert (area.active, body.active) == (False, True)
    assert area.cancelled_at is not None


def test_forged_unsubscribe_token_changes_nothing(astana, citizen, client):
    follow = services.follow_create(actor=citizen, kind="area", target=astana["region"])
    token = unsubscribe_token(follow)
    assert client.post(f"/en/follow/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert client.post("/en/follow/unsubscribe/garbage/").status_code == 404
    follow.refresh_from_db()
    assert follow.active is True


def test_token_of_a_renewed_nonce_no_longer_works(astana, citizen, client):
    follow = services.follow_create(actor=citizen, kind="area", target=astana["region"])
    token = unsubscribe_token(follow)
    Follow.objects.filter(pk=follow.pk).update(token_nonce="0" * 32)
    assert client.post(f"/en/follow/unsubscribe/{token}/").status_code == 404


def test_news_lists_carry_the_follow_button_of_their_scope(astana, citizen, client):
    from tests.news.factories import make_tag

    # given a tag, an area and a body, each with its news list
    tag = make_tag()
    pages = {
        "tag": (f"/en/news/tags/{tag.code}/", tag.code),
        "area": (f"/en/news/areas/{astana['region'].code}/", astana["region"].code),
        "body": (f"/en/news/bodies/{astana['maslikhat'].pk}/", str(astana["maslikhat"].pk)),
    }
    # when a visitor opens them, then the button asks them to log in and come back
    for url, _key in pages.values():
        page = client.get(url).content.decode()
        assert f'<a class="button small" href="/en/accounts/login/?next={url}">Follow by email</a>' in page
    # when a logged-in citizen opens them, then each offers to follow its own scope
    client.force_login(citizen)
    for kind, (url, key) in pages.items():
        page = client.get(url).content.decode()
        hidden = f'<input type="hidden" name="kind" value="{kind}">'
        assert f'{hidden}<input type="hidden" name="target" value="{key}">' in page
