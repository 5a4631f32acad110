"""The directory's public pages (find my deputies, an area, the maslikhats, a body, a person):
thin adapters over the directory's selectors and look-up. What other apps show on these pages
(appeal figures, news, follow and "write to" buttons) comes through the page sections they
register (maslikhat.core.sections), so this module imports no app above the directory."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from maslikhat.core import pagecache
from maslikhat.core.i18n import CONTENT_LANGUAGES, current_language
from maslikhat.core.sections import kept_fragments

from . import lookup, selectors
from .choices import (
    ADMINISTRATIVE_LEVEL,
    DEPUTY_ROLES,
    MASLIKHAT_KINDS,
    AreaKind,
    OrganizationKind,
)
from .models import Area, Organization
from .permissions import can_see_review_flags

LOCAL_MASLIKHAT_KINDS = (OrganizationKind.DISTRICT_MASLIKHAT, OrganizationKind.CITY_MASLIKHAT)

# The visitor's area, remembered in the session after a "find my deputies" result: the most
# local administrative area found (district, city...) and its region.
SESSION_AREA = "visitor_area"
SESSION_REGION = "visitor_region"
# Hits of "choose your settlement" per page.
CHOICES_PER_PAGE = 20
# Areas whose page lists their rural okrugs, towns and settlements.
TERRITORY_KINDS = (AreaKind.DISTRICT, AreaKind.CITY, AreaKind.CITY_DISTRICT)


def remembered_area_code(request: HttpRequest) -> str | None:
    """The code of the area this visitor's last "find my deputies" result remembered, if any."""
    code = request.session.get(SESSION_AREA) or request.session.get(SESSION_REGION)
    return code if isinstance(code, str) and code else None


def _remember_area(request: HttpRequest, areas: list[Area]) -> None:
    admin = [a for a in areas if a.kind in ADMINISTRATIVE_LEVEL and a.kind != AreaKind.COUNTRY]
    if not admin:
        return
    region = next((a for a in admin if a.kind == AreaKind.REGION), None)
    local = max(admin, key=lambda a: ADMINISTRATIVE_LEVEL[AreaKind(a.kind)])
    if request.session.get(SESSION_AREA) != local.code:
        request.session[SESSION_AREA] = local.code
    if region is not None and request.session.get(SESSION_REGION) != region.code:
        request.session[SESSION_REGION] = region.code


def _coordinate(raw: str, low: float, high: float) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    if value != value or not low <= value <= high:  # NaN or out of range
        return None
    return value


def find(request: HttpRequest) -> HttpResponse:
    """Find my deputies: by coordinates (the form, the browser's location or a map click) or by
    choosing a settlement. Bad coordinates get a message and 400; a point outside the covered
    territory gets a message and 200 (the request was fine, there is just nothing there)."""
    context: dict[str, Any] = {
        "map_svg": selectors.country_map_svg(),
        "q": request.GET.get("q", "").strip()[:100],
    }
    status = 200
    raw_lat, raw_lon = request.GET.get("lat", "").strip(), request.GET.get("lon", "").strip()
    if raw_lat or raw_lon:
        context.update(lat=raw_lat[:30], lon=raw_lon[:30])
        lat = _coordinate(raw_lat, -90, 90)
        lon = _coordinate(raw_lon, -180, 180)
        if lat is None or lon is None:
            context["error"] = _("Enter a latitude between -90 and 90 and a longitude between -180 and 180.")
            status = 400
        else:
            try:
                result = lookup.lookup_point(lat, lon)
            except lookup.OutsideCoverage:
                context["error"] = _("This point is outside the territory the directory covers.")
            else:
                context["result"] = result
                _remember_area(request, result.areas)
                local = next((b for b in result.bodies if b.kind in MASLIKHAT_KINDS), None)
                if local is not None:
                    context["local_body"] = local
                    context["local_map"] = selectors.constituency_map_svg(local, marker=(lat, lon))
    _choose_settlement(request, context)
    if context["q"] and request.GET.get("partial") == "choices":
        # The small script on the page asks for the hits alone while the visitor types.
        return render(request, "directory/_choices.html", context)
    return render(request, "directory/find.html", context, status=status)


def _offset(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 7 else 0


def _choose_settlement(request: HttpRequest, context: dict[str, Any]) -> None:
    """Choose your settlement: the search of `GET /api/v1/areas?q=` (through the same
    selector), optionally narrowed to a region; each hit leads to its maslikhat's page."""
    regions = selectors.region_list()
    region = request.GET.get("region", "").strip()[:40]
    context["regions"] = regions
    context["region"] = region if any(r.code == region for r in regions) else ""
    if context["q"]:
        context["choices"] = selectors.settlement_choice_page(
            q=context["q"],
            region_code=context["region"] or None,
            offset=_offset(request.GET.get("offset", "")),
            limit=CHOICES_PER_PAGE,
        )


def area(request: HttpRequest, code: str) -> HttpResponse:
    obj = selectors.area_get(code=code)
    if obj is None:
        raise Http404
    maslikhats = list(selectors.maslikhat_list(region=obj)) if obj.kind != AreaKind.CONSTITUENCY else []
    own = [m for m in maslikhats if m.area_id == obj.pk]
    # One constituency map per maslikhat of the area, drawn over the area's outline.
    maps = [(m, svg) for m in own if (svg := selectors.constituency_map_svg(m))]
    context: dict[str, Any] = {
        "area": obj,
        "maslikhats": own,
        "inner_maslikhats": [m for m in maslikhats if m.area_id != obj.pk],
        "maps": maps,
        "review": can_see_review_flags(request.user),
    }
    if obj.kind in TERRITORY_KINDS:
        context["territory"] = selectors.area_territory(area=obj)
    else:
        context["children"] = [
            c for c in selectors.area_children(area=obj) if c.kind != AreaKind.CONSTITUENCY
        ]
    if obj.kind == AreaKind.CONSTITUENCY and obj.body is not None:
        detail = selectors.body_detail(organization=obj.body)
        context["deputies"] = [
            m for m in detail.constituency_deputies if m.post is not None and m.post.area_id == obj.pk
        ]
        context["maps"] = [(obj.body, selectors.constituency_map_svg(obj.body))]
        context["highlight"] = obj.code
    if not context["maps"]:
        context["outline_map"] = selectors.area_map_svg(obj)
        # A region's map draws its districts (geokz's boundaries: their credit line too).
        context["district_boundaries"] = obj.kind in (AreaKind.REGION, *TERRITORY_KINDS)
    return render(request, "directory/area.html", context)


def bodies(request: HttpRequest) -> HttpResponse:
    """Regional maslikhats, then the district and city maslikhats grouped by region."""
    items = list(selectors.maslikhat_list())
    regional = [b for b in items if b.kind == OrganizationKind.REGIONAL_MASLIKHAT]
    by_parent: dict[int | None, list[Organization]] = {}
    for b in items:
        if b.kind != OrganizationKind.REGIONAL_MASLIKHAT:
            by_parent.setdefault(b.parent_id, []).append(b)
    groups: list[tuple[Organization | None, list[Organization]]] = [
        (r, by_parent.pop(r.pk)) for r in regional if r.pk in by_parent
    ]
    groups += [(None, rest) for rest in by_parent.values()]
    national = list(
        selectors.organization_list().filter(
            kind__in=[OrganizationKind.NATIONAL_COUNCIL, OrganizationKind.PARLIAMENT_CHAMBER]
        )
    )
    return render(
        request, "directory/bodies.html", {"regional": regional, "groups": groups, "national": national}
    )


def body(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(pk=pk)
    if org is None:
        raise Http404
    # read only when the template's fragments are not cached (core/templatetags/pagecache.py)
    detail: Any = SimpleLazyObject(lambda: selectors.body_detail(organization=org))

    def by_party() -> dict[str, list[Any]]:
        parties: dict[str, list[Any]] = {}
        for m in detail.party_list_deputies:
            parties.setdefault(m.on_behalf_of.name if m.on_behalf_of else _("Self-nominated"), []).append(m)
        return parties

    # The maps are kept per directory version, language and day like the template's fragments:
    # a page rendered again reads no boundary (not even the boundaries' version). Every fragment
    # of the page (maps, members, contacts, territory, the other apps' kept sections) is read in
    # one round trip first.
    review = can_see_review_flags(request.user)
    directory = ("directory",)
    pagecache.prefetch(
        [
            (f"body-map:{org.pk}", directory),
            (f"body-territory-map:{org.pk}", directory),
            (f"body-members:{org.pk}", directory),
            (f"body-contacts:{org.pk}", directory),
            (f"body-territory:{org.pk}:{review}", directory),
            *kept_fragments("directory.body", "main", org),
        ]
    )
    map_svg = ""
    if org.kind in MASLIKHAT_KINDS:
        map_svg = pagecache.fragment(
            f"body-map:{org.pk}", directory, lambda: selectors.constituency_map_svg(org)
        )
    context: dict[str, Any] = {
        "org": org,
        "detail": detail,
        "parties": SimpleLazyObject(by_party),
        "map_svg": map_svg,
        "review": review,
    }
    area = org.area
    if org.kind in LOCAL_MASLIKHAT_KINDS and area is not None and area.kind in TERRITORY_KINDS:
        # A district or city maslikhat: its territory on a map, its okrugs and settlements (read
        # only when the template's territory fragment is not kept).
        context["territory"] = SimpleLazyObject(lambda: selectors.area_territory(area=area))
        context["has_territory"] = True
        context["district_boundaries"] = True
        if not map_svg:
            context["territory_map"] = pagecache.fragment(
                f"body-territory-map:{org.pk}", directory, lambda: selectors.area_map_svg(area)
            )
    return render(request, "directory/body.html", context)


def person(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.person_get(pk=pk)
    if obj is None:
        raise Http404
    memberships = list(obj.memberships.all())
    current = [m for m in memberships if m.in_force()]
    deputy_of = next((m for m in current if m.role in DEPUTY_ROLES), None)
    # The name as written in the other languages, when it differs from the one shown.
    shown = obj.name
    other_names: list[tuple[str, str]] = []
    for code in CONTENT_LANGUAGES:
        value = getattr(obj, f"name_{code}", "")
        if (
            code != current_language()
            and value
            and value != shown
            and value not in dict(other_names).values()
        ):
            other_names.append((code, value))
    return render(
        request,
        "directory/person.html",
        {
            "person": obj,
            "other_names": other_names,
            "memberships": memberships,
            "current": current,
            "deputy_of": deputy_of,
        },
    )
