"""Helpers for content stored in three languages (`<field>_kk`, `<field>_ru`, `<field>_en`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("kk", "ru", "en")
# When the wanted language is missing, fall back in this order.
FALLBACK_ORDER = {"kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en"), "en": ("en", "ru", "kk")}


def current_language() -> str:
    lang = (get_language() or "kk")[:2]
    return lang if lang in CONTENT_LANGUAGES else "kk"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The value of `field` in `language` (default: the active one), falling back to the others."""
    lang = language or current_language()
    for code in FALLBACK_ORDER.get(lang, CONTENT_LANGUAGES):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def localized_with_language(obj: Any, field: str, language: str | None = None) -> tuple[str, str]:
    """Like `localized`, also telling which language the value is in (for a visible fallback)."""
    lang = language or current_language()
    for code in FALLBACK_ORDER.get(lang, CONTENT_LANGUAGES):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value), code
    return "", lang


def all_languages(obj: Any, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in CONTENT_LANGUAGES}


def language_in(code: str) -> str:
    """'in Russian', 'in Kazakh', 'in English': the mark beside content shown in a fallback
    language (a whole phrase per language, so each translation can inflect it)."""
    from django.utils.translation import gettext as _

    marks = {"kk": _("in Kazakh"), "ru": _("in Russian"), "en": _("in English")}
    return str(marks.get(code, code))


def fallback_html(obj: Any, field: str, language: str | None = None) -> str:
    """The value of a three-language field as HTML for a page in `language` (default: the
    active one): plain escaped text when it is in the page's language; otherwise wrapped in a
    `<span lang="..">` with a small visible "(in Russian)" mark, so a reader and a screen reader
    both know the page fell back. A record written in one language (a `field` and a `language`
    attribute) is marked when that language is not the page's. The one renderer of translated
    content in lists and pages."""
    from django.utils.html import format_html

    page = language or current_language()
    if hasattr(obj, f"{field}_{CONTENT_LANGUAGES[0]}"):
        value, lang = localized_with_language(obj, field, page)
    else:  # a text written once, in the language of its record (a proposal, an appeal)
        value = str(getattr(obj, field, "") or "")
        lang = str(getattr(obj, "language", "") or page)
    if not value or lang == page:
        return str(format_html("{}", value))
    return str(
        format_html(
            '<span lang="{}" class="in-fallback">{}</span> <small class="fallback-mark">({})</small>',
            lang,
            value,
            language_in(lang),
        )
    )
