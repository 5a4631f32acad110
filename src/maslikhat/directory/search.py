"""What the directory puts in the public search (see maslikhat.core.search): areas (regions,
districts, okrugs, villages and settlements, constituencies), the maslikhats and the sitting
deputies. Public facts only: names, the area's centre, a body's description, a deputy's
public biography and seats (no contact of a person, no account)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, each, localized_documents

from .choices import MASLIKHAT_KINDS, AreaKind
from .models import Area, AreaName, Membership, Organization, Person

# ------------------------------------------------------------------ areas


def area_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    pks = None if pks is None else list(pks)
    old_names: dict[int, list[str]] = {}
    for area_id, *names in AreaName.objects.filter(
        **({} if pks is None else {"area_id__in": pks})
    ).values_list("area_id", "name_kk", "name_ru", "name_en"):
        old_names.setdefault(area_id, []).extend(n for n in names if n)
    for area in each(Area.objects.current().select_related("parent"), pks, chunk_size=2000):
        weight = 1.6 if area.kind in (AreaKind.REGION, AreaKind.CITY) else 1.4
        if area.kind == AreaKind.CONSTITUENCY:
            weight = 1.0

        def body(language: str, area: Area = area) -> str:
            parent = getattr(area.parent, f"name_{language}", "") or (
                area.parent.name_kk if area.parent else ""
            )
            centre = getattr(area, f"centre_{language}", "")
            return "\n".join(
                t for t in [parent, centre, area.kato_code, " ".join(old_names.get(area.pk, []))] if t
            )

        yield from localized_documents(
            area,
            title="name",
            body=body,
            url="directory:area",
            url_args=(area.code,),
            key="code",
            area="pk",
            organization="body_id",
            weight=weight,
        )


# ------------------------------------------------------------------ maslikhats


def body_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    bodies = Organization.objects.current().filter(kind__in=MASLIKHAT_KINDS).select_related("area")
    for org in each(bodies, pks, chunk_size=2000):

        def body(language: str, org: Organization = org) -> str:
            area = org.area
            place = (getattr(area, f"name_{language}", "") or area.name_kk) if area else ""
            return "\n".join(
                t for t in [place, getattr(org, f"description_{language}", ""), org.address] if t
            )

        yield from localized_documents(
            org,
            title="name",
            body=body,
            url="directory:body",
            key="slug",
            area="area_id",
            organization="pk",
            weight=1.5,
        )


# ------------------------------------------------------------------ deputies


def deputy_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    seats = (
        Membership.objects.current()
        .filter(organization__kind__in=MASLIKHAT_KINDS)
        .select_related("organization", "post", "post__area")
        .order_by("person_id", "id")
    )
    if pks is not None:
        seats = seats.filter(person_id__in=list(pks))
    by_person: dict[int, list[Membership]] = {}
    for seat in seats.iterator(chunk_size=2000):
        by_person.setdefault(seat.person_id, []).append(seat)
    for person in each(Person.objects.all(), by_person, chunk_size=2000):
        mine = by_person[person.pk]
        first = mine[0]

        def body(language: str, mine: list[Membership] = mine, person: Person = person) -> str:
            lines = []
            for seat in mine:
                org = seat.organization
                lines.append(getattr(org, f"name_{language}", "") or org.name_kk)
                if seat.post is not None:
                    lines.append(getattr(seat.post, f"label_{language}", "") or seat.post.label_kk)
            lines.append(getattr(person, f"biography_{language}", ""))
            return "\n".join(t for t in lines if t)

        area_id = (
            first.post.area_id
            if first.post is not None and first.post.area_id
            else first.organization.area_id
        )
        yield from localized_documents(
            person,
            title="name",
            body=body,
            url="deputies:deputy",
            area=area_id,
            organization=first.organization_id,
            weight=1.3,
        )


def _person_of(membership: Membership) -> list[int]:
    return [membership.person_id]


def _areas_of_name(name: AreaName) -> list[int]:
    return [name.area_id]


def _bodies_of_area(area: Area) -> list[int]:
    return list(Organization.objects.filter(area=area).values_list("pk", flat=True))


PROVIDERS = [
    SearchProvider(
        kind="area",
        label=_("Areas and villages"),
        documents=area_documents,
        watch={"directory.Area": None, "directory.AreaName": _areas_of_name},
        order=10,
    ),
    SearchProvider(
        kind="body",
        label=_("Maslikhats"),
        documents=body_documents,
        watch={"directory.Organization": None, "directory.Area": _bodies_of_area},
        order=20,
    ),
    SearchProvider(
        kind="deputy",
        label=_("Deputies"),
        documents=deputy_documents,
        watch={"directory.Person": None, "directory.Membership": _person_of},
        order=30,
    ),
]
