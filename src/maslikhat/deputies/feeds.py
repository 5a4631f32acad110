"""The Atom feed of a deputy's public record: receptions announced, reports to voters and
inquiries (newest first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from maslikhat.directory.models import Person

from . import selectors

FEED_SIZE = 50


class DeputyFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Person:
        person = selectors.person_or_none(int(kwargs["pk"]))
        if person is None or not selectors.was_deputy(person):
            raise Http404
        return person

    def title(self, obj: Person) -> str:
        return f"{_('Deputy')}: {obj.name}"

    def link(self, obj: Person) -> str:
        return reverse("deputies:deputy", args=[obj.pk])

    def subtitle(self, obj: Person) -> str:
        return _("Receptions, reports to voters and inquiries")

    def items(self, obj: Person) -> list[dict[str, Any]]:
        return selectors.feed_entries(obj)[:FEED_SIZE]

    def item_title(self, item: dict[str, Any]) -> str:
        return str(item["title"])

    def item_description(self, item: dict[str, Any]) -> str:
        return str(item["summary"])

    def item_link(self, item: dict[str, Any]) -> str:
        return str(item["link"])

    def item_guid(self, item: dict[str, Any]) -> str:
        return str(item["guid"])

    def item_pubdate(self, item: dict[str, Any]) -> datetime:
        return item["when"]

    def item_updateddate(self, item: dict[str, Any]) -> datetime:
        return item["when"]
