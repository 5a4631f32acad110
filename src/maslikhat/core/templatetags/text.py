"""`{% load text %}` … `{{ value|clean_display }}`: text shown on a page that did not come in
through core.text.clean_text (reference data, imported names), with bidi controls removed."""

from __future__ import annotations

from typing import Any

from django import template

from maslikhat.core.text import clean_display as _clean_display

register = template.Library()


@register.filter(is_safe=True)
def clean_display(value: Any) -> Any:
    """Bidirectional control characters removed; escaping stays as it was (autoescape applies)."""
    return _clean_display(value) if isinstance(value, str) else value
