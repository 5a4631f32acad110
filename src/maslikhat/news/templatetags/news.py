"""Template helpers for content in three languages, with a visible note when falling back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from maslikhat.core.i18n import current_language, localized_with_language

register = template.Library()


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@dataclass(frozen=True)
class Shown:
    """A value in a language; `fallback` when it is not in the language the page asked for."""

    value: str
    lang: str
    wanted: str

    @property
    def fallback(self) -> bool:
        return bool(self.value) and self.lang != self.wanted

    @property
    def note(self) -> str:
        if not self.fallback:
            return ""
        return _("Not available in %(wanted)s; shown in %(shown)s.") % {
            "wanted": language_name(self.wanted),
            "shown": language_name(self.lang),
        }

    def __str__(self) -> str:
        return self.value


def shown(obj: Any, field: str, language: str | None = None) -> Shown:
    wanted = language or current_language()
    value, lang = localized_with_language(obj, field, wanted)
    return Shown(value=value, lang=lang, wanted=wanted)


@register.simple_tag
def in_language(obj: Any, field: str) -> Shown:
    """`{% in_language pub "title" as t %}` then `t.value`, `t.lang`, `t.fallback`, `t.note`."""
    return shown(obj, field)
