"""The synthetic demo directory: constituencies, deputies, chairs, commissions, district
maslikhats and national representatives, generated inside the real region boundaries.

Deterministic for a seed; skipped when demo data exists (use reset=True to regenerate).
Everything it writes has is_demo=True and source "synthetic demo data".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import shapely
from django.db import transaction
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from maslikhat.core.audit import log_action
from maslikhat.core.models import ActionLog, Visibility
from maslikhat.directory import geo
from maslikhat.directory.choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.models import Area, Membership, Organization, Person, Post
from maslikhat.directory.reference import (
    COUNCIL_SLUG,
    KURULTAI_FROM,
    SENATE_2023_SEATS_FROM,
    SENATE_SLUG,
    SUCCESSOR_COUNCIL_SLUG,
    apparatus_slug,
    load_reference,
    maslikhat_slug,
)
from maslikhat.directory.services import boundaries_changed

from .names import make_name

SOURCE = "synthetic demo data"
ELECTIONS_2023 = date(2023, 3, 19)
TERM_START = date(2023, 3, 29)
PREVIOUS_TERM = date(2016, 3, 30)
RENAME = date(2023, 1, 1)
PARTY_SLUGS = ["party-amanat", "party-auyl", "party-respublica", "party-ak-zhol", "party-qhp", "party-nsdp"]
PARTY_WEIGHTS = [55, 10, 9, 9, 8, 9]

# Real district-level units whose maslikhats the demo fills with synthetic data.
DISTRICTS: list[tuple[str, str, str, str, str, str]] = [
    # region, kind, slug part, kk, ru, en
    ("KZ-19", AreaKind.DISTRICT, "talgar", "Талғар ауданы", "Талгарский район", "Talgar District"),
    ("KZ-19", AreaKind.DISTRICT, "karasay", "Қарасай ауданы", "Карасайский район", "Karasay District"),
    ("KZ-35", AreaKind.CITY, "temirtau", "Теміртау қаласы", "город Темиртау", "Temirtau City"),
    ("KZ-61", AreaKind.DISTRICT, "saryagash", "Сарыағаш ауданы", "Сарыагашский район", "Saryagash District"),
    ("KZ-47", AreaKind.CITY, "zhanaozen", "Жаңаөзен қаласы", "город Жанаозен", "Zhanaozen City"),
    ("KZ-11", AreaKind.DISTRICT, "burabay", "Бурабай ауданы", "Бурабайский район", "Burabay District"),
]
COMMISSIONS = [
    (
        "budget",
        "Бюджет және экономика мәселелері жөніндегі тұрақты комиссия",
        "Постоянная комиссия по вопросам бюджета и экономики",
        "Standing Commission on Budget and the Economy",
    ),
    (
        "social",
        "Әлеуметтік-мәдени даму жөніндегі тұрақты комиссия",
        "Постоянная комиссия по социально-культурному развитию",
        "Standing Commission on Social and Cultural Development",
    ),
    (
        "infrastructure",
        "Инфрақұрылым және экология жөніндегі тұрақты комиссия",
        "Постоянная комиссия по инфраструктуре и экологии",
        "Standing Commission on Infrastructure and Ecology",
    ),
    (
        "legality",
        "Заңдылық және азаматтардың өтініштері жөніндегі тұрақты комиссия",
        "Постоянная комиссия по законности и обращениям граждан",
        "Standing Commission on Legality and Citizens' Appeals",
    ),
]


@dataclass
class Batch:
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "constituencies": 0,
            "deputies": 0,
            "people": 0,
            "organizations": 0,
            "district_maslikhats": 0,
        }
    )


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data
        self.batch = Batch()
        self.parties = {p.slug: p for p in Organization.objects.filter(slug__in=PARTY_SLUGS)}
        self.used_slugs: set[str] = set()

    # -------------------------------------------------------------- people
    def person(self, role_en: str, role_ru: str, role_kk: str) -> Person:
        name = make_name(self.rng)
        slug = name.latin_slug
        n = 1
        while slug in self.used_slugs:
            n += 1
            slug = f"{name.latin_slug}{n}"
        self.used_slugs.add(slug)
        person = Person(
            name_kk=name.kk,
            name_ru=name.ru,
            name_en=name.en,
            sort_name=name.sort,
            gender=name.gender,
            email=f"{slug}@demo.maslikhat.kz",
            biography_kk=f"{role_kk}. Бұл — демонстрациялық деректер, нақты адам емес.",
            biography_ru=f"{role_ru}. Это демонстрационные данные, а не реальный человек.",
            biography_en=f"{role_en}. This is synthetic demo data, not a real person.",
            source=SOURCE,
            is_demo=True,
        )
        person.save()
        self.batch.counts["people"] += 1
        return person

    def party(self) -> Organization | None:
        slug = self.rng.choices(PARTY_SLUGS, weights=PARTY_WEIGHTS)[0]
        return self.parties.get(slug)

    def member(
        self,
        person: Person,
        org: Organization,
        role: str,
        start: date,
        *,
        post: Post | None = None,
        end: date | None = None,
        method: str = "",
        party: Organization | None = None,
    ) -> None:
        self.batch.memberships.append(
            Membership(
                person=person,
                organization=org,
                post=post,
                role=role,
                start_date=start,
                end_date=end,
                election_method=method,
                on_behalf_of=party,
                source=SOURCE,
                is_demo=True,
            )
        )

    # -------------------------------------------------------------- geometry
    def sample_points(self, geom: BaseGeometry, n: int) -> list[shapely.Point]:
        minx, miny, maxx, maxy = geom.bounds
        prepared = geom
        shapely.prepare(prepared)
        points: list[shapely.Point] = []
        tries = 0
        while len(points) < n and tries < n * 2000:
            tries += 1
            p = shapely.Point(self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy))
            if prepared.contains(p):
                points.append(p)
        return points

    def cells(self, geom: BaseGeometry, n: int) -> list[BaseGeometry]:
        """n Voronoi cells of random points inside `geom`, clipped to it, ordered west to east."""
        points = self.sample_points(geom, n)
        points.sort(key=lambda p: (round(-p.y, 2), p.x))
        diagram = shapely.voronoi_polygons(
            shapely.MultiPoint(points), extend_to=geom.envelope.buffer(1), ordered=True
        )
        result = []
        for cell in diagram.geoms:
            clipped = cell.intersection(geom)
            if clipped.geom_type == "GeometryCollection":
                clipped = shapely.union_all(
                    [g for g in clipped.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
                )
            result.append(clipped)
        return result

    def constituencies(
        self, body: Organization, parent: Area, geom: BaseGeometry, n: int, prefix: str
    ) -> list[Area]:
        areas = []
        for i, cell in enumerate(self.cells(geom, n), start=1):
            boundary = geo.normalized(mapping(cell))
            areas.append(
                Area(
                    code=f"{prefix}-C{i:02d}",
                    kind=AreaKind.CONSTITUENCY,
                    parent=parent,
                    body=body,
                    number=i,
                    name_kk=f"№{i} сайлау округі",
                    name_ru=f"Избирательный округ №{i}",
                    name_en=f"Constituency No. {i}",
                    boundary=boundary,
                    boundary_web=geo.simplified(boundary, tolerance=0.002),
                    valid_from=ELECTIONS_2023,
                    source=SOURCE,
                    is_demo=True,
                )
            )
        Area.objects.bulk_create(areas)
        self.batch.counts["constituencies"] += len(areas)
        return areas

    # -------------------------------------------------------------- bodies
    def fill_maslikhat(
        self, body: Organization, area: Area, geom: BaseGeometry, *, seats: int, party_list: bool, prefix: str
    ) -> list[Person]:
        single = seats // 2 if party_list else seats
        deputies: list[Person] = []
        for c in self.constituencies(body, area, geom, single, prefix):
            post = Post.objects.create(
                organization=body,
                role=PostRole.CONSTITUENCY_DEPUTY,
                area=c,
                start_date=TERM_START,
                label_kk=f"№{c.number} сайлау округі бойынша депутат",
                label_ru=f"Депутат по избирательному округу №{c.number}",
                label_en=f"Deputy for constituency No. {c.number}",
                is_demo=True,
            )
            person = self.person(
                f"Deputy of {body.name_en}", f"Депутат: {body.name_ru}", f"Депутат: {body.name_kk}"
            )
            party = self.party() if self.rng.random() < 0.8 else None
            self.member(
                person,
                body,
                PostRole.CONSTITUENCY_DEPUTY,
                TERM_START,
                post=post,
                method=ElectionMethod.SINGLE_MANDATE,
                party=party,
            )
            deputies.append(person)
        if party_list:
            for i in range(seats - single):
                post = Post.objects.create(
                    organization=body,
                    role=PostRole.PARTY_LIST_DEPUTY,
                    start_date=TERM_START,
                    label_kk=f"Партиялық тізім бойынша депутат, {i + 1}-орын",
                    label_ru=f"Депутат по партийному списку, место {i + 1}",
                    label_en=f"Party-list deputy, seat {i + 1}",
                    is_demo=True,
                )
                person = self.person(
                    f"Deputy of {body.name_en}", f"Депутат: {body.name_ru}", f"Депутат: {body.name_kk}"
                )
                self.member(
                    person,
                    body,
                    PostRole.PARTY_LIST_DEPUTY,
                    TERM_START,
                    post=post,
                    method=ElectionMethod.PARTY_LIST,
                    party=self.party(),
                )
                deputies.append(person)
        self.batch.counts["deputies"] += len(deputies)
        chair_post = body.posts.filter(role=PostRole.CHAIR).first() or Post.objects.create(
            organization=body,
            role=PostRole.CHAIR,
            start_date=max(body.founding_date, RENAME),
            label_kk="Мәслихат төрағасы",
            label_ru="Председатель маслихата",
            label_en="Chair of the maslikhat",
            is_demo=True,
        )
        self.member(
            deputies[0], body, PostRole.CHAIR, TERM_START, post=chair_post, method=ElectionMethod.INDIRECT
        )
        secretary_post = body.posts.filter(role=PostRole.SECRETARY).first()
        if secretary_post is not None:
            secretary = self.person(
                f"Former secretary of {body.name_en}",
                f"Бывший секретарь: {body.name_ru}",
                f"Бұрынғы хатшы: {body.name_kk}",
            )
            self.member(
                secretary,
                body,
                PostRole.SECRETARY,
                max(PREVIOUS_TERM, secretary_post.start_date),
                post=secretary_post,
                end=RENAME,
                method=ElectionMethod.INDIRECT,
            )
        for n, (code, kk, ru, en) in enumerate(COMMISSIONS[: 3 if party_list else 2], start=1):
            commission = Organization.objects.create(
                slug=f"{body.slug.removesuffix('-maslikhat')}-commission-{n}",
                kind=OrganizationKind.STANDING_COMMISSION,
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                parent=body,
                area=area,
                founding_date=TERM_START,
                source=SOURCE,
                is_demo=True,
            )
            self.batch.counts["organizations"] += 1
            members = self.rng.sample(deputies[1:], min(5, len(deputies) - 1))
            for j, person in enumerate(members):
                role = PostRole.COMMISSION_CHAIR if j == 0 else PostRole.COMMISSION_MEMBER
                self.member(person, commission, role, TERM_START, method=ElectionMethod.INDIRECT)
            del code
        return deputies


def _parties_present() -> None:
    from maslikhat.directory.services import organization_upsert

    parties = [
        ("party-amanat", "AMANAT партиясы", "Партия AMANAT", "AMANAT Party", date(1999, 3, 1)),
        (
            "party-auyl",
            "«Ауыл» халықтық-демократиялық патриоттық партиясы",
            "Народно-демократическая патриотическая партия «Ауыл»",
            "Auyl People's Democratic Patriotic Party",
            date(2000, 3, 1),
        ),
        (
            "party-respublica",
            "Respublica партиясы",
            "Партия Respublica",
            "Respublica Party",
            date(2022, 12, 1),
        ),
        (
            "party-ak-zhol",
            "«Ақ жол» Қазақстан демократиялық партиясы",
            "Демократическая партия Казахстана «Ак жол»",
            "Ak Zhol Democratic Party of Kazakhstan",
            date(2002, 4, 1),
        ),
        (
            "party-qhp",
            "Қазақстан Халық партиясы",
            "Народная партия Казахстана",
            "People's Party of Kazakhstan",
            date(2004, 6, 1),
        ),
        (
            "party-nsdp",
            "Жалпыұлттық социал-демократиялық партия",
            "Общенациональная социал-демократическая партия",
            "National Social Democratic Party",
            date(2006, 9, 1),
        ),
    ]
    for slug, kk, ru, en, founded in parties:
        organization_upsert(
            actor=None,
            slug=slug,
            log=False,
            defaults={
                "kind": OrganizationKind.PARTY,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "founding_date": founded,
                "source": "Parties in the Mazhilis after 2023 (founding dates approximate)",
            },
        )


def demo_present() -> bool:
    return Organization.objects.filter(is_demo=True).exists() or Area.objects.filter(is_demo=True).exists()


@transaction.atomic
def reset_demo() -> None:
    Membership.objects.filter(is_demo=True).delete()
    Post.objects.filter(is_demo=True).delete()
    Area.objects.filter(is_demo=True, kind=AreaKind.CONSTITUENCY).delete()
    Organization.objects.filter(is_demo=True, kind=OrganizationKind.STANDING_COMMISSION).delete()
    Organization.objects.filter(is_demo=True, kind=OrganizationKind.APPARATUS).delete()
    Organization.objects.filter(is_demo=True).delete()
    Area.objects.filter(is_demo=True).delete()
    Person.objects.filter(is_demo=True).delete()
    boundaries_changed()


@transaction.atomic
def generate_demo(*, seed: int = 1, reset: bool = False) -> dict[str, int] | None:
    """Generate the demo directory. Returns the counts, or None when demo data was present."""
    if not Area.objects.filter(kind=AreaKind.REGION).exists():
        load_reference()
    _parties_present()
    if demo_present():
        if not reset:
            return None
        reset_demo()
    gen = Generator(seed)
    regions = {a.code: a for a in Area.objects.filter(kind=AreaKind.REGION).order_by("code")}
    shapes = {code: geo.to_shape(a.boundary) for code, a in regions.items() if a.boundary}
    regional_chairs: dict[str, Person] = {}
    for code, region in regions.items():
        body = Organization.objects.get(slug=maslikhat_slug(code))
        seats = max(30, min(50, 2 * round((region.population or 0) / 100_000) + 20))
        seats -= seats % 2
        Organization.objects.filter(pk=body.pk).update(seats=seats)
        deputies = gen.fill_maslikhat(body, region, shapes[code], seats=seats, party_list=True, prefix=code)
        regional_chairs[code] = deputies[0]
    for region_code, kind, slug_part, kk, ru, en in DISTRICTS:
        region = regions[region_code]
        cell = gen.cells(shapes[region_code], 8)[gen.rng.randrange(8)]
        boundary = geo.normalized(mapping(cell))
        district = Area.objects.create(
            code=f"{region_code}-{slug_part.upper()}",
            kind=kind,
            parent=region,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            boundary=boundary,
            boundary_web=geo.simplified(boundary, tolerance=0.003),
            centre_lat=round(cell.representative_point().y, 4),
            centre_lon=round(cell.representative_point().x, 4),
            source=SOURCE,
            is_demo=True,
        )
        maslikhat_kind = (
            OrganizationKind.CITY_MASLIKHAT if kind == AreaKind.CITY else OrganizationKind.DISTRICT_MASLIKHAT
        )
        org = Organization.objects.create(
            slug=f"{region_code.lower()}-{slug_part}-maslikhat",
            kind=maslikhat_kind,
            name_kk=f"{kk} мәслихаты",
            name_ru=f"Маслихат: {ru}",
            name_en=f"{en} Maslikhat",
            parent=Organization.objects.get(slug=maslikhat_slug(region_code)),
            area=district,
            founding_date=TERM_START,
            seats=gen.rng.randrange(9, 16),
            source=SOURCE,
            is_demo=True,
        )
        Organization.objects.create(
            slug=f"{region_code.lower()}-{slug_part}-apparatus",
            kind=OrganizationKind.APPARATUS,
            name_kk=f"{kk} мәслихатының аппараты",
            name_ru=f"Аппарат маслихата: {ru}",
            name_en=f"Apparatus of the {en} Maslikhat",
            parent=org,
            area=district,
            founding_date=TERM_START,
            source=SOURCE,
            is_demo=True,
        )
        Post.objects.create(
            organization=org,
            role=PostRole.CHAIR,
            start_date=TERM_START,
            label_kk="Мәслихат төрағасы",
            label_ru="Председатель маслихата",
            label_en="Chair of the maslikhat",
            is_demo=True,
        )
        gen.batch.counts["organizations"] += 2
        gen.batch.counts["district_maslikhats"] += 1
        gen.fill_maslikhat(
            org,
            district,
            geo.to_shape(boundary),
            seats=org.seats or 9,
            party_list=False,
            prefix=district.code,
        )
    # National level (Senate era): two elected senators per region, ten appointed, the council.
    senate = Organization.objects.get(slug=SENATE_SLUG)
    council = Organization.objects.get(slug=COUNCIL_SLUG)
    successor = Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG)
    senators = []
    for post in senate.posts.order_by("id"):
        person = gen.person("Senator (2023-2026)", "Сенатор (2023-2026)", "Сенатор (2023-2026)")
        method = (
            ElectionMethod.APPOINTED if post.role == PostRole.APPOINTED_SENATOR else ElectionMethod.INDIRECT
        )
        gen.member(
            person, senate, post.role, SENATE_2023_SEATS_FROM, post=post, end=KURULTAI_FROM, method=method
        )
        senators.append(person)
    gen.member(
        senators[0],
        council,
        PostRole.COUNCIL_CHAIR,
        SENATE_2023_SEATS_FROM,
        end=KURULTAI_FROM,
        method=ElectionMethod.EX_OFFICIO,
    )
    for person in senators[1:6]:
        gen.member(
            person,
            council,
            PostRole.COUNCIL_MEMBER,
            SENATE_2023_SEATS_FROM,
            end=KURULTAI_FROM,
            method=ElectionMethod.EX_OFFICIO,
        )
    for chair in regional_chairs.values():
        gen.member(
            chair,
            council,
            PostRole.COUNCIL_MEMBER,
            TERM_START,
            end=KURULTAI_FROM,
            method=ElectionMethod.EX_OFFICIO,
        )
        gen.member(chair, successor, PostRole.COUNCIL_MEMBER, KURULTAI_FROM, method=ElectionMethod.EX_OFFICIO)
    Membership.objects.bulk_create(gen.batch.memberships, batch_size=500)
    boundaries_changed()
    counts = {**gen.batch.counts, "memberships": len(gen.batch.memberships)}
    log_action(
        actor=None, event="demo.generated", visibility=Visibility.PUBLIC, data={"seed": seed, **counts}
    )
    return counts


def last_generation() -> dict[str, Any] | None:
    row = ActionLog.objects.filter(event="demo.generated").order_by("-id").first()
    return row.data if row else None


__all__ = ["apparatus_slug", "generate_demo", "last_generation", "reset_demo"]
