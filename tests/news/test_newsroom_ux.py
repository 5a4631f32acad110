"""The newsroom (issue 15): areas chosen by name, a preview before anything is saved or
published, tags and areas laid out as tick boxes."""

from __future__ import annotations

import re

from django.utils import translation

from maslikhat.directory.choices import AreaKind
from maslikhat.directory.models import Area
from maslikhat.news.models import Publication
from tests.news.factories import make_publication, make_tag


def _form(body_id: int, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {"body": str(body_id), "title_ru": "Сессия", "text_ru": "Бюджет утверждён."}
    data.update(extra)
    return data


def _inside_astana() -> list[Area]:
    """Two districts of Astana (the test reference data has none), besides its constituency."""
    from datetime import date

    from tests.factories import AreaFactory

    region = Area.objects.get(code="KZ-71")
    for code, name in (("KZ-71-D2", "Saryarka district"), ("KZ-71-D1", "Esil district")):
        AreaFactory(
            code=code, kind=AreaKind.CITY_DISTRICT, parent=region, name_en=name, valid_from=date(2020, 1, 1)
        )
    return list(
        Area.objects.filter(parent__code="KZ-71").exclude(kind=AreaKind.CONSTITUENCY).order_by("name_en")
    )


def test_areas_are_offered_by_name_and_saved_by_their_code(astana, client):
    client.force_login(astana["staff_user"])
    inside = _inside_astana()
    assert [a.name_en for a in inside] == ["Esil district", "Saryarka district"]
    # when the form is opened
    html = client.get("/en/news/newsroom/new/").content.decode()
    # then every area of the body's territory is a tick box labelled with its name, no code to type
    for area in [Area.objects.get(code="KZ-71"), *inside]:
        assert re.search(
            rf'<input type="checkbox" name="areas" value="{area.code}"[^>]*> {area.name_en}</label>', html
        )
    assert "codes, separated by spaces" not in html
    # when one district is ticked and the news saved
    response = client.post("/en/news/newsroom/new/", _form(astana["maslikhat"].pk, areas=[inside[0].code]))
    assert response.status_code == 302
    assert [a.code for a in Publication.objects.get().areas.all()] == [inside[0].code]


def test_an_area_outside_the_choices_is_refused_and_nothing_saved(astana, client):
    client.force_login(astana["staff_user"])
    response = client.post("/en/news/newsroom/new/", _form(astana["maslikhat"].pk, areas=["KZ-75"]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Publication.objects.count() == 0


def test_preview_shows_each_language_with_its_fallback_and_saves_nothing(astana, client):
    client.force_login(astana["staff_user"])
    tag = make_tag(code="budget", name_en="Budget")
    inside = _inside_astana()[0]
    # when a Russian-only text is previewed with a tag and an area
    data = _form(astana["maslikhat"].pk, tags=["budget"], areas=[inside.code], preview="1")
    response = client.post("/en/news/newsroom/new/", data)
    html = response.content.decode()
    # then the preview is there, nothing is saved
    assert response.status_code == 200
    assert Publication.objects.count() == 0
    preview = html[html.index('class="news-preview"') : html.index("</section>")]
    # the Russian reader sees the title plain; the Kazakh and English ones see it marked
    assert '<h3 class="news-title" lang="ru">Сессия</h3>' in preview
    assert preview.count('<span lang="ru" class="in-fallback">Сессия</span>') == 2
    with translation.override("en"):
        assert preview.count(f"({translation.gettext('in Russian')})") >= 2
    assert tag.name_en in preview and inside.name_en in preview
    # and the form keeps what was typed
    assert 'value="Сессия"' in html


def test_preview_of_an_edit_changes_nothing(astana, client):
    client.force_login(astana["staff_user"])
    p = make_publication(body=astana["maslikhat"], title_ru="Старый заголовок", status="draft")
    response = client.post(
        f"/en/news/newsroom/{p.pk}/", _form(astana["maslikhat"].pk, title_ru="Новый заголовок", preview="1")
    )
    assert response.status_code == 200
    assert "Новый заголовок" in response.content.decode()
    p.refresh_from_db()
    assert p.title_ru == "Старый заголовок"


def test_tags_are_tick_boxes_in_a_grid(astana, client):
    client.force_login(astana["staff_user"])
    make_tag(code="budget", name_en="Budget")
    make_tag(code="roads", name_en="Roads")
    html = client.get("/en/news/newsroom/new/").content.decode()
    grid = html[html.index('<fieldset class="choice-grid">') :]
    grid = grid[: grid.index("</fieldset>")]
    assert re.search(
        r'<label class="choice-box"><input type="checkbox" name="tags" value="budget"[^>]*> Budget</label>',
        grid,
    )
    assert re.search(
        r'<label class="choice-box"><input type="checkbox" name="tags" value="roads"[^>]*> Roads</label>',
        grid,
    )


def test_hostile_text_in_a_preview_is_escaped(astana, client):
    client.force_login(astana["staff_user"])
    data = _form(astana["maslikhat"].pk, title_en="<img src=x onerror=alert(1)>", text_en="Text", preview="1")
    html = client.post("/en/news/newsroom/new/", data).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert Publication.objects.count() == 0
