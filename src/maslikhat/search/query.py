"""A visitor's query, parsed safely into words, phrases, exclusions and alternatives.

The syntax is the web search one (PostgreSQL's `websearch_to_tsquery`): words are all required,
`"several words"` is a phrase, `-word` excludes, `or` between two parts offers alternatives.
Only letters and digits survive as words, so nothing a visitor types reaches an engine's
query language: PostgreSQL gets a normalized websearch text, SQLite's FTS5 a MATCH expression
of quoted terms. A query that cannot be searched raises `QueryError` with a code and a
translated message (empty, too long, punctuation only, only exclusions, unstorable characters).

Kazakh typed without the Kazakh letters (a phone's Russian keyboard: к for қ, а for ә, н for ң,
у for ү and ұ, о for ө, г for ғ, и or a Latin i for і, х for һ; е for ё in Russian) is met by one
function, `fold`, on both sides: the index adds the folded spelling of a text (and, for Kazakh,
the light stems of its folded words) after its own text (`index_tail`), and a query is searched
as itself, then folded, then as folded stems, as alternatives, so the exact spelling matches
every alternative and ranks above a folded or stem-only match.
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
        for group in self.searched_groups:
            for term in group:
                if not term.negated:
                    for w in term.words:
                        seen.setdefault(w, None)
        return list(seen)

    @property
    def searched_groups(self) -> tuple[tuple[Term, ...], ...]:
        """The groups without their function words ("с", "в", "және": `_STOP_WORDS`), unless a
        group is nothing else: PostgreSQL's Russian configuration drops them from a text, the
        Kazakh one keeps them, and in either engine such a word's list of documents is the whole
        index, read through for nothing."""
        out = []
        for group in self.groups:
            kept = tuple(t for t in group if not _is_stop_word(t))
            out.append(kept if any(not t.negated for t in kept) else group)
        return tuple(out)

    def alternatives(self, *, stems: bool = True) -> tuple[tuple[Term, ...], ...]:
        """What the engines search, as alternatives, each variant once: the groups as typed, then
        each group folded (`fold`), then (with `stems`) its folded words as their light stems.
        The index holds the folded spelling of every text and the folded stems of Kazakh text
        (`index_tail`), so a document spelled as the query matches every variant and ranks above
        one that only matches folded or by stem. Excluded words and phrases stay folded words
        (never stems: an exclusion does not widen). Last, with `stems`, a group with a
        settlement noun ("ауылы", "село") and other words, folded and stemmed without the noun:
        the settlements of the reference data are named in Russian only ("с.Жанатилеу"), so
        "Жанатілеу ауылы" finds them (documents with the noun as well match more, rank first)."""
        groups = self.searched_groups
        out: dict[tuple[Term, ...], None] = dict.fromkeys(groups)
        for group in groups:
            out.setdefault(tuple(_folded(t) for t in group), None)
        if stems:
            for group in groups:
                out.setdefault(tuple(_stemmed(t) for t in group), None)
            for group in groups:
                kept = [t for t in group if not _is_settlement_noun(t)]
                if len(kept) < len(group) and any(not t.negated for t in kept):
                    out.setdefault(tuple(_folded(t) for t in kept), None)
                    out.setdefault(tuple(_stemmed(t) for t in kept), None)
        return tuple(out)

    def text(self) -> str:
        """The query as understood, in web-search syntax (normalized; for display)."""
        return _websearch(self.groups)

    def websearch(self) -> str:
        """The query as web-search text for PostgreSQL, built from the parsed words only: the
        query as typed, then its folded spelling, then its folded stems, as alternatives (`or`),
        as long as they fit in `2 * MAX_QUERY_LENGTH` characters (the longer ones go first)."""
        for variant in (self.alternatives(), self.alternatives(stems=False)):
            text = _websearch(variant)
            if len(text) <= 2 * MAX_QUERY_LENGTH:
                return text
        return self.text()

    def fts5(self, *, prefix: bool = True) -> str:
        """The query as an FTS5 MATCH expression: the groups as typed in quoted terms, each word
        a prefix (its light stem, so that Kazakh and Russian word forms meet), phrases exact;
        then the other `alternatives` as exact words (the folded words and stems of the index's
        tail, or a Russian name spelled so), as PostgreSQL searches them."""
        alternatives = []
        for group in self.alternatives():
            exact = not prefix or group not in self.searched_groups
            positive = [t for t in group if not t.negated]
            negative = [t for t in group if t.negated]
            expr = " AND ".join(_fts5_term(t, prefix=not exact) for t in positive)
            for t in negative:
                expr = f"({expr}) NOT {_fts5_term(t, prefix=not exact)}"
            alternatives.append(f"({expr})")
        return " OR ".join(alternatives)


def _websearch(groups: tuple[tuple[Term, ...], ...]) -> str:
    parts = []
    for group in groups:
        terms = []
        for term in group:
            text = term.words[0] if len(term.words) == 1 else '"' + " ".join(term.words) + '"'
            terms.append(("-" if term.negated else "") + text)
        parts.append(" ".join(terms))
    return " or ".join(parts)


def _is_settlement_noun(term: Term) -> bool:
    return len(term.words) == 1 and not term.negated and fold(stem(term.words[0])) in _SETTLEMENT_STEMS


def _folded(term: Term) -> Term:
    return Term(tuple(fold(w) for w in term.words), term.negated)


def _stemmed(term: Term) -> Term:
    words = tuple(fold(w) for w in term.words)
    if len(words) == 1 and not term.negated:
        words = (fold(stem(term.words[0])),)
    return Term(words, term.negated)


def _fts5_term(term: Term, *, prefix: bool) -> str:
    if len(term.words) > 1:
        return '"' + " ".join(term.words) + '"'
    word = term.words[0]
    stemmed = stem(word)
    if prefix and len(stemmed) >= MIN_PREFIX:  # "к"* would merge the doclists of every к-word
        return '"' + stemmed + '"*'
    return '"' + word + '"'


MIN_PREFIX = 3  # the shortest stem searched as a prefix (FTS5); a shorter word is exact


def _is_stop_word(term: Term) -> bool:
    """A function word to look for, not an excluded one (excluding it costs nothing)."""
    return len(term.words) == 1 and not term.negated and fold(term.words[0]) in _STOP_WORDS


# ------------------------------------------------------------------ folding

# The Kazakh letters a Russian keyboard lacks, as they are typed without them; and ё as е.
FOLD_FROM, FOLD_TO = "әіңғүұқөһёӘІҢҒҮҰҚӨҺЁ", "аингуукохеАИНГУУКОХЕ"  # also SQL's translate()
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_I = re.compile(r"[^\W\d_]*[iI][^\W\d_]*")  # a word with a Latin i (in Cyrillic: і)
_LATIN_I_FOLD = str.maketrans("iI", "иИ")
_KAZAKH_ONLY = frozenset("әіңғүұқөһӘІҢҒҮҰҚӨҺ")


def _fold_latin_i(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(_LATIN_I_FOLD) if _CYRILLIC.search(word) else word


def fold(text: str) -> str:
    """`text` as typed without the Kazakh letters: ә а, і и, ң н, ғ г, ү у, ұ у, қ к, ө о, һ х
    (and the Latin i of a Cyrillic word и), ё е; the case kept, one character for one (the same
    length), idempotent. The one folding of the query side and the index side."""
    folded = text.translate(_FOLD)
    if "i" in folded or "I" in folded:
        folded = _LATIN_I.sub(_fold_latin_i, folded)
    return folded


def has_kazakh_letters(text: str) -> bool:
    return any(c in _KAZAKH_ONLY for c in text)


# The index's own part of a document's text, after its visible text and this mark (an invisible
# separator; no engine reads it as a letter): `visible_text` is what a page shows of the text.
INDEX_MARK = "\u2063"


def visible_text(body: str) -> str:
    """A document's text without the part the index adds (`index_tail`)."""
    return body.partition(INDEX_MARK)[0].rstrip()


def index_tail(title: str, body: str, language: str) -> str:
    """What the index adds to a document's text so that `alternatives` find it: each line of
    the title and the text whose folded spelling differs, folded; and for Kazakh the folded
    light stems of its words (PostgreSQL's Kazakh dictionary lacks many word forms). Empty when
    folding changes nothing and there is nothing to stem."""
    lines = [folded for line in (title + "\n" + body).splitlines() if (folded := fold(line)) != line]
    if language == "kk":
        seen: dict[str, None] = {}
        for word in _WORD.findall((title + "\n" + body).lower()):
            short = fold(stem(word[:MAX_WORD_LENGTH]))
            if short != fold(word[:MAX_WORD_LENGTH]):
                seen.setdefault(short, None)
        if seen:
            lines.append(" ".join(seen))
    return "\n".join(lines)


# ------------------------------------------------------------------ light stems

# Light suffix stripping for the prefix queries of the embedded engine and the stems of the
# index (PostgreSQL has real dictionaries, which lack many Kazakh forms): the longest known
# Kazakh ending goes, then up to two more of two letters or longer (өтініштеріне: өтініштер,
# өтініш), else one Russian ending; the stem keeps 4 letters. The first Kazakh ending, when it
# has two letters or more, is known folded too (депутаттарга); the next ones only as written,
# so that a Russian word does not lose its letters to folded Kazakh endings.
_KK_ENDINGS_TYPED = {
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
    *"сының сінің сына сіне сында сінде сынан сінен сын сін сымен сімен ымен імен".split(),
    *"дағы дегі тағы тегі ндағы ндегі".split(),
}
_KK_ENDINGS = sorted(
    _KK_ENDINGS_TYPED | {e.translate(_FOLD) for e in _KK_ENDINGS_TYPED if len(e) >= 2},
    key=len,
    reverse=True,
)
_KK_ENDINGS_AGAIN = sorted((e for e in _KK_ENDINGS_TYPED if len(e) >= 2), key=len, reverse=True)
_RU_ENDINGS = sorted(
    {
        *"ами ями ого его ому ему ыми ими ах ях ам ям ов ев ей ой ый ий ая яя ое ее ые ие ом ем".split(),
        *"ую юю ых их а я о е ы и у ю ь ия ию ии".split(),
        # adjectives of a place or an institution: Темирский, районный (the noun is the stem)
        *"ный ная ное ные ного ному ным ными ных ной ную".split(),
        *"ский ская ское ские ского скому ским ских ской скую".split(),
    },
    key=len,
    reverse=True,
)
_MIN_STEM = 4
_KK_PASSES = 3


# The nouns of a settlement in Kazakh and Russian, their forms by their folded stems.
_SETTLEMENT_NOUNS = (
    "ауыл ауылы ауылында ауылына ауылының ауылдағы кент кенті кентінде"
    " село селе села селу селом поселок посёлок поселка посёлка поселке посёлке деревня деревне"
)


def _strip(word: str, endings: list[str]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def stem(word: str) -> str:
    current = word
    for n in range(_KK_PASSES):
        shorter = _strip(current, _KK_ENDINGS if n == 0 else _KK_ENDINGS_AGAIN)
        if shorter == current:
            break
        current = shorter
    if current != word:
        return current
    return _strip(word, _RU_ENDINGS)


_SETTLEMENT_STEMS = frozenset(fold(stem(w)) for w in _SETTLEMENT_NOUNS.split())

# Words too common to search for (`ParsedQuery.searched_groups`):
# the Russian list of PostgreSQL's `russian` configuration (Snowball's), and Kazakh
# conjunctions, particles and pronouns; compared folded.
_STOP_WORDS = frozenset(
    fold(w)
    for w in (
        "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее"
        " мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть"
        " был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть"
        " надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда"
        " кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас"
        " были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот"
        " через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед"
        " иногда лучше чуть том нельзя такой им более всегда конечно всю между"
        " және мен пен бен да де та те үшін бұл ол осы сол мұнда ма ме ба бе па пе ғой қой әрі не"
    ).split()
)


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
