"""News pages: public lists and detail (with their Atom feeds announced), the photo, and the
newsroom for staff. Thin adapters over selectors, permissions and services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maslikhat.core.errors import DomainError, FieldErrors
from maslikhat.directory import selectors as directory_selectors

from . import permissions, selectors, services
from .forms import PublicationForm, area_choices, preview_of
from .models import Publication

PAGE_SIZE = 20


def _list(
    request: HttpRequest, *, heading: str, feed_url: str, context: dict[str, Any], **filters: Any
) -> HttpResponse:
    page = Paginator(selectors.publication_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/list.html",
        {"page": page, "publications": page.object_list, "heading": heading, "feed_url": feed_url, **context},
    )


def index(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        heading=_("News"),
        feed_url=reverse("news:feed"),
        context={"tags": list(selectors.tag_list()), "is_index": True},
    )


def body_news(request: HttpRequest, pk: int) -> HttpResponse:
    org = directory_selectors.organization_get(pk=pk)
    if org is None:
        raise Http404
    return _list(
        request,
        heading=_("News of %(body)s") % {"body": org.name},
        feed_url=reverse("news:body_feed", kwargs={"pk": org.pk}),
        context={"body": org, "follow_kind": "body", "follow_target": org},
        body_id=org.pk,
    )


def area_news(request: HttpRequest, code: str) -> HttpResponse:
    area = directory_selectors.area_get(code=code)
    if area is None:
        raise Http404
    return _list(
        request,
        heading=_("News for %(area)s") % {"area": area.name},
        feed_url=reverse("news:area_feed", kwargs={"code": area.code}),
        context={"area": area, "follow_kind": "area", "follow_target": area},
        area=area,
    )


def tag_news(request: HttpRequest, code: str) -> HttpResponse:
    tag = selectors.tag_get(code=code)
    if tag is None:
        raise Http404
    return _list(
        request,
        heading=_("News: %(tag)s") % {"tag": tag.name},
        feed_url=reverse("news:tag_feed", kwargs={"code": tag.code}),
        context={"tag": tag, "follow_kind": "tag", "follow_target": tag},
        tag_code=tag.code,
    )


def _visible(request: HttpRequest, pk: int) -> Publication:
    publication = selectors.publication_get(pk=pk)
    if publication is None or not permissions.can_view_publication(request.user, publication):
        raise Http404
    return publication


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _visible(request, pk)
    return render(
        request,
        "news/detail.html",
        {
            "publication": publication,
            "can_edit": permissions.can_edit_publication(request.user, publication),
            "feed_url": reverse("news:body_feed", kwargs={"pk": publication.body_id}),
        },
    )


def photo(request: HttpRequest, pk: int) -> FileResponse:
    publication = _visible(request, pk)
    if not publication.photo:
        raise Http404
    response = FileResponse(publication.photo.open("rb"), content_type=publication.photo_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if publication.is_public else "private, no-store"
    return response


# ------------------------------------------------------------------ newsroom (staff)


@login_required
def newsroom(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_newsroom(request.user):
        raise Http404
    page = Paginator(selectors.newsroom(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "news/staff/newsroom.html", {"page": page, "publications": page.object_list})


def _form_page(
    request: HttpRequest,
    form: PublicationForm,
    publication: Publication | None,
    status: int = 200,
    preview: dict[str, Any] | None = None,
    bodies: list[Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "news/staff/form.html",
        {"form": form, "publication": publication, "preview": preview, "bodies": bodies or []},
        status=status,
    )


def _chosen_body(request: HttpRequest, bodies: list[Any]) -> Any:
    """The body whose areas the form offers: the one posted, else `?body=`, else the first."""
    raw = (request.POST.get("body") or request.GET.get("body") or "").strip()
    return next((b for b in bodies if str(b.pk) == raw), bodies[0])


def _preview(form: PublicationForm, body: Any) -> dict[str, Any]:
    return preview_of(form, body, form.tag_objects, form.area_objects)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_newsroom(request.user):
        raise Http404
    bodies = selectors.newsroom_bodies(request.user)
    if not bodies:
        raise Http404
    chosen = _chosen_body(request, bodies)
    form = PublicationForm(
        request.POST or None,
        request.FILES or None,
        bodies=bodies,
        areas=area_choices(chosen),
        initial={"body": chosen.pk},
    )
    if request.method == "POST" and form.is_valid():
        body = next(b for b in bodies if b.pk == form.cleaned_data["body"])
        if "preview" in request.POST:
            return _form_page(request, form, None, preview=_preview(form, body), bodies=bodies)
        try:
            publication = services.publication_create(actor=request.user, body=body, **form.service_kwargs())
        except FieldErrors as exc:
            form.add_service_errors(exc.errors)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            return HttpResponseRedirect(reverse("news:edit", kwargs={"pk": publication.pk}) + "?saved=1")
    return _form_page(request, form, None, status=400 if form.errors else 200, bodies=bodies)


def _editable(request: HttpRequest, pk: int) -> Publication:
    publication = selectors.publication_get(pk=pk)
    if publication is None or not permissions.can_edit_publication(request.user, publication):
        raise Http404
    return publication


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _editable(request, pk)
    bodies = [publication.body]
    form = PublicationForm(
        request.POST or None,
        request.FILES or None,
        bodies=bodies,
        areas=area_choices(publication.body, keep=publication.areas.all()),
        initial=PublicationForm.initial_for(publication),
    )
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        return _form_page(request, form, publication, preview=_preview(form, publication.body))
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.publication_update(
                actor=request.user,
                publication=publication,
                remove_photo=form.cleaned_data["remove_photo"],
                **kwargs,
            )
        except FieldErrors as exc:
            form.add_service_errors(exc.errors)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            return HttpResponseRedirect(reverse("news:edit", kwargs={"pk": publication.pk}) + "?saved=1")
    return _form_page(request, form, publication, status=400 if form.errors else 200)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _editable(request, pk)
    try:
        services.publication_publish(actor=request.user, publication=publication)
    except DomainError as exc:
        return render(
            request,
            "news/staff/error.html",
            {"publication": publication, "message": exc.message},
            status=exc.status,
        )
    return HttpResponseRedirect(reverse("news:detail", kwargs={"pk": publication.pk}))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _editable(request, pk)
    try:
        services.publication_withdraw(
            actor=request.user, publication=publication, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        return render(
            request,
            "news/staff/error.html",
            {"publication": publication, "message": exc.message},
            status=exc.status,
        )
    return HttpResponseRedirect(reverse("news:edit", kwargs={"pk": publication.pk}))
