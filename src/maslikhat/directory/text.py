"""Search keys: names folded so that any spelling of a place finds it, on SQLite and PostgreSQL.

SQLite's LOWER and LIKE fold only ASCII, so "шымкент" would not find "Шымкент". Each area
stores a normalised key (`Area.search_key`) built from all its names, and a query is
normalised the same way before it is compared with `contains`:

- case folded (``str.casefold``), then decomposed (NFKD) with the combining marks dropped:
  "ё" → "е", "й" → "и", Latin "ä" → "a";
- the Kazakh letters folded onto their nearest Russian/Latin-less Cyrillic ones
  (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и), so "Бірлік" and "Бирлик" are one key;
- every run of characters that is neither a letter nor a digit becomes one space
  ("с.Бирлик" → "с бирлик").

The key joins the normalised names with KEY_SEPARATOR, which no normalised query contains, so a
match never spans two names.

A query may also be one letter off (missing, extra or wrong): `fuzzy_pattern` builds one
regular expression for that, and `fuzzy_prefilter` the two substrings one of which any such
match must contain (an edit leaves either the first or the second half of the query intact),
so the database narrows the candidates before Python checks them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

KEY_SEPARATOR = "|"
KAZAKH_FOLD = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ı": "i"}
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Shorter queries are matched exactly: one letter off a three-letter query matches nearly anything.
FUZZY_MIN_LENGTH = 4


def normalise(text: str) -> str:
    """The folded form of a name or a query (see the module docstring)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.translate(KAZAKH_FOLD)
    return _NOT_WORD.sub(" ", folded).strip()


def search_key(names: Iterable[str]) -> str:
    """The stored key: the distinct normalised names, between separators ("|a|b|")."""
    parts: list[str] = []
    for name in names:
        n = normalise(name or "")
        if n and n not in parts:
            parts.append(n)
    if not parts:
        return ""
    return KEY_SEPARATOR + KEY_SEPARATOR.join(parts) + KEY_SEPARATOR


def fuzzy_prefilter(query: str) -> tuple[str, str]:
    """Two substrings of a normalised query; any name one edit away from it contains one."""
    half = len(query) // 2
    return query[:half], query[half:]


def fuzzy_pattern(query: str) -> re.Pattern[str]:
    """Matches a key containing a part of a name at most one letter off the normalised query
    (a letter missing, extra or wrong)."""
    any_letter = "[^" + re.escape(KEY_SEPARATOR) + " ]"
    options = {re.escape(query)}
    for i in range(len(query)):
        head, tail = re.escape(query[:i]), re.escape(query[i + 1 :])
        options.add(head + any_letter + tail)  # one letter wrong
        options.add(head + tail)  # one letter extra in the query
        options.add(head + any_letter + re.escape(query[i:]))  # one letter missing from the query
    return re.compile("|".join(sorted(options, key=len, reverse=True)))
