"""What the participation app adds to the directory's pages (see maslikhat.core.sections): on a
maslikhat's page and on an area's page, the initiatives open for support and the participatory
budgets in progress with their phase. Each section costs two queries, whatever the rows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from maslikhat.core.sections import PageSection
from maslikhat.directory.choices import MASLIKHAT_KINDS, AreaKind
from maslikhat.directory.models import Area, Organization

from . import selectors

# After the maslikhat's own blocks (appeals, news), before the record of sessions.
ORDER = 20
# Electoral constituencies are not where initiatives and budgets are addressed.
NO_SECTION_KINDS = (AreaKind.CONSTITUENCY, AreaKind.COUNTRY)


def _context(
    initiatives: list[Any], processes: list[selectors.RunningProcess], more_url: str
) -> dict[str, Any] | None:
    if not initiatives and not processes:
        return None
    return {"initiatives": initiatives, "processes": processes, "more_url": more_url}


def _body(request: HttpRequest | None, body: Organization) -> dict[str, Any] | None:
    if body.kind not in MASLIKHAT_KINDS:
        return None
    return _context(
        selectors.open_initiatives(body_id=body.pk),
        selectors.running_processes(body_id=body.pk),
        reverse("participation:index"),
    )


def _area(request: HttpRequest | None, area: Area) -> dict[str, Any] | None:
    if area.kind in NO_SECTION_KINDS:
        return None
    return _context(
        selectors.open_initiatives(area=area),
        selectors.running_processes(area=area),
        reverse("participation:index") + f"?area={area.code}",
    )


SECTIONS = (
    PageSection(
        "participation.body_open",
        "directory.body",
        "main",
        "participation/sections/open.html",
        _body,
        order=ORDER,
        families=("participation@body", "directory"),  # kept per version of the body's part
    ),
    PageSection(
        "participation.area_open",
        "directory.area",
        "main",
        "participation/sections/open.html",
        _area,
        order=ORDER,
    ),
)
