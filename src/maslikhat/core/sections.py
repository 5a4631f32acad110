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

Kept sections. A section that is the same for every visitor (no request, no user, nothing but
the object, the language and the day) names the page-cache families it shows (`families`);
its HTML is then kept as a fragment per version of those families (core/pagecache.py), and an
uncached page reads none of its data while they do not change. `"appeals-public@body"` is the
page's object's part of a family (`pagecache.scoped_families(family, "body", obj.pk)`). A kept
section is rendered without the request (no context processor: nothing personal can be kept).
All the kept sections of a slot cost one round trip for their versions and one for the HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from maslikhat.core import pagecache

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
    # The page-cache families it shows when it is the same for every visitor: kept (see above).
    families: tuple[str, ...] | None = None

    def families_for(self, obj: Any) -> tuple[str, ...]:
        """The families, a scoped one ("family@scope") as the object's part of it."""
        out: list[str] = []
        for family in self.families or ():
            if "@" in family:
                name, scope = family.split("@", 1)
                out.extend(pagecache.scoped_families(name, scope, obj.pk))
            else:
                out.append(family)
        return tuple(out)


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


def render_section(section: PageSection, obj: Any, request: HttpRequest | None) -> str:
    context = section.context(request, obj)
    if context is None:
        return ""
    return render_to_string(section.template, context, request=request).strip()


def render_sections(page: str, slot: str, obj: Any, request: HttpRequest | None) -> SafeString:
    """The HTML of a page's slot for this object: each shown section, one after the other (the
    kept ones from their fragments)."""
    sections = sections_for(page, slot)
    kept = [s for s in sections if s.families is not None]
    html: dict[str, str] = {}
    if kept:
        found = pagecache.fragments(
            [(_fragment_name(s, obj), s.families_for(obj), _builder(s, obj)) for s in kept]
        )
        html = {s.name: value for s, value in zip(kept, found, strict=True)}
    parts = [html[s.name] if s.name in html else render_section(s, obj, request) for s in sections]
    return format_html_join("\n", "{}", ((SafeString(p),) for p in parts if p))


def kept_fragments(page: str, slot: str, obj: Any) -> list[tuple[str, tuple[str, ...]]]:
    """The fragments (name, families) of a slot's kept sections, for `pagecache.prefetch`."""
    return [
        (_fragment_name(s, obj), s.families_for(obj))
        for s in sections_for(page, slot)
        if s.families is not None
    ]


def _fragment_name(section: PageSection, obj: Any) -> str:
    return f"section:{section.name}:{getattr(obj, 'pk', obj)}"


def _builder(section: PageSection, obj: Any) -> Callable[[], str]:
    return lambda: render_section(section, obj, None)
