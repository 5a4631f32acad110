"""Marks on server-drawn SVG maps, set as attributes (styled by site.css), never inline styles:
the Content-Security-Policy allows no style element or style attribute."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def current_shape(svg: str, key: str) -> str:
    """The map with the shape whose data-key is `key` marked aria-current="location" (the
    constituency of the page, highlighted by site.css and announced by screen readers)."""
    if not key:
        return svg
    attribute = f'data-key="{escape(key)}"'
    marked = str(svg).replace(attribute, f'{attribute} aria-current="location"', 1)
    return mark_safe(marked) if isinstance(svg, SafeString) else marked  # noqa: S308 - the map's own markup
