"""Page-specific reads for the web pages (the directory's selectors do the heavy lifting).

Maps change only when boundaries do: each rendered map is cached per language and per
DirectoryState.boundaries_version, so a page with a map costs one small query once warm.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from maslikhat.core.i18n import current_language
from maslikhat.directory.choices import AreaKind
from maslikhat.directory.models import Area, DirectoryState, Organization, Person
from maslikhat.directory.selectors import constituency_map_shapes, region_map_shapes

from .maps import EMPTY, RenderedMap, Shape, render_map

MAP_CACHE_SECONDS = 6 * 3600
DEMO_FLAG_SECONDS = 60


def boundaries_version() -> int:
    return DirectoryState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first() or 0


def _cached_map(name: str, build: Callable[[], RenderedMap]) -> RenderedMap:
    key = f"web:map:{name}:{current_language()}:{boundaries_version()}"
    rendered = cache.get(key)
    if not isinstance(rendered, RenderedMap):
        rendered = build()
        cache.set(key, rendered, MAP_CACHE_SECONDS)
    return rendered


def _area_shape(area: Area, css_class: str) -> Shape:
    return Shape(
        geometry=area.boundary_web or {},
        href=reverse("web:area", kwargs={"code": area.code}),
        title=area.name,
        css_class=css_class,
        key=area.code,
    )


def country_map_svg() -> str:
    """The map of the 20 regions, each a link to its region page."""

    def build() -> RenderedMap:
        shapes = [_area_shape(a, "region") for a in region_map_shapes()]
        return render_map(shapes, label=gettext("Regions of Kazakhstan"))

    return _cached_map("country", build).svg()


def _constituency_shapes(body: Organization) -> list[Shape]:
    return [
        _area_shape(a, f"constituency c{(a.number or 0) % 6}") for a in constituency_map_shapes(body=body)
    ]


def constituency_map_svg(body: Organization, marker: tuple[float, float] | None = None) -> str:
    """The constituencies of a maslikhat over the outline of its area ("" when none has a
    boundary); marker is (lat, lon)."""

    def build() -> RenderedMap:
        shapes = _constituency_shapes(body)
        if not any(s.geometry for s in shapes):
            return EMPTY
        # Only on a cache miss: the area's simplified outline (often deferred by the caller).
        outline = body.area.boundary_web if body.area_id is not None and body.area is not None else None
        return render_map(shapes, width=800, label=body.name, outline=outline)

    return _cached_map(f"body:{body.pk}", build).svg(marker)


def area_children_shapes(*, area: Area) -> list[Area]:
    """The administrative areas directly inside an area, with their simplified boundaries."""
    return list(
        Area.objects.current()
        .filter(parent=area, boundary_web__isnull=False)
        .exclude(kind=AreaKind.CONSTITUENCY)
        .only("id", "code", "kind", "name_kk", "name_ru", "name_en", "boundary_web", "parent_id")
        .order_by("code")
    )


def area_map_svg(area: Area) -> str:
    """The outline of an area with the areas inside it, each a link."""

    def build() -> RenderedMap:
        shapes = [_area_shape(c, "child") for c in area_children_shapes(area=area)]
        return render_map(shapes, width=800, label=area.name, outline=area.boundary_web)

    return _cached_map(f"area:{area.pk}", build).svg()


def demo_data_present() -> bool:
    """Whether the directory holds synthetic records (checked at most once a minute)."""
    flag = cache.get("web:demo-present")
    if flag is None:
        flag = (
            Organization.objects.filter(is_demo=True).exists()
            or Person.objects.filter(is_demo=True).exists()
            or Area.objects.filter(is_demo=True).exists()
        )
        cache.set("web:demo-present", flag, DEMO_FLAG_SECONDS)
    return bool(flag)
