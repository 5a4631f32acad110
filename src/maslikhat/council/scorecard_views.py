"""Scorecard pages: adapters over maslikhat.council.scorecard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "council/scorecard/index.html", {})
