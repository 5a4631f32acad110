"""The registry of page sections: what the apps above a page add to it, without the page's app
importing them.

The directory's pages (a body, an area, a deputy) show the appeal figures, the news and the
follow button, but `directory` may import only `core`. So each app that contributes declares
its `PageSection`s in its own `sections.py` and registers them from its `AppConfig.ready`
(`register_sections`); the page's template renders a slot with
`{% load sections %}{% page_sections "directory.body" "main" org %}`, which renders, in order,
every section registered for that page and slot whose `context` does not return None.

Pages and slots are plain strings, named by the page's app: `directory.body`, `directory.area`
and `directory.deputy` (the person page of a sitting deputy, and a deputy's card in a list),
with the slots `feeds` and `head` (in the page's <head>), `actions` (the buttons under the
title), `main` (blocks in the body of the page) and `card` (a person's card in a list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# (the request or None, the page's object) -> the section template's context, or None: not shown
SectionContext = Callable[[HttpRequest | None, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class PageSection:
    name: str  # "<app>.<what>", unique
    page: str  # "directory.body"
    slot: str  # "main"
    template: str
    context: SectionContext
    # Within a slot, sections come by order, then in registration (INSTALLED_APPS) order.
    order: int = 0


SECTIONS: list[PageSection] = []


def register_sections(*sections: PageSection) -> None:
    """Add an app's sections; registering the same one again changes nothing (an AppConfig.ready
    may run more than once), another section under a taken name is an error."""
    known = {s.name: s for s in SECTIONS}
    clash = sorted(s.name for s in sections if known.get(s.name, s) != s)
    if clash:
        raise ValueError(f"page sections registered twice: {clash}")
    SECTIONS.extend(s for s in sections if s.name not in known)


def sections_for(page: str, slot: str) -> list[PageSection]:
    found = [s for s in SECTIONS if s.page == page and s.slot == slot]
    return sorted(found, key=lambda s: s.order)  # stable: registration order among equals


def render_sections(page: str, slot: str, obj: Any, request: HttpRequest | None) -> SafeString:
    """The HTML of a page's slot for this object: each shown section, one after the other."""
    parts: list[str] = []
    for section in sections_for(page, slot):
        context = section.context(request, obj)
        if context is not None:
            parts.append(render_to_string(section.template, context, request=request).strip())
    return format_html_join("\n", "{}", ((SafeString(p),) for p in parts if p))
