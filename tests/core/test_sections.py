"""The page sections registry (maslikhat.core.sections): what apps add to another app's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from maslikhat.core import sections
from maslikhat.core.sections import PageSection, register_sections, render_sections


@pytest.fixture
def empty_registry(monkeypatch: Any) -> None:
    monkeypatch.setattr(sections, "SECTIONS", [])


def _section(name: str, value: str | None, *, slot: str = "main", order: int = 0) -> PageSection:
    # a template from the tree that prints a variable: the news block's feed link
    return PageSection(name, "test.page", slot, "news/sections/feed_link.html", _feed(value), order=order)


def _feed(value: str | None) -> Any:
    return lambda request, obj: None if value is None else {"feed_title": f"{value}:{obj}", "feed_url": "/f"}


def test_sections_render_in_order_and_hidden_ones_are_left_out(empty_registry: None) -> None:
    # given three sections of one slot (one hidden for this object) and one of another slot
    register_sections(
        _section("test.late", "late", order=20),
        _section("test.first", "first"),
        _section("test.hidden", None),
        _section("test.second", "second"),
        _section("test.other_slot", "other", slot="head"),
    )
    # when the slot is rendered for an object
    html = render_sections("test.page", "main", "obj", RequestFactory().get("/"))
    # then the shown sections come by order, then registration order, each rendered once
    titles = [line.split('title="')[1].split('"')[0] for line in html.splitlines()]
    assert titles == ["first:obj", "second:obj", "late:obj"]
    assert render_sections("test.page", "nothing", "obj", None) == ""


def test_registering_again_changes_nothing_but_a_taken_name_is_refused(empty_registry: None) -> None:
    section = _section("test.one", "one")
    register_sections(section)
    register_sections(section)  # a second AppConfig.ready
    assert sections.SECTIONS == [section]
    with pytest.raises(ValueError, match="test.one"):
        register_sections(_section("test.one", "another"), _section("test.two", "two"))
    assert sections.SECTIONS == [section]


def test_the_template_tag_renders_a_slot_and_escapes_the_context(empty_registry: None) -> None:
    register_sections(_section("test.one", "<b>"))
    template = Template('{% load sections %}{% page_sections "test.page" "main" obj as html %}[{{ html }}]')
    out = template.render(Context({"obj": "x", "request": RequestFactory().get("/")}))
    assert out == '[<link rel="alternate" type="application/atom+xml" title="&lt;b&gt;:x" href="/f">]'


def test_the_apps_register_their_sections_on_the_directory_and_news_pages() -> None:
    # given the apps' start-up, then appeals, news and notifications have added their blocks
    by_name = {s.name: s for s in sections.SECTIONS}
    assert {
        "appeals.write_to_body",
        "appeals.body_figures",
        "appeals.write_to_deputy",
        "appeals.write_to_deputy_card",
        "news.body_news",
        "news.area_news",
        "notifications.follow_body",
        "notifications.follow_area",
        "notifications.follow_deputy",
    } <= set(by_name)
    assert {
        "notifications.follow_news_body",
        "notifications.follow_news_area",
        "notifications.follow_news_tag",
    } <= set(by_name)
    for name, section in by_name.items():
        assert section.page.split(".")[0] in ("directory", "news"), name
        assert section.name.split(".")[0] == section.context.__module__.split(".")[1], name
    # the body page's order: appeal figures, then the news; "write to", then "follow"
    main = [s.name for s in sections.sections_for("directory.body", "main")]
    assert main.index("appeals.body_figures") < main.index("news.body_news")
    actions = [s.name for s in sections.sections_for("directory.body", "actions")]
    # (the akims' meetings form link shows for the maslikhat's apparatus only)
    assert actions == [
        "appeals.write_to_body",
        "deputies.akim_office",
        "notifications.follow_body",
        "scorecard.body_link",
    ]
