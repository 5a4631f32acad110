"""API adapter for the public search: `GET /api/v1/search` (the same engine and index as the
search page: public content only, one result per object, the visitor's language first)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator

from maslikhat.search import selectors
from maslikhat.search.query import QueryError

from .errors import ApiError, ValidationErrorOut
from .schemas import Code, Id, Out, clean_api_text

router = Router(tags=["search"])

Language = Literal["kk", "ru", "en"]


# The query goes through the one text rule first (NUL, lone surrogates, invisible-only: the same
# 422 codes as every text field), then through the query parser (search/query.py).
SearchText = Annotated[str, AfterValidator(clean_api_text)]


class SearchFilters(Schema):
    q: SearchText = Field(
        ...,
        max_length=1000,
        description=(
            'words to look for, in any language (web-search syntax: "a phrase", -excluded, '
            "a or b); at most 200 characters and 12 words"
        ),
    )
    lang: Language | None = Field(
        None, description="the visitor's language, ranked first (default: Accept-Language)"
    )
    kind: list[str] | None = Field(None, description="only these kinds of result (repeat the parameter)")
    area: Code | None = Field(None, description="code of an area: results in it and in the areas below it")
    body: Id | None = Field(None, description="id of a maslikhat: its results only")
    date_from: date | None = Field(None, alias="from", description="dated on or after this day")
    date_to: date | None = Field(None, alias="to", description="dated on or before this day")
    limit: int = Field(20, ge=1, le=selectors.MAX_LIMIT, description="page size")
    offset: int = Field(0, ge=0, le=selectors.MAX_OFFSET, description="results to skip")


class HitOut(Out):
    kind: str = Field(description="the kind of result: area, body, deputy, news, decision, ...")
    key: str = Field(description="the object's public key within its kind (an area code, an id, ...)")
    title: str
    snippet_html: str = Field(description="escaped text around the match, the matched words in <mark>")
    url: str = Field(description="the page on the site")
    score: float
    date: date | None
    language: str = Field(description="the language of this title and snippet")


class SearchOut(Out):
    query: str = Field(description="the query as understood (normalized)")
    total: int = Field(
        description="results of the kinds asked for; a lower bound when `total_capped` (kinds are "
        "counted exactly up to a cap, see `capped_kinds`)"
    )
    total_capped: bool = Field(description="true when `total` is a lower bound")
    counts_by_kind: dict[str, int] = Field(description="results per kind, whatever kinds were asked for")
    capped_kinds: list[str] = Field(
        description="kinds with more results than counted: their count is the cap (shown as '100+')"
    )
    results: list[HitOut]


@router.get(
    "/search",
    response={200: SearchOut, 422: ValidationErrorOut},
    summary="Search everything public",
    description=(
        "Areas and villages, maslikhats, deputies, news, council meetings and recommendations, "
        "published answers to appeals, sessions, decisions, drafts, initiatives and budget "
        "projects. Kazakh and Russian word forms match (PostgreSQL dictionaries). A query that "
        "cannot be searched (empty, too long, punctuation only, only exclusions, characters "
        "that cannot be searched for) answers 422 like every refused field, with the query's "
        "own code and a translated message."
    ),
)
def search(request: HttpRequest, f: Query[SearchFilters]) -> Any:
    language = f.lang or (get_language() or "kk")[:2]
    try:
        page = selectors.search(
            f.q,
            language=language,
            kinds=f.kind or None,
            area_code=f.area,
            body_id=f.body,
            date_from=f.date_from,
            date_to=f.date_to,
            limit=f.limit,
            offset=f.offset,
        )
    except QueryError as exc:
        raise ApiError(
            422,
            "validation_error",
            _("Some fields are not valid."),
            errors=[{"field": "q", "code": exc.code, "message": str(exc.message)}],
        ) from exc
    return SearchOut(
        query=page.query,
        total=page.total,
        total_capped=page.total_capped,
        counts_by_kind=page.counts_by_kind,
        capped_kinds=sorted(page.capped_kinds),
        results=[
            HitOut(
                kind=h.kind,
                key=h.key,
                title=h.title,
                snippet_html=h.snippet_html,
                url=h.url,
                score=h.score,
                date=h.date,
                language=h.language,
            )
            for h in page.results
        ],
    )
