"""A readable diff between two versions of a draft's text: paragraph by paragraph, and word by word
inside a changed paragraph, rendered as ``<ins>`` / ``<del>`` around escaped text.

Every piece of the user's text goes through `django.utils.html.escape` before it is marked safe;
nothing else is ever marked safe. Long paragraphs fall back to a whole-paragraph replacement so
that the word diff stays bounded (difflib is quadratic in the worst case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .services import paragraphs

# Beyond this many words in a pair of paragraphs the change is shown whole.
MAX_WORDS = 3000
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffParagraph:
    """One paragraph of the comparison: ``kind`` is equal, changed, added or removed."""

    kind: str
    html: SafeString


@dataclass(frozen=True)
class TextDiff:
    paragraphs: list[DiffParagraph]
    added: int
    removed: int
    changed: int

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _wrap(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def _words(old: str, new: str) -> str:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(a) + len(b) > MAX_WORDS:
        return _wrap("del", old) + " " + _wrap("ins", new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        out.append(_wrap("del", "".join(a[i1:i2])))
        out.append(_wrap("ins", "".join(b[j1:j2])))
    return "".join(out)


def text_diff(old: str, new: str) -> TextDiff:
    """The comparison of two texts, paragraphs separated by blank lines as on the draft page."""
    a, b = paragraphs(old), paragraphs(new)
    out: list[DiffParagraph] = []
    added = removed = changed = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [DiffParagraph("equal", mark_safe(escape(p))) for p in a[i1:i2]]  # noqa: S308
        elif op == "delete":
            removed += i2 - i1
            out += [DiffParagraph("removed", mark_safe(_wrap("del", p))) for p in a[i1:i2]]  # noqa: S308
        elif op == "insert":
            added += j2 - j1
            out += [DiffParagraph("added", mark_safe(_wrap("ins", p))) for p in b[j1:j2]]  # noqa: S308
        else:
            olds, news = a[i1:i2], b[j1:j2]
            pairs = min(len(olds), len(news))
            for k in range(pairs):
                changed += 1
                out.append(DiffParagraph("changed", mark_safe(_words(olds[k], news[k]))))  # noqa: S308
            for p in olds[pairs:]:
                removed += 1
                out.append(DiffParagraph("removed", mark_safe(_wrap("del", p))))  # noqa: S308
            for p in news[pairs:]:
                added += 1
                out.append(DiffParagraph("added", mark_safe(_wrap("ins", p))))  # noqa: S308
    return TextDiff(out, added, removed, changed)
