from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.news.factories import make_publication, make_tag

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return root, [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"), e.findtext(f"{ATOM}summary"))
        for e in root.findall(f"{ATOM}entry")
    ]


def test_all_feed_lists_published_news_in_the_page_language(astana, client):
    p = make_publication(body=astana["maslikhat"], title_ru="Сессия", title_en="Session", text_en="Held.")
    make_publication(body=astana["maslikhat"], title_en="Draft", status="draft")
    root, entries = _entries(client, "/en/news/feed/")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert entries == [("Session", f"http://testserver/en/news/{p.pk}/", "Held.")]
    _, ru_entries = _entries(client, "/ru/news/feed/")
    assert [e[0] for e in ru_entries] == ["Сессия"]


def test_feed_entry_falls_back_with_a_note(astana, client):
    make_publication(body=astana["maslikhat"], title_en="", text_en="", title_ru="Сессия", text_ru="Прошла.")
    _, entries = _entries(client, "/en/news/feed/")
    assert entries[0][0] == "Сессия"
    assert entries[0][2] == "[Not available in English; shown in Russian.] Прошла."


def test_body_area_and_tag_feeds_filter(astana, council_body, client):
    tag = make_tag(code="budget")
    local = make_publication(body=astana["maslikhat"], title_en="Local", tags=[tag])
    national = make_publication(body=council_body, title_en="National")
    _, by_body = _entries(client, f"/en/news/bodies/{astana['maslikhat'].pk}/feed/")
    _, by_area = _entries(client, "/en/news/areas/KZ-71/feed/")
    _, by_tag = _entries(client, "/en/news/tags/budget/feed/")
    assert [e[0] for e in by_body] == ["Local"]
    assert sorted(e[0] for e in by_area) == ["Local", "National"]
    assert [e[0] for e in by_tag] == ["Local"]
    assert local.pk != national.pk


def test_unknown_feed_target_is_404(reference, client):
    assert client.get("/en/news/tags/nope/feed/").status_code == 404
    assert client.get("/en/news/areas/NOPE/feed/").status_code == 404
