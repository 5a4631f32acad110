"""The relevance set of bench/search (relevance.json) and its evaluation: recall of an expected
document among the first results, shared by bench/search/run.py and tests/search/test_relevance.py.

An expected document is named by a stable key (an area's code, a body's slug, a person's Kazakh
name, a body whose sitting deputies are all expected (a query asking for a maslikhat's deputies),
the title of a news item, a council meeting or a recommendation), resolved against the
database at run time to the page it has on the site; a result is that document when its address
is that page (in any language).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError
from django.db.models import Q

SET = Path(__file__).resolve().parent / "relevance.json"
LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class Case:
    q: str
    language: str
    what: str
    expect: tuple[tuple[str, str], ...]  # (key kind, key)
    suite: bool = False


@dataclass
class Outcome:
    case: Case
    rank: int | None  # 1-based rank of the first expected document in the results, None: absent
    expected_paths: list[str]
    top: list[str] = field(default_factory=list)  # "kind: title" of the first results
    error: str = ""

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= 3


def load(*, suite_only: bool = False) -> list[Case]:
    data = json.loads(SET.read_text(encoding="utf-8"))
    cases = [
        Case(
            q=row["q"],
            language=row["language"],
            what=row.get("what", ""),
            expect=tuple((k, v) for item in row["expect"] for k, v in item.items()),
            suite=bool(row.get("suite")),
        )
        for row in data["queries"]
    ]
    return [c for c in cases if c.suite] if suite_only else cases


def _neutral(path: str) -> str:
    """A site path without its language prefix and host: "/kk/areas/KZ-10/" -> "/areas/KZ-10/"."""
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    parts = path.split("/", 2)
    if len(parts) == 3 and parts[0] == "" and parts[1] in LANGUAGES:
        return "/" + parts[2]
    return path


def _reverse(name: str, *args: Any) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("kk"):
        return _neutral(reverse(name, args=args))


def resolve(kind: str, key: str) -> list[str]:
    """The language-neutral site paths of the documents a key names ([] when none)."""
    if kind == "area":
        from maslikhat.directory.models import Area

        return [_reverse("directory:area", key)] if Area.objects.filter(code=key).exists() else []
    if kind == "body":
        from maslikhat.directory.models import Organization

        return [
            _reverse("directory:body", pk)
            for pk in Organization.objects.filter(slug=key).values_list("pk", flat=True)
        ]
    if kind == "person":
        from maslikhat.directory.models import Person

        people = list(Person.objects.filter(name_kk=key).values_list("pk", flat=True))
        # a sitting deputy's page, or the directory's page of the person
        return [_reverse(name, pk) for pk in people for name in ("deputies:deputy", "directory:person")]
    if kind == "deputies_of":
        from maslikhat.directory.models import Membership

        members = set(
            Membership.objects.current().filter(organization__slug=key).values_list("person_id", flat=True)
        )
        pages = ("deputies:deputy", "directory:person")
        return [_reverse(name, pk) for pk in sorted(members) for name in pages]
    if kind == "news":
        from maslikhat.news.models import Publication

        items = list(
            Publication.objects.filter(Q(title_kk=key) | Q(title_ru=key)).values_list("pk", flat=True)
        )
        return [_reverse("news:detail", pk) for pk in items]
    if kind == "meeting":
        from maslikhat.council.models import Meeting

        meetings = list(
            Meeting.objects.filter(Q(title_kk=key) | Q(title_ru=key)).values_list("pk", flat=True)
        )
        return [_reverse("council:meeting", pk) for pk in meetings]
    if kind == "recommendation":
        from maslikhat.council.models import Recommendation

        recs = list(
            Recommendation.objects.filter(Q(title_kk=key) | Q(title_ru=key)).values_list("pk", flat=True)
        )
        return [_reverse("council:recommendation", pk) for pk in recs]
    raise ValueError(f"unknown key kind {kind!r} in {SET.name}")


def evaluate(cases: list[Case], *, depth: int = 10) -> list[Outcome]:
    """Run every case through the search selector (the visitor's language = the query's)."""
    from maslikhat.search.query import QueryError
    from maslikhat.search.selectors import search

    outcomes = []
    for case in cases:
        expected = sorted({p for kind, key in case.expect for p in resolve(kind, key)})
        try:
            page = search(case.q, language=case.language, limit=depth)
        except QueryError as exc:
            outcomes.append(Outcome(case, None, expected, error=f"{exc.code}: {exc.message}"))
            continue
        except DatabaseError as exc:  # a bench's statement_timeout
            outcomes.append(Outcome(case, None, expected, error=f"database: {str(exc).strip()[:80]}"))
            continue
        rank = next((i for i, h in enumerate(page.results, 1) if _neutral(h.url) in expected), None)
        top = [f"{h.kind}: {h.title}" for h in page.results[:3]]
        outcomes.append(Outcome(case, rank, expected, top))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Recall at 3 (and at 1, 10) overall and per language, and the misses."""

    def recall(items: list[Outcome], k: int) -> float:
        return (
            round(sum(1 for o in items if o.rank is not None and o.rank <= k) / len(items), 3)
            if items
            else 0.0
        )

    by_language = {
        lang: {"queries": len(items), "recall_at_3": recall(items, 3)}
        for lang in LANGUAGES
        if (items := [o for o in outcomes if o.case.language == lang])
    }
    return {
        "queries": len(outcomes),
        "recall_at_1": recall(outcomes, 1),
        "recall_at_3": recall(outcomes, 3),
        "recall_at_10": recall(outcomes, 10),
        "by_language": by_language,
        "unresolved": [o.case.q for o in outcomes if not o.expected_paths],
        "misses": [
            {
                "q": o.case.q,
                "language": o.case.language,
                "what": o.case.what,
                "rank": o.rank,
                "expected": o.expected_paths,
                "top_3": o.top,
                **({"error": o.error} if o.error else {}),
            }
            for o in outcomes
            if not o.hit
        ],
    }
