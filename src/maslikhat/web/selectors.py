"""Page-specific reads for the web pages (the directory's selectors do the heavy lifting)."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from maslikhat.core.i18n import current_language
from maslikhat.directory.models import DirectoryState, Organization
from maslikhat.directory.selectors import constituency_map_shapes, region_map_shapes

from .maps import Shape, render_svg


def _version() -> int:
    return DirectoryState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first() or 0


def country_map_svg() -> str:
    """The map of the 20 regions, cached per language and boundaries version."""
    key = f"map:country:{current_language()}:{_version()}"
    svg = cache.get(key)
    if svg is None:
        shapes = [
            Shape(
                geometry=a.boundary_web or {},
                href=reverse("web:area", kwargs={"code": a.code}),
                title=a.name,
                css_class="region",
                key=a.code,
            )
            for a in region_map_shapes()
        ]
        svg = render_svg(shapes, label="Kazakhstan")
        cache.set(key, svg, 3600)
    return svg


def constituency_map_svg(body: Organization, marker: tuple[float, float] | None = None) -> str:
    areas = constituency_map_shapes(body=body)
    shapes = [
        Shape(
            geometry=a.boundary_web or {},
            href=reverse("web:area", kwargs={"code": a.code}),
            title=a.name,
            css_class=f"constituency c{(a.number or 0) % 6}",
            key=a.code,
        )
        for a in areas
    ]
    return render_svg(shapes, width=800, label=body.name, marker=marker)
