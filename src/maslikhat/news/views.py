"""Public and staff pages for news: thin adapters over selectors, services and permissions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "news/index.html", {"publications": []})
