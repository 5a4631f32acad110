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
