"""Public pages: thin adapters over the directory's selectors and look-up."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from maslikhat.appeals import selectors as appeal_selectors
from maslikhat.directory import lookup, selectors
from maslikhat.directory.choices import MASLIKHAT_KINDS, AreaKind, OrganizationKind

from .selectors import constituency_map_svg, country_map_svg


def home(request: HttpRequest) -> HttpResponse:
    regional = selectors.maslikhat_list().filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
    return render(request, "web/home.html", {"map_svg": country_map_svg(), "maslikhats": regional})


def _coordinate(raw: str, low: float, high: float) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    if value != value or not low <= value <= high:  # NaN or out of range
        return None
    return value


def find(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"map_svg": country_map_svg(), "q": request.GET.get("q", "").strip()[:100]}
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
                status = 404
            else:
                context["result"] = result
                local = next((b for b in result.bodies if b.kind in MASLIKHAT_KINDS), None)
                if local is not None:
                    context["local_map"] = constituency_map_svg(local, marker=(lat, lon))
    if context["q"]:
        context["choices"] = selectors.settlement_choices(q=context["q"])
    return render(request, "web/find.html", context, status=status)


def area(request: HttpRequest, code: str) -> HttpResponse:
    obj = selectors.area_get(code=code)
    if obj is None:
        raise Http404
    maslikhats = list(selectors.maslikhat_list(region=obj)) if obj.kind != AreaKind.CONSTITUENCY else []
    own = [m for m in maslikhats if m.area_id == obj.pk]
    context: dict[str, Any] = {
        "area": obj,
        "maslikhats": own,
        "inner_maslikhats": [m for m in maslikhats if m.area_id != obj.pk],
        "children": [c for c in selectors.area_children(area=obj) if c.kind != AreaKind.CONSTITUENCY],
        "map_svg": constituency_map_svg(own[0]) if own else "",
    }
    if obj.kind == AreaKind.CONSTITUENCY and obj.body is not None:
        detail = selectors.body_detail(organization=obj.body)
        context["deputies"] = [
            m for m in detail.constituency_deputies if m.post is not None and m.post.area_id == obj.pk
        ]
        context["map_svg"] = constituency_map_svg(obj.body)
    return render(request, "web/area.html", context)


def bodies(request: HttpRequest) -> HttpResponse:
    items = list(selectors.maslikhat_list())
    regional = [b for b in items if b.kind == OrganizationKind.REGIONAL_MASLIKHAT]
    local = [b for b in items if b.kind != OrganizationKind.REGIONAL_MASLIKHAT]
    national = list(
        selectors.organization_list().filter(
            kind__in=[OrganizationKind.NATIONAL_COUNCIL, OrganizationKind.PARLIAMENT_CHAMBER]
        )
    )
    return render(request, "web/bodies.html", {"regional": regional, "local": local, "national": national})


def body(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(pk=pk)
    if org is None:
        raise Http404
    detail = selectors.body_detail(organization=org)
    parties: dict[str, list[Any]] = {}
    for m in detail.party_list_deputies:
        parties.setdefault(m.on_behalf_of.name if m.on_behalf_of else _("Self-nominated"), []).append(m)
    is_maslikhat = org.kind in MASLIKHAT_KINDS
    context = {
        "org": org,
        "detail": detail,
        "figures": appeal_selectors.body_figures(body_id=org.pk) if is_maslikhat else None,
        "public_appeals": list(appeal_selectors.public_appeals(body_id=org.pk)[:10]) if is_maslikhat else [],
        "parties": parties,
        "is_maslikhat": is_maslikhat,
        "map_svg": constituency_map_svg(org) if org.kind in MASLIKHAT_KINDS else "",
    }
    return render(request, "web/body.html", context)


def person(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.person_get(pk=pk)
    if obj is None:
        raise Http404
    memberships = list(obj.memberships.all())
    current = [m for m in memberships if m.in_force()]
    deputy_of = next((m for m in current if m.role in ("constituency_deputy", "party_list_deputy")), None)
    return render(
        request,
        "web/person.html",
        {"person": obj, "memberships": memberships, "current": current, "deputy_of": deputy_of},
    )
