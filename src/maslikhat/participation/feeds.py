"""The Atom feed of public initiatives (newest first), in the page's language. Plain-text
summaries; characters XML 1.0 cannot carry are left out."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import Initiative

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


class TextAtom(Atom1Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class InitiativeFeed(Feed):
    feed_type = TextAtom

    def title(self) -> str:
        return _("Maslikhat: local initiatives")

    def link(self) -> str:
        return reverse("participation:index")

    def items(self) -> list[Initiative]:
        return list(selectors.initiative_list()[:50])

    def item_title(self, item: Initiative) -> str:
        return xml_text(f"{item.title} ({item.get_status_display()})")

    def item_description(self, item: Initiative) -> str:
        return xml_text(item.text[:500])

    def item_link(self, item: Initiative) -> str:
        return reverse("participation:initiative", args=[item.pk])

    def item_pubdate(self, item: Initiative) -> datetime:
        return item.created_at
