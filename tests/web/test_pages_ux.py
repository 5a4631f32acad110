"""The pages everyone reads (issue 15): the compact header and its menu, the home page of a
visitor whose area is known, content shown in a fallback language, one date format per language,
a maslikhat's public appeals (dated, linked, withdrawn ones gone) and the 2022 council meeting's
unknowns."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.html import escape

from maslikhat.appeals import selectors as appeal_selectors
from maslikhat.appeals import services as appeal_services
from maslikhat.core.i18n import fallback_html
from maslikhat.web.templatetags.content import day
from tests.appeals.fixtures import submit  # noqa: F401  (the appeals' fixture, reused here)
from tests.news.factories import make_publication, make_tag

# The public page cache would answer the second request without a query (tests pin queries).
pytestmark = pytest.mark.usefixtures("_no_page_cache")


@pytest.fixture
def _no_page_cache() -> Any:
    with override_settings(PAGE_CACHE_ENABLED=False):
        yield


def _html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ------------------------------------------------------------------ header


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_menu_is_a_native_disclosure_with_the_main_navigation(reference, client, lang):
    # when any page is opened
    html = _html(client.get(f"/{lang}/"))
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    # then the main navigation sits in a <details> whose <summary> is the menu button
    menu = header[header.index('<details class="site-menu"') :]
    assert menu.index("<summary>") < menu.index('<nav class="main-nav"') < menu.index("</details>")
    assert f'href="/{lang}/find/"' in menu
    # and the language switch stays outside the menu, each link in its own language, its full
    # name in the title (a phone shows "Қаз", "Рус", "Eng")
    switch = header[header.index('<nav class="lang-switch"') : header.index("</nav>")]
    assert 'lang="kk" hreflang="kk" title="Қазақша"' in switch
    assert '>Eng<span class="lang-rest">lish</span></a>' in switch
    assert header.index('<nav class="lang-switch"') < header.index('<details class="site-menu"')


# ------------------------------------------------------------------ home with a known area


def _remember(client: Client, code: str) -> None:
    session = client.session
    session["visitor_area"] = code
    session.save()


def test_home_of_a_visitor_whose_area_is_known_leads_with_their_deputies(astana, client):
    # given a visitor whose last "find my deputies" result was Astana, and a news item of Astana
    make_publication(body=astana["maslikhat"], title_en="Budget session held", areas=[astana["region"]])
    _remember(client, "KZ-71")
    # when the home page is opened
    html = _html(client.get("/en/"))
    # then their maslikhat, its chair and its deputy come first, then the area's news
    main = html[html.index('<main id="main"') :]
    maslikhat = main.index(astana["maslikhat"].name_en)
    assert maslikhat < main.index("Serik Chairov") < main.index("Aigerim Testova")
    assert main.index("Aigerim Testova") < main.index("Budget session held")
    assert main.index("Budget session held") < main.index("Regions of Kazakhstan")
    assert f'href="/en/scorecard/body/{astana["maslikhat"].pk}/"' in main
    # and the general invitation to find one's deputies is not the page's lead
    assert 'class="hero"' not in main


def test_home_without_a_known_area_keeps_the_invitation(astana, client):
    html = _html(client.get("/en/"))
    assert 'class="hero"' in html
    assert "Aigerim Testova" not in html


def test_home_with_a_known_area_needs_a_fixed_number_of_queries(astana, django_assert_num_queries):
    client = Client()
    _remember(client, "KZ-71")
    assert client.get("/en/").status_code == 200  # warm the maps and the demo flag
    with django_assert_num_queries(QUERIES_HOME_WITH_AREA):
        assert client.get("/en/").status_code == 200
    for _ in range(5):
        make_publication(body=astana["maslikhat"], areas=[astana["region"]])
    with django_assert_num_queries(QUERIES_HOME_WITH_AREA):
        assert client.get("/en/").status_code == 200


# session, the area, regional maslikhats, the area's maslikhat, its composition (memberships,
# children), news (publications with their tags and areas)
QUERIES_HOME_WITH_AREA = 8


def test_a_stale_remembered_area_falls_back_to_the_plain_home(reference, client):
    _remember(client, "KZ-NOWHERE")
    html = _html(client.get("/en/"))
    assert 'class="hero"' in html


# ------------------------------------------------------------------ fallback language


def test_a_title_in_russian_only_is_marked_in_the_kazakh_and_english_lists(astana, client):
    # given news whose title exists in Russian only
    make_publication(body=astana["maslikhat"], title_kk="", title_en="", title_ru="Сессия маслихата")
    for lang in ("kk", "en"):
        with translation.override(lang):
            expected_mark = f"({translation.gettext('in Russian')})"
        html = _html(client.get(f"/{lang}/news/"))
        # then the title carries lang="ru" and a visible mark in the page's language
        assert '<span lang="ru" class="in-fallback">Сессия маслихата</span>' in html
        assert f'<small class="fallback-mark">{expected_mark}</small>' in html
    # and the Russian page shows it plain
    html = _html(client.get("/ru/news/"))
    assert "Сессия маслихата" in html
    assert 'class="in-fallback"' not in html


def test_fallback_html_escapes_and_marks_single_language_records():
    with translation.override("en"):
        # a three-language field, hostile text in the fallback
        obj = SimpleNamespace(title_kk="", title_ru='<script>alert("x")</script>', title_en="")
        html = fallback_html(obj, "title")
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert html.startswith('<span lang="ru" class="in-fallback">')
        # a record written once (a proposal): marked only when its language is not the page's
        proposal = SimpleNamespace(title="Дороги & мосты", language="ru")
        assert fallback_html(proposal, "title").endswith('<small class="fallback-mark">(in Russian)</small>')
        assert "Дороги &amp; мосты" in fallback_html(proposal, "title")
        assert fallback_html(proposal, "title", "ru") == "Дороги &amp; мосты"
        # nothing in any language: nothing at all
        assert fallback_html(SimpleNamespace(title_kk="", title_ru="", title_en=""), "title") == ""


def test_council_lists_mark_titles_in_another_language(reference, council_body, client):
    from maslikhat.council.history import load_council_history
    from maslikhat.council.models import Meeting

    load_council_history()
    Meeting.objects.update(title_en="")  # as if the English title were missing
    html = _html(client.get("/en/council/"))
    assert re.search(r'<span lang="ru" class="in-fallback">Расширенное заседание[^<]*</span>', html)
    assert '<small class="fallback-mark">(in Russian)</small>' in html


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("lang", "text"),
    [("kk", "19 Қазан 2022 ж."), ("ru", "19 октября 2022 г."), ("en", "19 October 2022")],
)
def test_one_date_format_per_language(lang, text):
    with translation.override(lang):
        assert str(day(date(2022, 10, 19))) == f'<time datetime="2022-10-19">{text}</time>'
        # a datetime is shown on its local day (UTC+5): 20:00 UTC is the next day in Astana
        late = datetime(2022, 10, 18, 20, 0, tzinfo=UTC)
        assert str(day(late)).startswith('<time datetime="2022-10-19">')
    assert day(None) == ""


# ------------------------------------------------------------------ a maslikhat's public appeals


@pytest.fixture
def published(submit, astana):  # noqa: F811
    """Two appeals of the Astana maslikhat answered and published (approved texts)."""
    made = []
    for text in ("Please repair the road on Abai street.", "Please light the park."):
        appeal, _token = submit(is_public=True, text=text)
        appeal_services.appeal_answer(actor=astana["staff_user"], appeal=appeal, text="It will be done.")
        appeal.refresh_from_db()
        appeal_services.appeal_publication_approve(
            actor=astana["staff_user"], appeal=appeal, text=text, answer_text="It will be done in May."
        )
        appeal.refresh_from_db()
        made.append(appeal)
    return made


def test_the_body_page_lists_public_appeals_with_dates_and_links(astana, published, client):
    body = astana["maslikhat"]
    html = _html(client.get(f"/en/bodies/{body.pk}/"))
    # the scorecard of this maslikhat is linked
    assert f'href="/en/scorecard/body/{body.pk}/"' in html
    for appeal in published:
        # each public appeal carries its publication date and a link to its place in the full list
        assert f'href="/en/bodies/{body.pk}/appeals/#appeal-{appeal.pk}"' in html
        local = timezone.localtime(appeal.published_at).date().isoformat()
        assert f'<time datetime="{local}">' in html
    assert f'href="/en/bodies/{body.pk}/appeals/"' in html
    # and the full list has the anchors
    full = _html(client.get(f"/en/bodies/{body.pk}/appeals/"))
    for appeal in published:
        assert f'id="appeal-{appeal.pk}"' in full
    assert "Please repair the road on Abai street." in full


def test_a_withdrawn_publication_is_listed_nowhere(astana, published, client):
    body = astana["maslikhat"]
    gone, kept = published
    # when the applicant withdraws the publication of one appeal
    appeal_services.appeal_publication_request(actor=None, appeal=gone, requested=False)
    # then the one selector no longer returns it, and neither page lists it
    assert list(appeal_selectors.public_appeals(body_id=body.pk)) == [kept]
    for url in (f"/en/bodies/{body.pk}/", f"/en/bodies/{body.pk}/appeals/"):
        html = _html(client.get(url))
        assert f"appeal-{gone.pk}" not in html
        assert "Please repair the road" not in html
        assert f"appeal-{kept.pk}" in html


def test_public_appeals_page_bad_input(astana, reference, client):
    body = astana["maslikhat"]
    # an unknown body and a body that is not a maslikhat have no such page
    assert client.get("/en/bodies/999999/appeals/").status_code == 404
    assert client.get(f"/en/bodies/{astana['apparatus'].pk}/appeals/").status_code == 404
    # a nonsense page number is the first page
    for raw in ("abc", "0", "-1", "9" * 50, "٣"):
        response = client.get(f"/en/bodies/{body.pk}/appeals/", {"page": raw})
        assert response.status_code == 200
        assert "No public appeals yet." in response.content.decode()


def test_public_appeals_page_needs_a_fixed_number_of_queries(astana, published, django_assert_num_queries):
    client = Client()
    url = f"/en/bodies/{astana['maslikhat'].pk}/appeals/"
    assert client.get(url).status_code == 200
    # the body, the appeals (with body and topic), the demo flag is cached
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


# ------------------------------------------------------------------ the 2022 council meeting


def test_the_2022_meeting_marks_what_is_unknown(reference, council_body, client):
    from maslikhat.council.history import MEETING_2022, SOURCE_2022, load_council_history
    from maslikhat.council.models import Meeting

    load_council_history()
    meeting = Meeting.objects.get(held_on=MEETING_2022, is_demo=False)
    html = _html(client.get(f"/en/council/meetings/{meeting.pk}/"))
    # the date in the one format, the chair's office with its name marked as not recorded
    assert '<time datetime="2022-10-19">19 October 2022</time>' in html
    assert re.search(
        r'class="chair">Deputy Speaker of the Senate <span class="unknown">\(name not recorded\)', html
    )
    # the source line (a catalogue entry, so it is shown in the reader's language), documents,
    # minutes and outcomes marked unknown
    from maslikhat.council.views import TRANSLATED_SOURCES

    assert SOURCE_2022 in TRANSLATED_SOURCES
    assert escape(SOURCE_2022) in html
    assert html.count('class="unknown"') >= 4
    # in Kazakh, the title is the Kazakh one, not marked as a fallback
    kk = _html(client.get(f"/kk/council/meetings/{meeting.pk}/"))
    assert "Мәслихаттармен өзара іс-қимыл жөніндегі кеңестің кеңейтілген отырысы" in kk
    assert 'class="in-fallback"' not in kk.split("<h2")[0]


def test_news_tags_are_a_list(astana, client):
    tag = make_tag(code="budget")
    make_publication(body=astana["maslikhat"], tags=[tag], title_en="Budget")
    html = _html(client.get("/en/news/"))
    assert re.search(r'<ul class="news-tags"[^>]*><li><a class="badge" href="/en/news/tags/budget/">', html)
