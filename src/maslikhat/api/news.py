"""API adapters for news (read-only public endpoints): published publications, filtered by body,
area (code; the area's news as on the site: concerning it or any area above it) and tag."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from maslikhat.core.i18n import all_languages, localized_with_language
from maslikhat.directory import selectors as directory_selectors
from maslikhat.news import selectors
from maslikhat.news.models import Publication

from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import BodyRef, Code, Id, Names, Out, PageQuery, body_ref

router = Router(tags=["news"])

LIST_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}
DETAIL_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}

Language = Literal["kk", "ru", "en"]


# ------------------------------------------------------------------ schemas


class NewsFilters(PageQuery):
    body: Id | None = Field(None, description="id of the publishing body")
    area: Code | None = Field(None, description="code of an area: news concerning it or any area above it")
    tag: Code | None = Field(None, description="code of a tag")
    lang: Language | None = Field(None, description="also give each text in this language, with fallback")


class LangQuery(Schema):
    lang: Language | None = Field(None, description="also give each text in this language, with fallback")


class TagOut(Out):
    code: str
    name: Names


class ShownOut(Out):
    """A text in the language asked for, or in another when it is missing (`language` says which)."""

    title: str
    title_language: str
    text: str
    text_language: str
    fallback: bool = Field(description="true when the title or the text is not in the language asked for")


class NewsOut(Out):
    id: int
    body: BodyRef
    title: Names
    published_on: date | None
    published_at: datetime | None
    tags: list[TagOut]
    areas: list[str] = Field(description="codes of the areas concerned (empty: the body's whole area)")
    photo_url: str | None
    url: str
    is_demo: bool
    shown: ShownOut | None = Field(description="with `lang`: the title and text in that language")


class NewsDetailOut(NewsOut):
    text: Names


class NewsPage(Out):
    items: list[NewsOut]
    count: int


# ------------------------------------------------------------------ mapping (no queries)


def _shown(p: Publication, lang: str | None) -> ShownOut | None:
    if lang is None:
        return None
    title, title_lang = localized_with_language(p, "title", lang)
    text, text_lang = localized_with_language(p, "text", lang)
    return ShownOut(
        title=title,
        title_language=title_lang,
        text=text,
        text_language=text_lang,
        fallback=title_lang != lang or text_lang != lang,
    )


def _fields(p: Publication, lang: str | None) -> dict[str, Any]:
    return {
        "id": p.pk,
        "body": body_ref(p.body),
        "title": Names(**all_languages(p, "title")),
        "published_on": p.published_on,
        "published_at": p.published_at,
        "tags": [TagOut(code=t.code, name=Names(**all_languages(t, "name"))) for t in p.tags.all()],
        "areas": [a.code for a in p.areas.all()],
        "photo_url": reverse("news:photo", kwargs={"pk": p.pk}) if p.photo else None,
        "url": reverse("news:detail", kwargs={"pk": p.pk}),
        "is_demo": p.is_demo,
        "shown": _shown(p, lang),
    }


# ------------------------------------------------------------------ endpoints


@router.get("/news", response={200: NewsPage, **LIST_ERRORS}, summary="Published news")
def news(request: HttpRequest, f: Query[NewsFilters]) -> NewsPage:
    area = None
    if f.area:
        area = directory_selectors.area_get(code=f.area)
        if area is None:
            raise ApiError(404, "not_found", _("No area with this code."))
    qs = selectors.publication_list(body_id=f.body, area=area, tag_code=f.tag)
    items = [NewsOut(**_fields(p, f.lang)) for p in qs[f.offset : f.offset + f.limit]]
    return NewsPage(items=items, count=qs.count())


@router.get("/news/{news_id}", response={200: NewsDetailOut, **DETAIL_ERRORS}, summary="One publication")
def news_detail(request: HttpRequest, news_id: Path[Id], q: Query[LangQuery]) -> NewsDetailOut:
    p = selectors.publication_get(pk=news_id)
    if p is None or not p.is_public:
        raise ApiError(404, "not_found", _("No published news with this id."))
    return NewsDetailOut(**_fields(p, q.lang), text=Names(**all_languages(p, "text")))
