"""Atom feeds of published news: all, per body, per area, per tag; in the page's language
(the language prefix of the feed's address), each entry falling back like the pages do.

A publication's text is plain text (the pages show it escaped, with line breaks), so an entry's
summary is declared ``type="text"``: a feed reader shows ``<script>`` or any markup typed into
the text as the characters they are, never as HTML (Django's Atom feed says ``type="html"``).
Characters that XML 1.0 cannot carry (NUL, ESC and the other C0 controls) are left out of
every text of the feed instead of failing the whole feed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from maslikhat.directory import selectors as directory_selectors

from . import selectors
from .models import Publication
from .templatetags.news import shown

FEED_SIZE = 50
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """The text without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value)


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are plain text (``<summary type="text">``)."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class NewsFeed(Feed):
    feed_type = TextSummaryAtom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def filters(self, obj: Any) -> dict[str, Any]:
        return {}

    def title(self, obj: Any) -> str:
        return _("Maslikhat: news")

    def link(self, obj: Any) -> str:
        return reverse("news:index")

    def subtitle(self, obj: Any) -> str:
        return _("News of the national council and the maslikhats.")

    def items(self, obj: Any) -> list[Publication]:
        return list(selectors.publication_list(**self.filters(obj))[:FEED_SIZE])

    def item_title(self, item: Publication) -> str:
        return xml_text(shown(item, "title").value)

    def item_description(self, item: Publication) -> str:
        text = shown(item, "text")
        return xml_text(f"[{text.note}] {text.value}" if text.fallback else text.value)

    def item_link(self, item: Publication) -> str:
        return reverse("news:detail", kwargs={"pk": item.pk})

    def item_guid(self, item: Publication) -> str:
        return f"maslikhat:news:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Publication) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Publication) -> datetime | None:
        return max(item.updated_at, item.published_at) if item.published_at else item.updated_at

    def item_author_name(self, item: Publication) -> str:
        return xml_text(item.body.name)

    def item_categories(self, item: Publication) -> list[str]:
        return [xml_text(t.name) for t in item.tags.all()]


class BodyNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        org = directory_selectors.organization_get(pk=kwargs["pk"])
        if org is None:
            raise Http404
        return org

    def filters(self, obj: Any) -> dict[str, Any]:
        return {"body_id": obj.pk}

    def title(self, obj: Any) -> str:
        return xml_text(_("News of %(body)s") % {"body": obj.name})

    def link(self, obj: Any) -> str:
        return reverse("news:body", kwargs={"pk": obj.pk})


class AreaNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        area = directory_selectors.area_get(code=kwargs["code"])
        if area is None:
            raise Http404
        return area

    def filters(self, obj: Any) -> dict[str, Any]:
        return {"area": obj}

    def title(self, obj: Any) -> str:
        return xml_text(_("News for %(area)s") % {"area": obj.name})

    def link(self, obj: Any) -> str:
        return reverse("news:area", kwargs={"code": obj.code})


class TagNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        tag = selectors.tag_get(code=kwargs["code"])
        if tag is None:
            raise Http404
        return tag

    def filters(self, obj: Any) -> dict[str, Any]:
        return {"tag_code": obj.code}

    def title(self, obj: Any) -> str:
        return xml_text(_("News: %(tag)s") % {"tag": obj.name})

    def link(self, obj: Any) -> str:
        return reverse("news:tag", kwargs={"code": obj.code})
