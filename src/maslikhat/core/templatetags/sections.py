"""`{% page_sections "directory.body" "main" org %}`: the sections other apps registered for a
slot of this page (see maslikhat.core.sections); `... as name` keeps the HTML in a variable."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from maslikhat.core.sections import render_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context: template.Context, page: str, slot: str, obj: Any) -> SafeString:
    return render_sections(page, slot, obj, context.get("request"))
