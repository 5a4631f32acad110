"""The redaction the product proposes before an appeal and its answer are published.

Pure functions of text: staff read the proposal, edit it and approve it (services.
appeal_publication_approve); nothing here is ever published without that approval.

Removed: the applicant's own name (the full name and each of its words, in any letter case and
with the endings Kazakh and Russian add to names), address, phone, email and IIN as given in
the appeal, and any IIN-shaped (12 digits), Kazakh-phone-shaped (+7 7xx…, 8 7xx…, with spaces,
dashes or brackets) or email-shaped string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .applicant import Applicant

# Between the digits of a phone number: spaces, dashes, dots, brackets.
_SEP = r"[\s\-.()\u00a0]*"
EMAIL_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 12 digits not inside a longer run of digits (an IIN or a BIN).
IIN_RE = re.compile(r"(?<!\d)\d{12}(?!\d)")
# A Kazakh number: +7 or 8, then 10 digits of which the first is 7 (mobile 7xx, landline 7xx).
PHONE_RE = re.compile(r"(?<![\d+])(?:\+\s*7|8)" + _SEP + "7" + (r"(?:" + _SEP + r"\d)") * 9 + r"(?!\d)")
# Name endings (cases, possessives) Kazakh and Russian add to a name: at most this many letters.
NAME_ENDING_LETTERS = 4
# A name word shorter than this is matched only as written (no endings), e.g. "Ли", "Ан".
NAME_STEM_MIN = 4


def _flexible(literal: str) -> str:
    """A literal as a pattern in which any run of spaces matches any run of spaces."""
    return r"\s+".join(re.escape(part) for part in literal.split())


def _name_patterns(name: str) -> list[str]:
    words = [w for w in re.split(r"[\s,.]+", name) if w]
    patterns = []
    if len(words) > 1:
        patterns.append(_flexible(name))
    for word in sorted(set(words), key=len, reverse=True):
        if len(word) < 2:
            continue
        if len(word) >= NAME_STEM_MIN + 1:
            # the stem (without its last letter) with any ending: Бекова, Бековой, Бековаға
            stem = re.escape(word[:-1])
            patterns.append(rf"(?<!\w){stem}\w{{0,{NAME_ENDING_LETTERS}}}(?!\w)")
        else:
            patterns.append(rf"(?<!\w){re.escape(word)}(?!\w)")
    return patterns


def _address_patterns(address: str) -> list[str]:
    """The address as given, and its tails that still name a street and a number
    ("Мәңгілік Ел даңғылы, 8" out of "Астана, Мәңгілік Ел даңғылы, 8"); never a bare city."""
    segments = [s.strip() for s in address.split(",") if s.strip()]
    patterns = []
    for i in range(len(segments)):
        tail = segments[i:]
        joined = " ".join(tail)
        if not (any(c.isdigit() for c in joined) and any(c.isalpha() for c in joined)):
            continue
        patterns.append(r"\s*,?\s*".join(_flexible(s) for s in tail))
    return patterns


def _digits_pattern(value: str) -> str | None:
    """Any number with the same digits (the last ten, after +7 or 8, for a Kazakh number)."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) < 7:
        return None
    if len(digits) == 11 and digits[0] in "78":
        tail = _SEP.join(digits[1:])
        return rf"(?<![\d+])(?:(?:\+\s*7|8|7){_SEP})?{tail}(?!\d)"
    return r"(?<![\d+])\+?" + _SEP.join(digits) + r"(?!\d)"


def _applicant_patterns(applicant: Applicant) -> list[str]:
    patterns: list[str] = []
    if applicant.address.strip():
        patterns.extend(_address_patterns(applicant.address))
    if applicant.email.strip():
        patterns.append(re.escape(applicant.email.strip()))
    if applicant.phone.strip():
        patterns.append(re.escape(applicant.phone.strip()))
        digits = _digits_pattern(applicant.phone)
        if digits:
            patterns.append(digits)
    if applicant.iin.strip():
        patterns.append(re.escape(applicant.iin.strip()))
    if applicant.full_name.strip():
        patterns.extend(_name_patterns(applicant.full_name))
    return patterns


def _replace_all(text: str, patterns: Iterable[str | re.Pattern[str]], marker: str) -> str:
    for pattern in patterns:
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.IGNORECASE)
        text = regex.sub(marker, text)
    return text


def propose_redaction(text: str, *, applicant: Applicant, marker: str) -> str:
    """The text with the applicant's personal data and every personal-data-shaped string
    replaced by `marker`. The applicant's own values go first (the longest patterns), then
    the shapes."""
    out = _replace_all(text, _applicant_patterns(applicant), marker)
    out = _replace_all(out, (EMAIL_RE, PHONE_RE, IIN_RE), marker)
    # "[hidden] [hidden]" (given name and family name) reads as one gap
    doubled = re.compile(re.escape(marker) + r"(?:[\s,]+" + re.escape(marker) + ")+")
    return doubled.sub(marker, out)
