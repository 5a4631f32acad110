"""Citizen-facing appeal pages: thin adapters over selectors and services."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def track(request: HttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_citizen(number=number, token=request.GET.get("token", ""))
    if appeal is None:
        raise Http404
    events = [e for e in appeal.events.all() if e.public]
    return render(
        request, "appeals/track.html", {"appeal": appeal, "events": events, "token": request.GET["token"]}
    )
