from __future__ import annotations

from tests.factories import UserFactory
from tests.news.factories import make_publication


def test_home_shows_national_news_for_an_unknown_visitor(astana, council_body, client):
    make_publication(body=council_body, title_en="Council meets")
    make_publication(body=astana["maslikhat"], title_en="Astana session")
    html = client.get("/en/").content.decode()
    assert "National news" in html
    assert "Council meets" in html
    assert "Astana session" not in html
    assert (
        '<link rel="alternate" type="application/atom+xml" title="National news" href="/en/news/feed/">'
        in html
    )


def test_home_shows_the_news_of_the_area_found_by_find_my_deputies(astana, council_body, client):
    # given news of Astana and of the council
    make_publication(body=council_body, title_en="Council meets")
    make_publication(body=astana["maslikhat"], title_en="Astana session")
    # when the visitor finds their deputies in Astana
    assert client.get("/en/find/", {"lat": "51.1694", "lon": "71.4491"}).status_code == 200
    assert client.session["visitor_region"] == "KZ-71"
    html = client.get("/en/").content.decode()
    # then the home page shows the news concerning Astana (its own and national)
    assert "News for Astana" in html
    assert "Astana session" in html
    assert "Council meets" in html
    assert 'href="/en/news/areas/KZ-71/feed/"' in html


def test_home_uses_the_area_a_user_follows(astana, client):
    from maslikhat.notifications.services import follow_create

    user = UserFactory(username="follower")
    follow_create(actor=user, kind="area", target=astana["region"])
    make_publication(body=astana["maslikhat"], title_en="Astana session")
    client.force_login(user)
    assert "Astana session" in client.get("/en/").content.decode()


def test_area_and_body_pages_show_their_news_with_feed_links(astana, client):
    make_publication(body=astana["maslikhat"], title_en="Astana session")
    area = client.get("/en/areas/KZ-71/").content.decode()
    body = client.get(f"/en/bodies/{astana['maslikhat'].pk}/").content.decode()
    assert "Astana session" in area
    assert 'rel="alternate" type="application/atom+xml"' in area
    assert 'href="/en/news/areas/KZ-71/feed/"' in area
    assert "Astana session" in body
    assert f'href="/en/news/bodies/{astana["maslikhat"].pk}/feed/"' in body
