"""A visitor's query, parsed safely into words, phrases, exclusions and alternatives.

The syntax is the web search one (PostgreSQL's `websearch_to_tsquery`): words are all required,
`"several words"` is a phrase, `-word` excludes, `or` between two parts offers alternatives.
Only letters and digits survive as words, so nothing a visitor types reaches an engine's
query language: PostgreSQL gets a normalized websearch text, SQLite's FTS5 a MATCH expression
of quoted terms. A query that cannot be searched raises `QueryError` with a code and a
translated message (empty, too long, punctuation only, only exclusions, unstorable characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maslikhat.core.text import UnacceptableText, clean_text, is_invisible

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_WORD_LENGTH = 60

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # lower-case; more than one: a phrase
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[tuple[Term, ...], ...]  # alternatives (OR) of terms all required (AND)

    @property
    def words(self) -> list[str]:
        """The words looked for (not the excluded ones), in order, once each."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for term in group:
                if not term.negated:
                    for w in term.words:
                        seen.setdefault(w, None)
        return list(seen)

    def websearch(self) -> str:
        """The query as web-search text (for PostgreSQL), built from the parsed words only."""
        parts = []
        for group in self.groups:
            terms = []
            for term in group:
                text = term.words[0] if len(term.words) == 1 else '"' + " ".join(term.words) + '"'
                terms.append(("-" if term.negated else "") + text)
            parts.append(" ".join(terms))
        return " or ".join(parts)

    def fts5(self, *, prefix: bool = True) -> str:
        """The query as an FTS5 MATCH expression: quoted terms, each word a prefix (its light
        stem, so that Kazakh and Russian word forms meet); phrases exact."""
        alternatives = []
        for group in self.groups:
            positive = [t for t in group if not t.negated]
            negative = [t for t in group if t.negated]
            expr = " AND ".join(_fts5_term(t, prefix=prefix) for t in positive)
            for t in negative:
                expr = f"({expr}) NOT {_fts5_term(t, prefix=prefix)}"
            alternatives.append(f"({expr})")
        return " OR ".join(alternatives)


def _fts5_term(term: Term, *, prefix: bool) -> str:
    if len(term.words) > 1:
        return '"' + " ".join(term.words) + '"'
    word = term.words[0]
    if prefix:
        return '"' + stem(word) + '"*'
    return '"' + word + '"'


# Light suffix stripping for the prefix queries of the embedded engine (PostgreSQL has real
# dictionaries): the longest known Kazakh or Russian ending goes, the stem keeps 4 letters.
_KK_ENDINGS = sorted(
    {
        *"лар лер дар дер тар тер".split(),
        *"ның нің дың дің тың тің".split(),
        *"ға ге қа ке на не а е".split(),
        *"ны ні ды ді ты ті н".split(),
        *"да де та те нда нде".split(),
        *"дан ден тан тен нан нен".split(),
        *"мен бен пен".split(),
        *"ы і сы сі".split(),
        *"ларға лерге дарға дерге тарға терге".split(),
        *"лардың лердің дардың дердің тардың тердің".split(),
        *"ларды лерді дарды дерді тарды терді".split(),
        *"ларда лерде дарда дерде тарда терде".split(),
        *"лары лері дары дері тары тері".split(),
        *"ларын лерін дарын дерін тарын терін".split(),
        *"ының інің ына іне ында інде ынан інен ын ін".split(),
        *"дағы дегі тағы тегі".split(),
    },
    key=len,
    reverse=True,
)
_RU_ENDINGS = sorted(
    {
        *"ами ями ого его ому ему ыми ими ах ях ам ям ов ев ей ой ый ий ая яя ое ее ые ие ом ем".split(),
        *"ую юю ых их а я о е ы и у ю ь ия ию ии".split(),
    },
    key=len,
    reverse=True,
)
_MIN_STEM = 4


def stem(word: str) -> str:
    for endings in (_KK_ENDINGS, _RU_ENDINGS):
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                return word[: -len(ending)]
    return word


def _words(text: str) -> tuple[str, ...]:
    return tuple(w[:MAX_WORD_LENGTH] for w in _WORD.findall(text.lower()))


def parse(raw: object) -> ParsedQuery:
    """The parsed query, or QueryError."""
    text = raw.strip() if isinstance(raw, str) else ""
    if text and "\x00" not in text and all(is_invisible(c) for c in text):
        text = ""
    try:
        text = clean_text(text).strip() if text else ""
    except UnacceptableText as exc:
        raise QueryError(
            "invalid_characters", _("The search contains characters that cannot be searched for.")
        ) from exc
    if not text:
        raise QueryError("empty", _("Type a word to search for."))
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            "too_long",
            ngettext(
                "The search is too long: at most %(n)d character.",
                "The search is too long: at most %(n)d characters.",
                MAX_QUERY_LENGTH,
            )
            % {"n": MAX_QUERY_LENGTH},
        )
    groups: list[list[Term]] = [[]]
    count = 0
    for match in _TOKEN.finditer(text):
        if match.group(4) is not None:
            negated, raw_words = bool(match.group(3)), match.group(4)
            if raw_words.lower() == "or" and not negated:
                if groups[-1]:
                    groups.append([])
                continue
            words = _words(raw_words)
            # "a-b" and "x.y" are one term of several words (a phrase), as websearch reads them
        else:
            negated, words = bool(match.group(1)), _words(match.group(2))
        if not words:
            continue
        count += len(words)
        groups[-1].append(Term(words, negated))
    groups = [g for g in groups if g]
    if not groups:
        raise QueryError(
            "no_words", _("Type letters or digits to search for: punctuation alone finds nothing.")
        )
    if count > MAX_WORDS:
        raise QueryError(
            "too_many_words",
            ngettext("At most %(n)d word in one search.", "At most %(n)d words in one search.", MAX_WORDS)
            % {"n": MAX_WORDS},
        )
    if any(all(t.negated for t in g) for g in groups):
        raise QueryError("only_excluded", _("Add a word to look for: a search cannot only exclude words."))
    return ParsedQuery(tuple(tuple(g) for g in groups))
