"""Template helpers every page uses for content: a translated field with its fallback mark,
and a date in the language's one format.

    {% load content %}
    {% tr pub "title" %}        escaped value; <span lang="ru">…</span> (in Russian) on fallback
    {{ meeting.held_on|day }}   <time datetime="2022-10-19">19 October 2022</time>
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from maslikhat.core.i18n import fallback_html

register = template.Library()


@register.simple_tag
def tr(obj: Any, field: str) -> SafeString:
    """A three-language field in the page's language, marked when shown in another one."""
    return mark_safe(fallback_html(obj, field))  # noqa: S308 - fallback_html escapes the value


@register.filter
def day(value: date | datetime | None, fmt: str = "DATE_FORMAT") -> SafeString | str:
    """A date (or a datetime, in local time) as `<time>` in the page language's format."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        machine = value.date().isoformat()
    elif isinstance(value, date):
        machine = value.isoformat()
    else:
        return str(value)
    return format_html('<time datetime="{}">{}</time>', machine, date_format(value, fmt))


@register.simple_tag
def tr_in(obj: Any, field: str, language: str) -> SafeString:
    """`tr` for a page in `language` rather than the active one (the newsroom's preview)."""
    return mark_safe(fallback_html(obj, field, language))  # noqa: S308 - fallback_html escapes
