"""The one rule for text a user sends: what is refused, what is removed, what is kept.

Every form (through `maslikhat.core.forms.SafeFormMixin`) and every string of the API (through
the annotated types in `maslikhat.api.schemas`) passes user text through `clean_text`:

- refused: NUL (PostgreSQL cannot store it), lone surrogates and other code points that are not
  characters (no encoding can store them), and text made only of invisible characters (spaces,
  no-break spaces, zero-width spaces and joiners, BOM, direction marks, fillers): a clear error
  with a stable code instead of a 500 or an "empty" record that looks filled in;
- removed: bidirectional control characters (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
  U+061C), which can make displayed text read differently from what was typed, and the other
  control characters except tab, line feed and carriage return (they break feeds and exports);
- kept: everything else, as typed (joiners inside emoji, Kazakh and Russian letters, ...).

`clean_display` does the removal only, for text shown on a page that did not come in through
`clean_text` (reference data, imports): the `clean_display` template filter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Direction overrides, embeddings and isolates, the left-to-right/right-to-left marks and the
# Arabic letter mark.
BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

NULL_CHARACTERS: Final = "null_characters"
INVALID_CHARACTERS: Final = "invalid_characters"
INVISIBLE_ONLY: Final = "invisible_only"

MESSAGES: Final[dict[str, Promise]] = {
    # Django's own msgid (forms.CharField says the same): its catalogues translate it too.
    NULL_CHARACTERS: _("Null characters are not allowed."),
    INVALID_CHARACTERS: _("This text contains characters that are not allowed."),
    INVISIBLE_ONLY: _("This text is made only of invisible characters: type visible text or leave it empty."),
}

# Removed: bidi controls, C0 controls but tab/LF/CR (NUL is refused before), DEL and C1 controls.
_REMOVED = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# Lone surrogates, and the noncharacters U+FFFE/U+FFFF.
_NOT_CHARACTERS = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Letters and symbols that render as nothing, besides the categories below.
_BLANK_GLYPHS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180b\u180c\u180d\u180e")
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


class UnacceptableText(ValueError):
    """The text is refused; `code` is stable, `message` translated."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = MESSAGES[code]


def is_invisible(char: str) -> bool:
    """True for a character that shows nothing on its own (a space, a mark, a joiner, a filler)."""
    return (
        char.isspace()
        or char in _BLANK_GLYPHS
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        or "\ufe00" <= char <= "\ufe0f"  # variation selectors
        or "\U000e0000" <= char <= "\U000e01ef"  # tags and supplementary variation selectors
    )


def clean_text(value: str, *, verbatim: bool = False) -> str:
    """The text as it may be stored, or UnacceptableText. The empty string stays empty.

    `verbatim` is for a secret compared as typed (a password): only what cannot be stored at all
    is refused (NUL, lone surrogates); nothing is removed and blanks are allowed."""
    if "\x00" in value:
        raise UnacceptableText(NULL_CHARACTERS)
    if _NOT_CHARACTERS.search(value):
        raise UnacceptableText(INVALID_CHARACTERS)
    if verbatim:
        return value
    cleaned = _REMOVED.sub("", value)
    if value and all(is_invisible(c) for c in cleaned):
        raise UnacceptableText(INVISIBLE_ONLY)
    return cleaned


def clean_display(value: str) -> str:
    """Text to show that did not come in through `clean_text`: bidi controls removed."""
    return _BIDI.sub("", value)


# ------------------------------------------------------------------ in services
#
# Pages that read request.POST directly and the API both end in a domain service, so the
# services apply the same rule to what they are given: one of these two functions.


def clean_input(value: object) -> str:
    """`clean_text`, stripped, for a service that checks emptiness itself: what is not text, or
    is refused by the rule (NUL, lone surrogates, only invisible characters), becomes "", so a
    required field refuses it as missing and an optional one stores nothing."""
    if not isinstance(value, str):
        return ""
    try:
        return clean_text(value).strip()
    except UnacceptableText:
        return ""


def field_text(
    field: str,
    value: object,
    *,
    max_length: int,
    errors: list[tuple[str, str, Any]],
    required: bool = True,
) -> str:
    """`clean_text`, stripped, for one field of a service's input: a refusal (the rule's code,
    `required`, `too_long`) is appended to `errors` with its translated message."""
    from maslikhat.core.errors import ErrorCode

    text = value if isinstance(value, str) else ""
    try:
        text = clean_text(text).strip()
    except UnacceptableText as exc:
        errors.append((field, exc.code, exc.message))
        return ""
    if not text:
        if required:
            errors.append((field, ErrorCode.REQUIRED, _("This field is required.")))
    elif len(text) > max_length:
        errors.append((field, ErrorCode.TOO_LONG, _("At most %(n)d characters.") % {"n": max_length}))
    return text
