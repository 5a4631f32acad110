"""The citizen's own appeals: "My appeals" for a signed-in account, and tracking links emailed
again for anyone. Thin adapters: reads from selectors, ownership from ownership.is_owner,
writes in links.py."""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from maslikhat.core.forms import SafeForm
from maslikhat.core.ratelimit import client_bucket, hit

from . import links, selectors
from .models import Appeal
from .ownership import is_owner

LINKS_WINDOW = 3600


class TrackingLinksForm(SafeForm):
    email = forms.EmailField(
        label=_("The email address you gave in your appeal"),
        max_length=links.MAX_EMAIL_LENGTH,
        error_messages={
            "required": _("Type your email address."),
            "invalid": _("Type a valid email address, such as name@example.kz."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _owned(request: HttpRequest) -> tuple[list[Appeal], frozenset[str]]:
    emails = selectors.verified_emails(user=request.user)
    candidates = selectors.owner_candidates(user=request.user, emails=emails)
    return [a for a in candidates if is_owner(request.user, a, emails=emails)], emails


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    appeals, emails = _owned(request)
    return render(
        request,
        "appeals/mine.html",
        {"appeals": appeals, "emails": sorted(emails), "sent": request.GET.get("sent") == "1"},
    )


def _owner_appeal(request: HttpRequest, number: str) -> Appeal:
    appeal = selectors.appeal_for_owner(number=number)
    if appeal is None or not is_owner(
        request.user, appeal, emails=selectors.verified_emails(user=request.user)
    ):
        raise Http404
    return appeal


@login_required
def mine_detail(request: HttpRequest, number: str) -> HttpResponse:
    appeal = _owner_appeal(request, number)
    context = {
        "appeal": appeal,
        "events": [e for e in appeal.events.all() if e.public],
        "attachments": [a for a in appeal.attachments.all() if not a.is_answer],
        "answer_attachments": [a for a in appeal.attachments.all() if a.is_answer],
        "working_days_left": selectors.working_days_left(appeal),
    }
    return render(request, "appeals/mine_detail.html", context)


@login_required
@require_POST
def mine_link(request: HttpRequest, number: str) -> HttpResponse:
    """Email a fresh tracking link of this appeal to its applicant's address."""
    appeal = _owner_appeal(request, number)
    limit = hit(
        "appeal_links",
        client_bucket(request),
        limit=settings.APPEAL_LINKS_LIMIT_PER_HOUR,
        window=LINKS_WINDOW,
    )
    if not limit.allowed:
        return _too_many(request, TrackingLinksForm(), limit.retry_after)
    links.tracking_link_for_owner(appeal=appeal, language=_language())
    return HttpResponseRedirect(reverse("appeals:mine_detail", kwargs={"number": number}) + "?sent=1")


def _too_many(request: HttpRequest, form: TrackingLinksForm, retry_after: int) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    message = ngettext(
        "Too many requests from your connection. Please try again in %(minutes)d minute.",
        "Too many requests from your connection. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "appeals/resend.html", {"form": form, "limited": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def resend(request: HttpRequest) -> HttpResponse:
    """The form; the same answer whether or not the address has appeals."""
    if request.method != "POST":
        return render(
            request,
            "appeals/resend.html",
            {"form": TrackingLinksForm(), "sent": request.GET.get("sent") == "1"},
        )
    form = TrackingLinksForm(request.POST)
    limit = hit(
        "appeal_links",
        client_bucket(request),
        limit=settings.APPEAL_LINKS_LIMIT_PER_HOUR,
        window=LINKS_WINDOW,
    )
    if not limit.allowed:
        return _too_many(request, form, limit.retry_after)
    if not form.is_valid():
        return render(request, "appeals/resend.html", {"form": form}, status=400)
    links.tracking_links_resend(email=form.cleaned_data["email"], language=_language())
    return HttpResponseRedirect(reverse("appeals:links") + "?sent=1")
