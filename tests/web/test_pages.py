import pytest
from django.test import Client

from maslikhat.directory.models import Organization
from tests.factories import PersonFactory

PAGES = ["/{lang}/", "/{lang}/find/", "/{lang}/bodies/", "/{lang}/areas/KZ-71/"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_pages_render_with_language_switch(astana, client, lang, page):
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for other in ("kk", "ru", "en"):
        assert f'hreflang="{other}"' in html


def test_find_in_astana_links_the_deputy(astana, client):
    response = client.get("/ru/find/?lat=51.128&lon=71.43")
    assert response.status_code == 200
    html = response.content.decode()
    deputy = astana["deputy"]
    assert f'href="/ru/people/{deputy.pk}/"' in html
    assert "Айгерим Тестова" in html
    assert html.index("Айгерим Тестова") < html.index("Серик Чаиров")


@pytest.mark.parametrize(
    ("query", "status"), [("lat=abc&lon=1", 400), ("lat=95&lon=1", 400), ("lat=48.85&lon=2.35", 404)]
)
def test_find_errors_are_clear_not_500(astana, client, query, status):
    response = client.get(f"/en/find/?{query}")
    assert response.status_code == status
    assert 'role="alert"' in response.content.decode()


def test_settlement_search(astana, client):
    response = client.get("/ru/find/?q=Астана")
    assert 'href="/ru/areas/KZ-71/"' in response.content.decode()


def test_body_and_person_pages(astana, client):
    body = astana["maslikhat"]
    response = client.get(f"/en/bodies/{body.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aigerim Testova" in html and "Serik Chairov" in html
    person = client.get(f"/en/people/{astana['deputy'].pk}/")
    assert person.status_code == 200
    assert "Astana City Maslikhat" in person.content.decode()


def test_unknown_ids_are_404(reference, client):
    assert client.get("/en/bodies/999999/").status_code == 404
    assert client.get("/en/people/999999/").status_code == 404
    assert client.get("/en/areas/XX-00/").status_code == 404


def test_demo_badge_shown_for_demo_records(astana, client):
    demo = PersonFactory.create(name_en="Demo Person", is_demo=True)
    response = client.get(f"/en/people/{demo.pk}/")
    assert "demo data" in response.content.decode()
    real = client.get(f"/en/people/{astana['deputy'].pk}/")
    assert 'class="badge demo"' not in real.content.decode()


def test_body_page_query_count_does_not_grow_with_deputies(astana, django_assert_max_num_queries):
    from tests.factories import MembershipFactory, PostFactory

    body = astana["maslikhat"]
    client = Client()
    client.get(f"/en/bodies/{body.pk}/")  # warm caches
    with django_assert_max_num_queries(12):
        client.get(f"/en/bodies/{body.pk}/")
    for i in range(20):
        post = PostFactory(organization=body, role="party_list_deputy", label_en=f"List seat {i}")
        MembershipFactory(
            organization=body, post=post, role="party_list_deputy", election_method="party_list"
        )
    with django_assert_max_num_queries(12):
        response = client.get(f"/en/bodies/{body.pk}/")
    assert response.status_code == 200


def test_find_and_home_query_counts(astana, django_assert_max_num_queries):
    client = Client()
    client.get("/en/")
    with django_assert_max_num_queries(8):
        client.get("/en/")
    with django_assert_max_num_queries(14):
        client.get("/en/find/?lat=51.128&lon=71.43")
    assert Organization.objects.filter(slug="kz-71-maslikhat").exists()
