"""The search page and the saved searches (thin: the selectors read, the services write)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import PER_PAGE, SearchForm
from .query import QueryError


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm.from_params(request.GET)
    language = (get_language() or "kk")[:2]
    context: dict[str, Any] = {
        "form": form,
        "kinds": selectors.kind_labels(),
        "page": None,
        "error": "",
        "search_query": form.q,  # the header's box shows it too
    }
    context["regions"] = selectors.area_choices(form.area)
    if form.q.strip():
        try:
            page = selectors.search(
                form.q, language=language, limit=PER_PAGE, offset=(form.page - 1) * PER_PAGE, **form.filters()
            )
        except QueryError as exc:
            context["error"] = exc.message
        else:
            context["page"] = page
            context["pages"] = max(1, -(-page.total // PER_PAGE))
            labels = dict(context["kinds"])
            links = [
                {
                    "kind": "",
                    "label": _("All"),
                    "count": sum(page.counts_by_kind.values()),
                    "capped": bool(page.capped_kinds),  # a lower bound: shown "3,000+"
                    "params": form.params(kind=[]),
                    "current": not form.kinds,
                }
            ]
            for kind, label in context["kinds"]:
                if page.counts_by_kind.get(kind):
                    links.append(
                        {
                            "kind": kind,
                            "label": label,
                            "count": page.counts_by_kind[kind],
                            "capped": kind in page.capped_kinds,
                            "params": form.params(kind=[kind]),
                            "current": form.kinds == [kind],
                        }
                    )
            context["kind_links"] = links
            context["hits"] = [(hit, labels.get(hit.kind, hit.kind)) for hit in page.results]
            context["first_number"] = (form.page - 1) * PER_PAGE + 1
            context["prev_params"] = form.params(page=form.page - 1)
            context["next_params"] = form.params(page=form.page + 1)
            context["saved"] = selectors.saved_search_exists(request.user, form.q, form.kinds, form.area)
    status = 400 if context["error"] else 200
    return render(request, "search/index.html", context, status=status)


@login_required
@require_GET
def saved(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "search/saved.html",
        {"saved_searches": selectors.saved_searches(request.user), "labels": dict(selectors.kind_labels())},
    )


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    form = SearchForm.from_params(request.POST)
    try:
        services.saved_search_create(
            user=request.user,
            query=form.q,
            kinds=form.kinds,
            area_code=form.area,
            language=get_language() or "kk",
        )
    except QueryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Search saved: new results will come in your digest email."))
    return HttpResponseRedirect(reverse("search:index") + "?" + form.params())


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.saved_search_get(request.user, pk)
    if found is None:
        raise Http404
    services.saved_search_delete(user=request.user, saved=found)
    messages.success(request, _("Saved search removed."))
    return HttpResponseRedirect(reverse("search:saved"))
