"""The map of an area's initiatives and budget projects by status: an SVG over the area's
boundary (directory.geo), one point per initiative or project that has a place, a colour per
status (the Okabe-Ito palette, told apart by colour-blind readers) with a legend, and the same
rows as a list (the text alternative; rows without a place are listed too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maslikhat.directory.geo import render_map
from maslikhat.directory.models import Area

from .choices import ImplementationStatus, InitiativeStatus, ProjectStatus
from .models import Implementation, Initiative, Project
from .selectors import _area_q

# status key -> (label, colour); the order is the legend's.
STATUSES: dict[str, tuple[Any, str]] = {
    "collecting": (gettext_lazy("collecting support"), "#E69F00"),
    "answer": (gettext_lazy("awaiting the maslikhat's answer"), "#CC79A7"),
    "ballot": (gettext_lazy("budget project: on the ballot"), "#56B4E9"),
    "planned": (gettext_lazy("to be carried out"), "#0072B2"),
    "in_progress": (gettext_lazy("being carried out"), "#009E73"),
    "done": (gettext_lazy("done"), "#000000"),
    "closed": (gettext_lazy("not carried out"), "#999999"),
}
MAX_POINTS = 500


@dataclass(frozen=True)
class MapItem:
    kind: str  # "initiative" or "project"
    title: str
    href: str
    status: str  # a key of STATUSES
    lat: float | None
    lon: float | None

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status][0])

    @property
    def colour(self) -> str:
        return STATUSES[self.status][1]


@dataclass(frozen=True)
class StatusMap:
    svg: str
    items: list[MapItem]
    legend: list[tuple[str, str, str, int]]  # key, label, colour, count

    @property
    def placed(self) -> int:
        return sum(1 for i in self.items if i.lat is not None)


def _from_implementation(impl: Implementation | None) -> str | None:
    if impl is None:
        return None
    return {
        ImplementationStatus.PLANNED: "planned",
        ImplementationStatus.IN_PROGRESS: "in_progress",
        ImplementationStatus.DONE: "done",
        ImplementationStatus.STOPPED: "closed",
    }[ImplementationStatus(impl.status)]


def initiative_status(i: Initiative, impl: Implementation | None) -> str:
    done = _from_implementation(impl)
    if done is not None:
        return done
    if i.status == InitiativeStatus.COLLECTING:
        return "collecting"
    if i.status == InitiativeStatus.REACHED:
        return "answer"
    if i.status in (InitiativeStatus.ACCEPTED, InitiativeStatus.PARTLY):
        return "planned"
    return "closed"


def project_status(p: Project, impl: Implementation | None) -> str:
    done = _from_implementation(impl)
    if done is not None:
        return done
    if p.status == ProjectStatus.REJECTED or p.process.tallied_at is not None:
        return "closed" if not p.is_winner else "planned"
    return "ballot"


def _impl(obj: Any) -> Implementation | None:
    try:
        return obj.implementation
    except Implementation.DoesNotExist:
        return None


def area_items(area: Area, *, process_id: int | None = None) -> list[MapItem]:
    """The area's public initiatives and budget projects (or one process's projects): two
    queries. An initiative without a point of its own is placed at its settlement's centre."""
    items: list[MapItem] = []
    if process_id is None:
        initiatives = (
            Initiative.objects.filter(_area_q(area))
            .exclude(status=InitiativeStatus.SUBMITTED)
            .select_related("place_area", "implementation")
            .only(
                "id",
                "title",
                "status",
                "lat",
                "lon",
                "place_area__centre_lat",
                "place_area__centre_lon",
                "implementation__status",
            )
            .order_by("-id")[:MAX_POINTS]
        )
        for i in initiatives:
            lat, lon = i.lat, i.lon
            if lat is None and i.place_area is not None:
                lat, lon = i.place_area.centre_lat, i.place_area.centre_lon
            items.append(
                MapItem(
                    "initiative",
                    i.title,
                    reverse("participation:initiative", args=[i.pk]),
                    initiative_status(i, _impl(i)),
                    lat,
                    lon,
                )
            )
    projects = Project.objects.select_related("process", "implementation").only(
        "id",
        "title",
        "status",
        "is_winner",
        "lat",
        "lon",
        "process__id",
        "process__tallied_at",
        "implementation__status",
    )
    if process_id is not None:
        projects = projects.filter(process_id=process_id)
    else:
        projects = projects.filter(_area_q(area, "process__area"))
    for p in projects.order_by("-id")[:MAX_POINTS]:
        items.append(
            MapItem(
                "project",
                p.title,
                reverse("participation:process", args=[p.process_id]) + f"#project-{p.pk}",
                project_status(p, _impl(p)),
                p.lat,
                p.lon,
            )
        )
    return items


def status_map(area: Area, items: list[MapItem], *, label: str = "") -> StatusMap:
    """Draw the items that have a point over the area's boundary ("" svg when the area has no
    boundary: the list is still there)."""
    label = label or _("Initiatives and projects in %(area)s by status") % {"area": area.name}
    counts = {k: 0 for k in STATUSES}
    for item in items:
        counts[item.status] += 1
    legend = [(k, str(v[0]), v[1], counts[k]) for k, v in STATUSES.items()]
    outline = area.boundary_web
    svg = ""
    if outline:
        rendered = render_map([], width=800, label=label, outline=outline)
        if not rendered.empty:
            p = rendered.projection
            r = max(p.width / 120, 4)
            dots = []
            for item in items:
                if item.lat is None or item.lon is None:
                    continue
                x, y = p.xy(item.lon, item.lat)
                if not (0 <= x <= p.width and 0 <= y <= p.height):
                    continue
                dots.append(
                    f'<a href="{escape(item.href)}" class="point {escape(item.status)}">'
                    f"<title>{escape(item.title)} ({escape(item.status_label)})</title>"
                    f'<circle cx="{x:g}" cy="{y:g}" r="{r:.0f}" fill="{item.colour}" '
                    f'stroke="#fff" stroke-width="1.5"/></a>'
                )
            svg = rendered.head + "".join(dots) + "</svg>"
    return StatusMap(svg=svg, items=items, legend=legend)
