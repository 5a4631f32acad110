"""What the news app adds to the directory's pages (see maslikhat.core.sections): the latest
news of a body or an area, with its Atom feed announced in the page's head."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from maslikhat.core.sections import PageSection
from maslikhat.directory.models import Area, Organization

from . import selectors

# Under the other blocks of the body of the page (the appeals' figures come first).
ORDER = 20


def _body_feed(request: HttpRequest | None, body: Organization) -> dict[str, Any]:
    return {
        "feed_title": f"{_('News of this body')}: {body.name}",
        "feed_url": reverse("news:body_feed", kwargs={"pk": body.pk}),
    }


def _area_feed(request: HttpRequest | None, area: Area) -> dict[str, Any]:
    return {
        "feed_title": f"{_('News for this area')}: {area.name}",
        "feed_url": reverse("news:area_feed", kwargs={"code": area.code}),
    }


def _stylesheet(request: HttpRequest | None, obj: Any) -> dict[str, Any]:
    return {}


def _body_news(request: HttpRequest | None, body: Organization) -> dict[str, Any]:
    return {
        "news_items": selectors.latest(body_id=body.pk),
        "news_heading": _("News of this body"),
        "news_more_url": reverse("news:body", kwargs={"pk": body.pk}),
        "news_feed_url": reverse("news:body_feed", kwargs={"pk": body.pk}),
    }


def _area_news(request: HttpRequest | None, area: Area) -> dict[str, Any]:
    return {
        "news_items": selectors.latest(area=area),
        "news_heading": _("News for this area"),
        "news_more_url": reverse("news:area", kwargs={"code": area.code}),
        "news_feed_url": reverse("news:area_feed", kwargs={"code": area.code}),
    }


SECTIONS = (
    PageSection("news.body_feed", "directory.body", "feeds", "news/sections/feed_link.html", _body_feed),
    PageSection(
        "news.body_stylesheet", "directory.body", "head", "news/sections/stylesheet.html", _stylesheet
    ),
    PageSection(
        "news.body_news",
        "directory.body",
        "main",
        "news/_list_block.html",
        _body_news,
        order=ORDER,
        families=("news@body", "directory"),  # kept per version of the body's news (core.sections)
    ),
    PageSection("news.area_feed", "directory.area", "feeds", "news/sections/feed_link.html", _area_feed),
    PageSection(
        "news.area_stylesheet", "directory.area", "head", "news/sections/stylesheet.html", _stylesheet
    ),
    PageSection("news.area_news", "directory.area", "main", "news/_list_block.html", _area_news, order=ORDER),
)
