"""Reading the search index: `search()` for the page, the API and the saved searches."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from maslikhat.core.search import LANGUAGES, providers
from maslikhat.core.search import kinds as registered_kinds

from . import engines
from .models import SavedSearch, SearchDocument
from .query import ParsedQuery, QueryError, fold, parse, stem, visible_text

MAX_LIMIT = 100
MAX_OFFSET = 10_000
SNIPPET_LENGTH = 240


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: str
    title: str
    snippet_html: str  # escaped text, the matched words in <mark>
    url: str
    score: float
    date: date | None
    language: str
    title_html: str = ""  # the title, escaped, the matched words in <mark>
    object_id: int = 0
    body_id: int | None = None
    area_id: int | None = None


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchHit]
    total: int
    counts_by_kind: dict[str, int] = field(default_factory=dict)
    query: str = ""  # the query as understood (normalized web-search text)
    # kinds with more results than their count (engines.COUNT_CAP): shown as "1000+"
    capped_kinds: frozenset[str] = frozenset()
    total_capped: bool = False  # `total` is a lower bound: a kind it adds up is capped


def _marker(words: list[str]) -> re.Pattern[str] | None:
    stems = sorted({re.escape(stem(w)) for w in words if w}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(stems) + r")[^\W_]*", re.IGNORECASE)


def highlight(text: str, words: list[str], *, length: int | None = None) -> str:
    """Escaped `text` (its part around the first match, when `length` is given) with the words
    looked for, and their forms, in <mark>. Matched on the folded spelling of both (`fold`
    keeps every character's place), so "аудандык" marks "аудандық" as the engines found it."""
    rx = _marker([fold(w) for w in words])
    if length is not None and len(text) > length:
        first = rx.search(_folded_like(text)) if rx else None
        start = 0
        if first and first.start() > length // 3:
            start = text.rfind(" ", 0, first.start() - length // 3) + 1
        end = start + length
        if end < len(text):
            cut = text.rfind(" ", start, end)
            end = cut if cut > start else end
        text = ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
    if rx is None:
        return html.escape(text)
    parts, last = [], 0
    for m in rx.finditer(_folded_like(text)):
        parts.append(html.escape(text[last : m.start()]))
        parts.append("<mark>" + html.escape(text[m.start() : m.end()]) + "</mark>")
        last = m.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def _folded_like(text: str) -> str:
    """`fold(text)` when it keeps every character's place (it does), else the text itself."""
    folded = fold(text)
    return folded if len(folded) == len(text) else text


AREA_DEPTH = 8  # deeper than any area tree (country > region > district > okrug > village)


def area_path(area_code: str) -> str:
    """The index's path of an area ("/<root id>/.../<id>/"), in one query."""
    from maslikhat.directory.models import Area

    columns = ["id"] + ["__".join(["parent"] * n) for n in range(1, AREA_DEPTH)]
    chain = Area.objects.filter(code=area_code).values_list(*columns).first()
    if chain is None:
        raise QueryError("unknown_area", _("There is no area with this code."))
    ids = [str(i) for i in chain if i is not None]
    return "/" + "/".join(reversed(ids)) + "/"


def search(
    query: str,
    *,
    language: str,
    kinds: list[str] | None = None,
    area_code: str | None = None,
    body_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """The public documents matching `query`, best first, one per object; QueryError for a query
    that cannot be searched (or an unknown kind or area).

    Three queries: the counts by kind, the page of hits, the rows of those hits (plus one for
    the area filter), each bounded whatever the index's size: a kind's count is exact up to
    engines.COUNT_CAP (above it the kind is in `capped_kinds` and `total` is a lower bound), and
    the page is ranked among a bounded set of candidates (engines/common.py)."""
    parsed = parse(query)
    language = language if language in LANGUAGES else LANGUAGES[0]
    known = set(registered_kinds())
    wanted = tuple(dict.fromkeys(kinds or ()))
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise QueryError(
            "unknown_kind", _("Unknown kind of result: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    if date_from and date_to and date_from > date_to:
        raise QueryError("bad_dates", _("The start date is after the end date."))
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    filters = engines.Filters(
        kinds=wanted,
        area_path=area_path(area_code) if area_code else "",
        body_id=body_id,
        date_from=date_from,
        date_to=date_to,
    )
    counts = engines.counts(parsed, language, filters)
    by_kind = counts.by_kind
    counted = [k for k in by_kind if not wanted or k in wanted]
    total = sum(by_kind[k] for k in counted)
    rows = (
        engines.page(parsed, language, filters, limit=limit, offset=offset, counts=counts)
        if total > offset
        else []
    )
    return SearchPage(
        results=_hits(rows, parsed, language),
        total=total,
        counts_by_kind={k: by_kind[k] for k in registered_kinds() if by_kind.get(k)},
        query=parsed.text(),
        capped_kinds=frozenset(counts.capped),
        total_capped=any(k in counts.capped for k in counted),
    )


def _in_language(url: str, from_language: str, language: str) -> str:
    """The same page in the visitor's language (the site's paths carry the language prefix):
    a hit that matched in Russian opens in Kazakh for a Kazakh visitor."""
    prefix = f"/{from_language}/"
    return f"/{language}/{url[len(prefix) :]}" if url.startswith(prefix) else url


def _hits(rows: list[engines.Row], parsed: ParsedQuery, language: str) -> list[SearchHit]:
    if not rows:
        return []
    docs = SearchDocument.objects.only(
        "id",
        "kind",
        "key",
        "object_id",
        "language",
        "title",
        "body",
        "url",
        "date",
        "organization_id",
        "area_id",
    ).in_bulk([r.id for r in rows])
    words = parsed.words
    hits = []
    for row in rows:
        doc = docs.get(row.id)
        if doc is None:
            continue
        hits.append(
            SearchHit(
                kind=doc.kind,
                key=doc.key,
                title=doc.title,
                snippet_html=highlight(visible_text(doc.body), words, length=SNIPPET_LENGTH),
                url=_in_language(doc.url, doc.language, language),
                score=round(row.score, 6),
                date=doc.date,
                language=doc.language,
                title_html=highlight(doc.title, words),
                object_id=doc.object_id,
                body_id=doc.organization_id,
                area_id=doc.area_id,
            )
        )
    return hits


def kind_labels() -> list[tuple[str, Any]]:
    """(kind, its translated label) of every registered kind, in order."""
    return [(p.kind, p.label) for p in providers()]


def saved_searches(user: Any) -> list[SavedSearch]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(SavedSearch.objects.filter(user=user))


def saved_search_get(user: Any, pk: int) -> SavedSearch | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return SavedSearch.objects.filter(user=user, pk=pk).first()


def saved_search_exists(user: Any, query: str, kinds: list[str], area_code: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SavedSearch.objects.filter(
        user=user, query=query.strip()[:200], kinds=",".join(sorted(kinds)), area_code=area_code
    ).exists()


def area_choices(current_code: str = "") -> list[tuple[str, str]]:
    """(code, name) of the regions and cities of republican significance (the area filter's
    options), and the area chosen now when it is another one: one query."""
    from django.db.models import Q

    from maslikhat.directory.choices import AreaKind
    from maslikhat.directory.models import Area

    q = Q(kind=AreaKind.REGION)
    if current_code:
        q |= Q(code=current_code)
    areas = Area.objects.current().filter(q).only("code", "name_kk", "name_ru", "name_en").order_by("code")
    return sorted(((a.code, a.name) for a in areas), key=lambda pair: pair[1])
