"""Follow pages: follow from any page, "my follows" with the frequency, and the one-click
unsubscribe link (GET asks to confirm, POST unsubscribes; RFC 8058 mail clients POST directly,
without an account or a CSRF token: the signed token is the authority)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from maslikhat.core.digests import CITIZEN_SOURCES
from maslikhat.core.errors import DomainError

from . import permissions, selectors, services
from .choices import Frequency
from .models import Follow
from .unsubscribe import digest_for_token, follow_for_token


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:mine")


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    target = selectors.follow_target(kind, request.POST.get("target", "")[:60])
    if target is None or not permissions.can_follow(request.user):
        raise Http404
    try:
        services.follow_create(
            actor=request.user,
            kind=kind,
            target=target,
            frequency=request.POST.get("frequency", Frequency.WEEKLY),
        )
    except DomainError as exc:
        return render(request, "notifications/error.html", {"message": exc.message}, status=exc.status)
    return HttpResponseRedirect(_next(request))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    follows = selectors.follows_of(user=request.user)
    return render(
        request,
        "notifications/mine.html",
        {
            "follows": follows,
            # per follow, what is open now in its scope (a draft open for comment, ...)
            "rows": [(f, selectors.open_now_of(f)) for f in follows],
            "frequencies": Frequency.choices,
        },
    )


def _own(request: HttpRequest, pk: int) -> Follow:
    follow = selectors.follow_get(pk)
    if follow is None or not permissions.can_manage_follow(request.user, follow):
        raise Http404
    return follow


@login_required
@require_POST
def update(request: HttpRequest, pk: int) -> HttpResponse:
    follow = _own(request, pk)
    try:
        services.follow_update(actor=request.user, follow=follow, frequency=request.POST.get("frequency", ""))
    except DomainError as exc:
        return render(request, "notifications/error.html", {"message": exc.message}, status=exc.status)
    return HttpResponseRedirect(reverse("notifications:mine") + "?saved=1")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    follow = _own(request, pk)
    services.follow_cancel(actor=request.user, follow=follow)
    return HttpResponseRedirect(_next(request))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str, digest: bool = False) -> HttpResponse:
    """One follow's token, or (`digest`) the token of a digest of several parts: its follows and
    the citizen's own parts it carried, at once."""
    found = digest_for_token(token) if digest else follow_for_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    done = request.method == "POST"
    if isinstance(found, Follow):
        if done:
            found = services.follow_cancel(actor=None, follow=found, via="token")
            return render(request, "notifications/unsubscribed.html", {"follow": found})
        return render(request, "notifications/unsubscribe.html", {"follow": found, "token": token})
    own = [s for s in CITIZEN_SOURCES if s.name in found.own]
    if done:
        for follow in found.follows:
            services.follow_cancel(actor=None, follow=follow, via="token")
        for source in own:
            source.stop(found.user)
    context = {"follows": found.follows, "own": own, "token": token, "done": done}
    return render(request, "notifications/unsubscribe_digest.html", context)
