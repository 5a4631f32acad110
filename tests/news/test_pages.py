from __future__ import annotations

import re

import pytest
from django.test import Client

from maslikhat.directory.models import Area
from maslikhat.news.models import Publication
from tests.factories import UserFactory
from tests.news.factories import PNG_BYTES, make_publication, make_tag

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")


def test_index_lists_published_news_and_announces_the_feed(astana, client):
    # given one published and one draft publication
    make_publication(body=astana["maslikhat"], title_en="Budget session held")
    make_publication(body=astana["maslikhat"], title_en="Secret draft", status="draft")
    # when the news page is opened in English
    response = client.get("/en/news/")
    html = response.content.decode()
    # then the published one is listed, the draft is not, and the Atom feed is announced
    assert response.status_code == 200
    assert "Budget session held" in html
    assert "Secret draft" not in html
    assert '<link rel="alternate" type="application/atom+xml" title="News" href="/en/news/feed/">' in html


def test_missing_language_falls_back_visibly_with_its_lang(astana, client):
    p = make_publication(body=astana["maslikhat"], title_en="", text_en="", title_ru="Сессия маслихата")
    html = client.get(f"/en/news/{p.pk}/").content.decode()
    assert '<h1 lang="ru">Сессия маслихата' in html
    assert "Not available in English; shown in Russian." in html
    assert '<div class="news-text" lang="ru">' in html


def test_no_note_when_the_language_is_there(astana, client):
    p = make_publication(body=astana["maslikhat"], title_en="Session held")
    html = client.get(f"/en/news/{p.pk}/").content.decode()
    assert "<h1>Session held" in html
    assert "Not available in" not in html


def test_draft_is_404_for_the_public_and_visible_to_its_staff(astana, client):
    p = make_publication(body=astana["maslikhat"], status="draft")
    assert client.get(f"/en/news/{p.pk}/").status_code == 404
    client.force_login(astana["staff_user"])
    assert client.get(f"/en/news/{p.pk}/").status_code == 200


def test_area_news_include_ancestors_and_national_but_not_other_regions(astana, council_body, client):
    # given news tagged with Astana, national news of the council, and news of another region
    make_publication(body=astana["maslikhat"], title_en="About Astana", areas=[astana["region"]])
    make_publication(body=council_body, title_en="Country-wide")
    almaty = Area.objects.get(code="KZ-75")
    make_publication(body=astana["maslikhat"], title_en="About Almaty", areas=[almaty])
    # when the news of Astana's constituency are listed
    html = client.get("/en/news/areas/KZ-71-T01/").content.decode()
    # then the constituency sees the news of its region and the national ones
    assert "About Astana" in html
    assert "Country-wide" in html
    assert "About Almaty" not in html
    assert 'href="/en/news/areas/KZ-71-T01/feed/"' in html


def test_body_and_tag_lists(astana, council_body, client):
    tag = make_tag(code="budget", name_en="Budget")
    make_publication(body=astana["maslikhat"], title_en="Astana budget", tags=[tag])
    make_publication(body=council_body, title_en="Council news")
    body_html = client.get(f"/en/news/bodies/{astana['maslikhat'].pk}/").content.decode()
    tag_html = client.get("/en/news/tags/budget/").content.decode()
    assert "Astana budget" in body_html
    assert "Council news" not in body_html
    assert "Astana budget" in tag_html
    assert "Council news" not in tag_html
    assert 'href="/en/news/tags/budget/feed/"' in tag_html


def test_unknown_body_area_tag_and_publication_are_404(reference, client):
    for url in ("/en/news/bodies/999999/", "/en/news/areas/NOPE/", "/en/news/tags/nope/", "/en/news/999999/"):
        assert client.get(url).status_code == 404


def test_photo_is_served_with_its_type_only_when_published(astana, client):
    from django.core.files.base import ContentFile

    p = make_publication(body=astana["maslikhat"], photo_content_type="image/png")
    p.photo.save("x.png", ContentFile(PNG_BYTES))
    response = client.get(f"/en/news/{p.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES
    Publication.objects.filter(pk=p.pk).update(status="withdrawn")
    assert client.get(f"/en/news/{p.pk}/photo/").status_code == 404


LIST_URLS = {
    "index": "/en/news/",
    "body": "/en/news/bodies/{body}/",
    "area": "/en/news/areas/KZ-71-T01/",
    "tag": "/en/news/tags/budget/",
}
# index: publications, count, tags, areas, tag list; others add the body/area/tag look-up.
QUERIES = {"index": 5, "body": 5, "area": 5, "tag": 5}


@pytest.mark.parametrize("page", list(LIST_URLS))
def test_list_pages_need_a_fixed_number_of_queries(astana, django_assert_num_queries, page):
    tag = make_tag(code="budget")
    url = LIST_URLS[page].format(body=astana["maslikhat"].pk)

    def add(n: int) -> None:
        for _ in range(n):
            make_publication(body=astana["maslikhat"], tags=[tag], areas=[astana["region"]])

    add(2)
    client = Client()
    assert client.get(url).status_code == 200  # warm the site-wide demo flag cache
    with django_assert_num_queries(QUERIES[page]):
        assert client.get(url).status_code == 200
    add(10)
    with django_assert_num_queries(QUERIES[page]):
        assert client.get(url).status_code == 200


# ------------------------------------------------------------------ newsroom


def _form(body_id: int, **extra: str) -> dict[str, str]:
    data = {"body": str(body_id), "title_ru": "Сессия", "text_ru": "Бюджет утверждён.", "areas": ""}
    data.update(extra)
    return data


def test_staff_write_and_publish_news_for_their_body(astana, client):
    from maslikhat.news.models import Publication

    client.force_login(astana["staff_user"])
    assert client.get("/en/news/newsroom/new/").status_code == 200
    response = client.post("/en/news/newsroom/new/", _form(astana["maslikhat"].pk, areas="KZ-71"))
    p = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/news/newsroom/{p.pk}/?saved=1"
    assert client.get(f"/en/news/newsroom/{p.pk}/").status_code == 200
    assert client.post(f"/en/news/newsroom/{p.pk}/publish/").status_code == 302
    p.refresh_from_db()
    assert p.status == "published"
    assert "Сессия" in client.get("/en/news/newsroom/").content.decode()


def test_newsroom_form_errors_are_shown_and_nothing_is_saved(astana, client):
    from maslikhat.news.models import Publication

    client.force_login(astana["staff_user"])
    response = client.post("/en/news/newsroom/new/", _form(astana["maslikhat"].pk, text_ru=""))
    assert response.status_code == 400
    assert "Give both a title and a text in this language." in response.content.decode()
    assert Publication.objects.count() == 0


def test_staff_cannot_choose_another_body_or_edit_its_news(astana, reference, client):
    from maslikhat.directory.models import Organization
    from maslikhat.news.models import Publication

    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    other = make_publication(body=almaty, status="draft")
    client.force_login(astana["staff_user"])
    response = client.post("/en/news/newsroom/new/", _form(almaty.pk))
    assert response.status_code == 400
    assert Publication.objects.filter(body=almaty).count() == 1
    assert client.get(f"/en/news/newsroom/{other.pk}/").status_code == 404
    assert client.post(f"/en/news/newsroom/{other.pk}/publish/").status_code == 404
    other.refresh_from_db()
    assert other.status == "draft"


def test_citizens_have_no_newsroom(reference, client):
    client.force_login(UserFactory(username="citizen"))
    assert client.get("/en/news/newsroom/").status_code == 404
    assert client.get("/en/news/newsroom/new/").status_code == 404


def test_every_news_page_renders_in_each_language(astana, client):
    p = make_publication(body=astana["maslikhat"], title_kk="Жаңалық", title_ru="Новость", title_en="News")
    for lang, title in (("kk", "Жаңалық"), ("ru", "Новость"), ("en", "News")):
        html = client.get(f"/{lang}/news/{p.pk}/").content.decode()
        assert re.search(rf"<h1>{title}", html)
