"""Atom feeds carry a publication's text as text: markup typed into it is never HTML for a feed
reader, and characters XML cannot hold do not break the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from tests.news.factories import make_publication, make_tag

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TEXT = '<script>alert(1)</script> <b onclick="steal()">O\'Brien & Sons</b> <img src=x onerror=x>'


def _entry(client: Any, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    return entries[0]


@pytest.mark.parametrize("feed", ["all", "body", "area", "tag"])
def test_feed_summary_is_plain_text_with_markup_as_written(
    astana: dict[str, Any], client: Any, feed: str
) -> None:
    # given a published item whose title and text contain markup and a script
    body = astana["maslikhat"]
    tag = make_tag(code="hostile")
    make_publication(body=body, title_en="<i>Title</i> & co", text_en=HOSTILE_TEXT, tags=[tag])
    url = {
        "all": "/en/news/feed/",
        "body": f"/en/news/bodies/{body.pk}/feed/",
        "area": f"/en/news/areas/{body.area.code}/feed/",
        "tag": "/en/news/tags/hostile/feed/",
    }[feed]
    # when the feed is read
    entry = _entry(client, url)
    summary = entry.find(f"{ATOM}summary")
    title = entry.find(f"{ATOM}title")
    assert summary is not None and title is not None
    # then the summary is declared text, so a reader shows the markup as characters
    assert summary.get("type") == "text"
    assert summary.text == HOSTILE_TEXT
    assert title.get("type") in (None, "text")
    assert title.text == "<i>Title</i> & co"


def test_feed_raw_bytes_hold_no_live_markup(astana: dict[str, Any], client: Any) -> None:
    make_publication(body=astana["maslikhat"], text_en=HOSTILE_TEXT)
    raw = client.get("/en/news/feed/").content.decode()
    assert "<script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert 'type="html"' not in raw


def test_feed_leaves_out_characters_xml_cannot_hold(astana: dict[str, Any], client: Any) -> None:
    # given a title and a text with ESC and other C0 controls (XML 1.0 forbids them; NUL cannot
    # even be stored on PostgreSQL)
    make_publication(body=astana["maslikhat"], title_en="Se\x1bssion\x01", text_en="Held\x08 \x0bon time.\n")
    # when the feed is read, then it is served and the controls are gone
    entry = _entry(client, "/en/news/feed/")
    assert entry.findtext(f"{ATOM}title") == "Session"
    assert entry.findtext(f"{ATOM}summary") == "Held on time.\n"
