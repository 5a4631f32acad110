"""The site's home page; the directory's pages are in maslikhat.directory.views."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from maslikhat.directory import selectors
from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Area
from maslikhat.directory.views import remembered_area_code
from maslikhat.news import selectors as news_selectors
from maslikhat.notifications.selectors import followed_area_code

from . import selectors as web_selectors


def _visitor_area(request: HttpRequest) -> Area | None:
    """The remembered area of this visitor, else the area a logged-in user follows."""
    code = remembered_area_code(request) or followed_area_code(user=request.user)
    return selectors.area_get(code=code) if isinstance(code, str) and code else None


def home(request: HttpRequest) -> HttpResponse:
    """The home page; a visitor whose area is known (the last "find my deputies" result, kept
    in the session, or the area a logged-in user follows) sees their maslikhats, deputies and
    news first."""
    regional = selectors.maslikhat_list().filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
    area = _visitor_area(request)
    if area is not None:
        news = news_selectors.latest(area=area)
        news_heading = _("News for %(area)s") % {"area": area.name}
        more_url = reverse("news:area", kwargs={"code": area.code})
        feed_url = reverse("news:area_feed", kwargs={"code": area.code})
    else:
        news = news_selectors.national()
        news_heading = _("National news")
        more_url = reverse("news:index")
        feed_url = reverse("news:feed")
    return render(
        request,
        "web/home.html",
        {
            "map_svg": selectors.country_map_svg(),
            "maslikhats": regional,
            "visitor_area": area,
            "visitor_bodies": web_selectors.visitor_bodies(area=area) if area is not None else [],
            "news_items": news,
            "news_heading": news_heading,
            "news_more_url": more_url,
            "news_feed_url": feed_url,
        },
    )


PUBLIC_APPEALS_PER_PAGE = 20


def body_appeals(request: HttpRequest, pk: int) -> HttpResponse:
    """A maslikhat's public appeals with their answers, dated; each has an anchor the
    maslikhat's page links to."""
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1
    found = web_selectors.body_public_appeals_page(pk=pk, page=number, per_page=PUBLIC_APPEALS_PER_PAGE)
    if found is None:
        raise Http404
    return render(request, "web/body_appeals.html", {"page": found, "org": found.body})
