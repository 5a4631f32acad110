"""Plain-text emails: the one way the product renders them.

Django's template engine HTML-escapes every variable, also in a ``.txt`` template: a citizen
named "O'Brien & Sons" would read "O&#x27;Brien &amp; Sons" in the email. `render_text`
renders a template with autoescaping off (the text is not HTML; nothing in it is markup), and
`render_subject` also folds it onto one line (a header cannot hold a line break).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template import Context
from django.template.loader import get_template


def render_text(template_name: str, context: Mapping[str, Any]) -> str:
    """The template rendered as plain text: variables exactly as they are, never HTML-escaped."""
    template: Any = get_template(template_name)
    # The Django backend's wrapper holds the engine-level template, which takes a Context.
    return str(template.template.render(Context(dict(context), autoescape=False)))


def render_subject(template_name: str, context: Mapping[str, Any]) -> str:
    """A subject line: `render_text` with every run of white space (line breaks too) one space."""
    return " ".join(render_text(template_name, context).split())
