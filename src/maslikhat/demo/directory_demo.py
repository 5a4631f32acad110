"""The synthetic demo directory: constituencies, deputies, chairs, commissions, district and city
maslikhats and national representatives, generated inside the real region boundaries.

Deterministic for a seed: every region draws from its own random stream (seeded by the seed and
the region code), so the same seed gives the same names and the same geometry, also when only some
regions are generated. Skipped when demo data exists (reset=True deletes it and generates again).
Everything it writes has is_demo=True and source "synthetic demo data"; it reads the real
reference data (regions, their maslikhats and posts, the national level, the parties).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import shapely
from django.db import transaction
from django.db.models import ProtectedError
from shapely import affinity
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from maslikhat.core.audit import log_action
from maslikhat.core.models import ActionLog, Visibility
from maslikhat.directory import geo
from maslikhat.directory.choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.models import Area, Membership, Organization, Person, Post
from maslikhat.directory.reference import (
    CHAIR_TITLE_FROM,
    COUNCIL_SLUG,
    KURULTAI_FROM,
    PARTIES,
    SENATE_2023_SEATS_FROM,
    SENATE_SLUG,
    SUCCESSOR_COUNCIL_SLUG,
    load_reference,
    maslikhat_slug,
)
from maslikhat.directory.services import boundaries_changed, organization_upsert

from .names import OCCUPATIONS, make_name

SOURCE = "synthetic demo data"
EVENT = "demo.generated"
ELECTIONS_2023 = date(2023, 3, 19)  # maslikhat elections
TERM_START = date(2023, 3, 29)  # first sessions of the new maslikhats (approximate)
SECRETARY_TERM_YEAR = 2018  # the synthetic secretaries took office in 2018
EMAIL_DOMAIN = "demo.maslikhat.kz"
PARTY_WEIGHTS = {
    "party-amanat": 60,
    "party-ak-zhol": 8,
    "party-auyl": 9,
    "party-qhp": 7,
    "party-respublica": 8,
    "party-nsdp": 8,
}
SELF_NOMINATED_SHARE = 0.2  # of single-mandate deputies
COUNCIL_SENATORS = 6  # elected senators who sit on the Senate's council besides its chair


def kk_genitive(name_kk: str) -> str:
    """The Kazakh genitive: "Астана қалалық мәслихаты" → "Астана қалалық мәслихатының"."""
    return name_kk.removesuffix("мәслихаты") + "мәслихатының" if name_kk.endswith("мәслихаты") else name_kk


def ru_genitive(name_ru: str) -> str:
    """The Russian genitive: "Маслихат города Астаны" → "маслихата города Астаны",
    "Талгарский районный маслихат" → "Талгарского районного маслихата"."""
    if name_ru.startswith("Маслихат "):
        return "маслихата " + name_ru.removeprefix("Маслихат ")
    if name_ru.endswith("ий районный маслихат"):
        return name_ru.removesuffix("ий районный маслихат") + "ого районного маслихата"
    return name_ru


@dataclass(frozen=True)
class DemoDistrict:
    """A real district or city of regional significance whose maslikhat the demo fills."""

    region: str
    key: str
    kind: str  # AreaKind.DISTRICT or AreaKind.CITY
    lat: float  # its real centre
    lon: float
    area_names: tuple[str, str, str]  # kk, ru, en
    body_names: tuple[str, str, str]
    apparatus_names: tuple[str, str, str]


def _district(region: str, key: str, lat: float, lon: float, kk: str, ru_adj: str, en: str) -> DemoDistrict:
    return DemoDistrict(
        region=region,
        key=key,
        kind=AreaKind.DISTRICT,
        lat=lat,
        lon=lon,
        area_names=(f"{kk} ауданы", f"{ru_adj} район", f"{en} District"),
        body_names=(f"{kk} аудандық мәслихаты", f"{ru_adj} районный маслихат", f"{en} District Maslikhat"),
        apparatus_names=(
            f"{kk} аудандық мәслихатының аппараты",
            "Аппарат " + ru_genitive(f"{ru_adj} районный маслихат"),
            f"Apparatus of the {en} District Maslikhat",
        ),
    )


def _city(region: str, key: str, lat: float, lon: float, kk: str, ru: str, en: str) -> DemoDistrict:
    return DemoDistrict(
        region=region,
        key=key,
        kind=AreaKind.CITY,
        lat=lat,
        lon=lon,
        area_names=(f"{kk} қаласы", f"город {ru}", f"{en} City"),
        body_names=(f"{kk} қалалық мәслихаты", f"Маслихат города {ru}", f"{en} City Maslikhat"),
        apparatus_names=(
            f"{kk} қалалық мәслихатының аппараты",
            f"Аппарат маслихата города {ru}",
            f"Apparatus of the {en} City Maslikhat",
        ),
    )


# Real district-level units (names and centres are real; their demo boundaries are not).
DISTRICTS = [
    _district("KZ-11", "burabay", 52.935, 70.190, "Бурабай", "Бурабайский", "Burabay"),
    _district("KZ-19", "talgar", 43.303, 77.240, "Талғар", "Талгарский", "Talgar"),
    _district("KZ-19", "karasay", 43.200, 76.620, "Қарасай", "Карасайский", "Karasay"),
    _city("KZ-35", "temirtau", 50.054, 72.964, "Теміртау", "Темиртау", "Temirtau"),
    _city("KZ-47", "zhanaozen", 43.340, 52.860, "Жаңаөзен", "Жанаозен", "Zhanaozen"),
    _city("KZ-55", "ekibastuz", 51.720, 75.320, "Екібастұз", "Экибастуз", "Ekibastuz"),
    _district("KZ-61", "saryagash", 41.450, 69.170, "Сарыағаш", "Сарыагашский", "Saryagash"),
]
DISTRICT_PARTITION = 12  # Voronoi cells a region is cut into to shape its demo districts
CITY_RADIUS_DEG = 0.09  # about 10 km north-south

COMMISSIONS = [
    (
        "Бюджет және экономика мәселелері жөніндегі тұрақты комиссия",
        "Постоянная комиссия по вопросам бюджета и экономики",
        "Standing Commission on Budget and the Economy",
    ),
    (
        "Әлеуметтік-мәдени даму жөніндегі тұрақты комиссия",
        "Постоянная комиссия по социально-культурному развитию",
        "Standing Commission on Social and Cultural Development",
    ),
    (
        "Инфрақұрылым және экология жөніндегі тұрақты комиссия",
        "Постоянная комиссия по инфраструктуре и экологии",
        "Standing Commission on Infrastructure and Ecology",
    ),
    (
        "Заңдылық және азаматтардың өтініштері жөніндегі тұрақты комиссия",
        "Постоянная комиссия по законности и обращениям граждан",
        "Standing Commission on Legality and Citizens' Appeals",
    ),
]


class DemoResetError(RuntimeError):
    """Real (non-demo) records refer to the demo directory, so it cannot be deleted."""


def regional_seats(population: int | None) -> int:
    """An even number of seats between 30 and 50, growing with the population."""
    seats = 2 * round((population or 0) / 100_000) + 20
    return max(30, min(50, seats))


def web_tolerance(geom: BaseGeometry) -> float:
    """Simplification tolerance for the map copy: finer for small cells (city constituencies)."""
    return min(geo.WEB_TOLERANCE_DEG, max(0.0005, math.sqrt(geom.area) / 100))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type == "GeometryCollection":
        return shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geom


def sample_points(rng: random.Random, geom: BaseGeometry, n: int) -> list[shapely.Point]:
    """n distinct random points inside `geom` (rejection sampling over its bounding box)."""
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    points: list[shapely.Point] = []
    seen: set[tuple[float, float]] = set()
    for _ in range(n * 5000):
        if len(points) == n:
            break
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if (x, y) not in seen and shapely.contains_xy(geom, x, y):
            seen.add((x, y))
            points.append(shapely.Point(x, y))
    if len(points) < n:
        raise ValueError(f"could not place {n} points inside the geometry")
    return points


def voronoi_cells(geom: BaseGeometry, points: list[shapely.Point]) -> list[BaseGeometry]:
    """The Voronoi cell of each point (in the order given), clipped to `geom`: together they
    cover `geom` and do not overlap."""
    if len(points) == 1:
        return [geom]
    diagram = shapely.voronoi_polygons(
        shapely.MultiPoint(points), extend_to=geom.envelope.buffer(1.0), ordered=True
    )
    return [_polygonal(cell.intersection(geom)) for cell in diagram.geoms]


def reading_order(geom: BaseGeometry, points: list[shapely.Point]) -> list[shapely.Point]:
    """Points in rows from north to south, each row west to east (how constituencies are numbered)."""
    rows = max(1, round(math.sqrt(len(points))))
    _, miny, _, maxy = geom.bounds
    height = (maxy - miny) or 1.0
    return sorted(points, key=lambda p: (min(rows - 1, int((maxy - p.y) / height * rows)), p.x))


@dataclass
class Pending:
    """Rows built in memory and written in bulk at the end, in dependency order."""

    people: list[Person] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.pending = Pending()
        self.counts = {
            "constituencies": 0,
            "deputies": 0,
            "people": 0,
            "organizations": 0,
            "district_maslikhats": 0,
            "posts": 0,
            "memberships": 0,
        }
        self.parties = {o.slug: o for o in Organization.objects.filter(kind=OrganizationKind.PARTY)}
        self.emails: set[str] = set()
        # Birth year and occupation of each person not yet written (by object identity).
        self.facts: dict[int, tuple[int, tuple[str, str, str]]] = {}

    def rng(self, key: str) -> random.Random:
        # A string seed is hashed with SHA-512: stable across processes and Python runs.
        return random.Random(f"maslikhat-demo:{self.seed}:{key}")  # noqa: S311 - demo data, not security

    # -------------------------------------------------------------- people and memberships
    def person(self, rng: random.Random, role: tuple[str, str, str]) -> Person:
        name = make_name(rng)
        born = rng.randint(1962, 1998)
        occupation = rng.choice(OCCUPATIONS)
        email = f"{name.latin_slug}@{EMAIL_DOMAIN}"
        n = 1
        while email in self.emails:
            n += 1
            email = f"{name.latin_slug}{n}@{EMAIL_DOMAIN}"
        self.emails.add(email)
        person = Person(
            name_kk=name.kk,
            name_ru=name.ru,
            name_en=name.en,
            sort_name=name.sort,
            gender=name.gender,
            email=email,
            source=SOURCE,
            is_demo=True,
        )
        self.facts[id(person)] = (born, occupation)
        self.set_biography(person, role)
        self.pending.people.append(person)
        self.counts["people"] += 1
        return person

    def set_biography(self, person: Person, role: tuple[str, str, str]) -> None:
        born, (occ_kk, occ_ru, occ_en) = self.facts[id(person)]
        was_born = "Родилась" if person.gender == "female" else "Родился"
        person.biography_kk = (
            f"{born} жылы туған. {occ_kk}. {role[0]}. Демонстрациялық деректер: бұл нақты адам емес."
        )
        person.biography_ru = (
            f"{was_born} в {born} году. {occ_ru}. {role[1]}. "
            "Демонстрационные данные: это не реальный человек."
        )
        person.biography_en = f"Born in {born}. {occ_en}. {role[2]}. Synthetic demo data: not a real person."

    def post(
        self, organization: Organization, role: str, labels: tuple[str, str, str], **fields: Any
    ) -> Post:
        post = Post(
            organization=organization,
            role=role,
            label_kk=labels[0],
            label_ru=labels[1],
            label_en=labels[2],
            start_date=fields.pop("start_date", TERM_START),
            is_demo=True,
            **fields,
        )
        self.pending.posts.append(post)
        self.counts["posts"] += 1
        return post

    def member(
        self,
        person: Person,
        organization: Organization,
        role: str,
        start: date,
        *,
        post: Post | None = None,
        end: date | None = None,
        method: str = "",
        party: Organization | None = None,
    ) -> Membership:
        membership = Membership(
            person=person,
            organization=organization,
            post=post,
            role=role,
            start_date=start,
            end_date=end,
            election_method=method,
            on_behalf_of=party,
            source=SOURCE,
            is_demo=True,
        )
        self.pending.memberships.append(membership)
        self.counts["memberships"] += 1
        return membership

    def party(self, rng: random.Random) -> Organization | None:
        slugs = sorted(PARTY_WEIGHTS)
        slug = rng.choices(slugs, weights=[PARTY_WEIGHTS[s] for s in slugs])[0]
        return self.parties.get(slug)

    # -------------------------------------------------------------- geometry
    def constituencies(
        self, rng: random.Random, body: Organization, parent: Area, geom: BaseGeometry, n: int, prefix: str
    ) -> list[Area]:
        points = reading_order(geom, sample_points(rng, geom, n))
        areas = []
        for i, cell in enumerate(voronoi_cells(geom, points), start=1):
            boundary = geo.normalized(mapping(cell))
            centre = points[i - 1]
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
                    centre_lat=round(centre.y, 5),
                    centre_lon=round(centre.x, 5),
                    boundary=boundary,
                    boundary_web=geo.simplified(boundary, tolerance=web_tolerance(cell)),
                    valid_from=ELECTIONS_2023,
                    source=SOURCE,
                    is_demo=True,
                )
            )
        Area.objects.bulk_create(areas)
        self.counts["constituencies"] += len(areas)
        return areas

    def district_shapes(
        self, rng: random.Random, region: BaseGeometry, districts: list[DemoDistrict]
    ) -> dict[str, BaseGeometry]:
        """Demo boundaries of a region's districts and cities: a city is an ellipse of about
        10 km around its real centre; a district is the Voronoi cell, among a partition of the
        region, of its real centre, minus the cities. All are clipped to the region."""
        shapes: dict[str, BaseGeometry] = {}
        for d in districts:
            if d.kind == AreaKind.CITY:
                circle = shapely.Point(d.lon, d.lat).buffer(CITY_RADIUS_DEG, quad_segs=16)
                ellipse = affinity.scale(circle, xfact=1 / math.cos(math.radians(d.lat)), yfact=1.0)
                shapes[d.key] = _polygonal(ellipse.intersection(region))
        cities = shapely.union_all(list(shapes.values())) if shapes else None
        rural = [d for d in districts if d.kind != AreaKind.CITY]
        if rural:
            centres = [shapely.Point(d.lon, d.lat) for d in rural]
            others = sample_points(rng, region, DISTRICT_PARTITION - len(centres))
            for d, cell in zip(rural, voronoi_cells(region, centres + others), strict=False):
                shapes[d.key] = _polygonal(cell.difference(cities)) if cities is not None else cell
        return shapes

    # -------------------------------------------------------------- bodies
    def fill_maslikhat(
        self,
        rng: random.Random,
        body: Organization,
        area: Area,
        geom: BaseGeometry,
        *,
        seats: int,
        party_list: bool,
        prefix: str,
        commissions: int,
        chair_post: Post,
    ) -> Person:
        """Deputies (half single-mandate and half party-list, or all single-mandate), the chair
        (one of the deputies) and standing commissions. Returns the chair."""
        single = seats // 2 if party_list else seats
        of_kk, of_ru = kk_genitive(body.name_kk), ru_genitive(body.name_ru)
        deputy_role = (
            f"{of_kk} депутаты (2023 жылдан)",
            f"Депутат {of_ru} (с 2023 года)",
            f"Deputy of the {body.name_en} (since 2023)",
        )
        deputies: list[Person] = []
        for c in self.constituencies(rng, body, area, geom, single, prefix):
            post = self.post(
                body,
                PostRole.CONSTITUENCY_DEPUTY,
                (
                    f"№{c.number} сайлау округі бойынша депутат",
                    f"Депутат по избирательному округу №{c.number}",
                    f"Deputy for constituency No. {c.number}",
                ),
                area=c,
            )
            person = self.person(rng, deputy_role)
            party = None if rng.random() < SELF_NOMINATED_SHARE else self.party(rng)
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
        for seat in range(1, seats - single + 1):
            post = self.post(
                body,
                PostRole.PARTY_LIST_DEPUTY,
                (
                    f"Партиялық тізім бойынша депутат, {seat}-орын",
                    f"Депутат по партийному списку, место {seat}",
                    f"Party-list deputy, seat {seat}",
                ),
            )
            person = self.person(rng, deputy_role)
            self.member(
                person,
                body,
                PostRole.PARTY_LIST_DEPUTY,
                TERM_START,
                post=post,
                method=ElectionMethod.PARTY_LIST,
                party=self.party(rng),
            )
            deputies.append(person)
        self.counts["deputies"] += len(deputies)

        # The chair is elected by the deputies from among themselves (never constituency 1's
        # deputy, so that the demo account of that deputy is a plain deputy).
        chair = rng.choice(deputies[1:])
        self.member(chair, body, PostRole.CHAIR, TERM_START, post=chair_post, method=ElectionMethod.INDIRECT)
        self.set_biography(
            chair,
            (
                f"{of_kk} депутаты және төрағасы (2023 жылдан)",
                f"Депутат и председатель {of_ru} (с 2023 года)",
                f"Deputy and chair of the {body.name_en} (since 2023)",
            ),
        )
        others = [d for d in deputies if d is not chair]
        rng.shuffle(others)
        prefix_slug = body.slug.removesuffix("-maslikhat")
        for n, (kk, ru, en) in enumerate(COMMISSIONS[:commissions], start=1):
            commission = Organization.objects.create(
                slug=f"{prefix_slug}-commission-{n}",
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
            self.counts["organizations"] += 1
            for j, person in enumerate(others[n - 1 :: commissions]):
                role = PostRole.COMMISSION_CHAIR if j == 0 else PostRole.COMMISSION_MEMBER
                self.member(person, commission, role, TERM_START, method=ElectionMethod.INDIRECT)
        return chair

    def secretary(self, rng: random.Random, body: Organization, chair_post: Post) -> None:
        """The last secretary before the 2023 rename: on the secretary post from 2018 (or the
        body's founding) to 1 Jan 2023, then chair under the new title until the new convocation."""
        post = body.posts.filter(role=PostRole.SECRETARY).order_by("start_date").last()
        if post is None:
            return
        person = self.person(
            rng,
            (
                f"{kk_genitive(body.name_kk)} хатшысы (2023 жылға дейін), кейін жаңа шақырылымға "
                "дейін төрағасы",
                f"Секретарь {ru_genitive(body.name_ru)} (до 2023 года), затем председатель до нового созыва",
                f"Secretary of the {body.name_en} until 2023, then its chair until the new convocation",
            ),
        )
        start = max(date(SECRETARY_TERM_YEAR, rng.randint(1, 12), rng.randint(1, 28)), post.start_date)
        self.member(
            person,
            body,
            PostRole.SECRETARY,
            start,
            post=post,
            end=CHAIR_TITLE_FROM,
            method=ElectionMethod.INDIRECT,
        )
        self.member(
            person,
            body,
            PostRole.CHAIR,
            max(CHAIR_TITLE_FROM, chair_post.start_date),
            post=chair_post,
            end=TERM_START,
            method=ElectionMethod.INDIRECT,
        )

    def district_maslikhat(
        self, rng: random.Random, d: DemoDistrict, region: Area, parent: Organization, geom: BaseGeometry
    ) -> None:
        boundary = geo.normalized(mapping(geom))
        centre = geom.representative_point() if not geom.contains(shapely.Point(d.lon, d.lat)) else None
        district = Area.objects.create(
            code=f"{d.region}-{d.key.upper()}",
            kind=d.kind,
            parent=region,
            name_kk=d.area_names[0],
            name_ru=d.area_names[1],
            name_en=d.area_names[2],
            centre_lat=round(centre.y, 5) if centre else d.lat,
            centre_lon=round(centre.x, 5) if centre else d.lon,
            boundary=boundary,
            boundary_web=geo.simplified(boundary, tolerance=web_tolerance(geom)),
            valid_from=ELECTIONS_2023,
            source=SOURCE,
            is_demo=True,
        )
        seats = rng.randint(9, 15)
        body = Organization.objects.create(
            slug=f"{d.region.lower()}-{d.key}-maslikhat",
            kind=OrganizationKind.CITY_MASLIKHAT
            if d.kind == AreaKind.CITY
            else OrganizationKind.DISTRICT_MASLIKHAT,
            name_kk=d.body_names[0],
            name_ru=d.body_names[1],
            name_en=d.body_names[2],
            parent=parent,
            area=district,
            founding_date=TERM_START,
            seats=seats,
            source=SOURCE,
            is_demo=True,
        )
        Organization.objects.create(
            slug=f"{d.region.lower()}-{d.key}-apparatus",
            kind=OrganizationKind.APPARATUS,
            name_kk=d.apparatus_names[0],
            name_ru=d.apparatus_names[1],
            name_en=d.apparatus_names[2],
            parent=body,
            area=district,
            founding_date=TERM_START,
            source=SOURCE,
            is_demo=True,
        )
        self.counts["organizations"] += 2
        self.counts["district_maslikhats"] += 1
        chair_post = self.post(
            body,
            PostRole.CHAIR,
            ("Мәслихат төрағасы", "Председатель маслихата", "Chair of the maslikhat"),
        )
        self.fill_maslikhat(
            rng,
            body,
            district,
            geo.to_shape(boundary),
            seats=seats,
            party_list=False,
            prefix=district.code,
            commissions=2,
            chair_post=chair_post,
        )

    def national(self, regions: list[str], chairs: list[Person]) -> None:
        """Senators on the Senate's seats of the generated regions (and the appointed ones), the
        Senate's council (a senator as chair, some senators and the regional chairs) and its
        successor (the regional chairs) from 1 Jul 2026."""
        rng = self.rng("national")
        senate = Organization.objects.get(slug=SENATE_SLUG)
        council = Organization.objects.get(slug=COUNCIL_SLUG)
        successor = Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG)
        posts = list(senate.posts.select_related("area").filter(start_date=SENATE_2023_SEATS_FROM))
        elected = sorted(
            (p for p in posts if p.role == PostRole.SENATOR and p.area and p.area.code in regions),
            key=lambda p: (p.area.code if p.area else "", p.label_en),
        )
        appointed = sorted((p for p in posts if p.role == PostRole.APPOINTED_SENATOR), key=lambda p: p.id)
        senators: list[Person] = []
        for post in elected:
            region_name = post.area.name_en if post.area else ""
            person = self.person(
                rng,
                (
                    "Мәслихат депутаттары сайлаған сенатор (2023–2026)",
                    "Сенатор, избранный депутатами маслихатов (2023–2026)",
                    f"Senator elected by the maslikhat deputies of {region_name} (2023-2026)",
                ),
            )
            self.member(
                person,
                senate,
                PostRole.SENATOR,
                post.start_date,
                post=post,
                end=post.end_date,
                method=ElectionMethod.INDIRECT,
            )
            senators.append(person)
        appointees: list[Person] = []
        for post in appointed:
            person = self.person(
                rng,
                (
                    "Президент тағайындаған сенатор (2023–2026)",
                    "Сенатор, назначенный Президентом (2023–2026)",
                    "Senator appointed by the President (2023-2026)",
                ),
            )
            self.member(
                person,
                senate,
                PostRole.APPOINTED_SENATOR,
                post.start_date,
                post=post,
                end=post.end_date,
                method=ElectionMethod.APPOINTED,
            )
            appointees.append(person)
        if appointees:
            self.member(
                appointees[0],
                council,
                PostRole.COUNCIL_CHAIR,
                SENATE_2023_SEATS_FROM,
                end=KURULTAI_FROM,
                method=ElectionMethod.EX_OFFICIO,
            )
        for person in rng.sample(senators, min(COUNCIL_SENATORS, len(senators))):
            self.member(
                person,
                council,
                PostRole.COUNCIL_MEMBER,
                SENATE_2023_SEATS_FROM,
                end=KURULTAI_FROM,
                method=ElectionMethod.EX_OFFICIO,
            )
        for chair in chairs:
            self.member(
                chair,
                council,
                PostRole.COUNCIL_MEMBER,
                TERM_START,
                end=KURULTAI_FROM,
                method=ElectionMethod.EX_OFFICIO,
            )
            self.member(
                chair, successor, PostRole.COUNCIL_MEMBER, KURULTAI_FROM, method=ElectionMethod.EX_OFFICIO
            )

    def flush(self) -> None:
        Person.objects.bulk_create(self.pending.people, batch_size=500)
        Post.objects.bulk_create(self.pending.posts, batch_size=500)
        Membership.objects.bulk_create(self.pending.memberships, batch_size=500)
        self.pending = Pending()


def demo_present() -> bool:
    """Whether the demo directory exists (demo accounts alone do not count)."""
    return Area.objects.filter(is_demo=True).exists() or Organization.objects.filter(is_demo=True).exists()


def last_generation() -> dict[str, Any] | None:
    """The details logged by the last generation (seed, regions, counts), if any."""
    row = ActionLog.objects.filter(event=EVENT).order_by("-id").first()
    return row.data if row else None


def ensure_reference() -> None:
    regions = Area.objects.filter(kind=AreaKind.REGION).count()
    parties = Organization.objects.filter(slug__in=[slug for slug, _, _ in PARTIES]).count()
    if regions < 20 or parties < len(PARTIES):
        load_reference()


def _delete_demo_appeals() -> int:
    """Demo appeals point at demo deputies and bodies: they go first, and the rollups follow."""
    from maslikhat.appeals.models import Appeal
    from maslikhat.appeals.services import appeal_stats_rebuild

    demo = Appeal.objects.filter(is_demo=True)
    count = demo.count()
    if count:
        demo.update(forwarded_from=None, complaint_about=None)
        demo.delete()
        appeal_stats_rebuild(actor=None)
    return count


@transaction.atomic
def reset_demo() -> dict[str, int]:
    """Delete every demo row of the directory (and the demo appeals that point at it).
    Raises DemoResetError, changing nothing, when real records refer to demo ones."""
    deleted = {"appeals": _delete_demo_appeals()}
    try:
        deleted["memberships"] = Membership.objects.filter(is_demo=True).delete()[0]
        deleted["posts"] = Post.objects.filter(is_demo=True).delete()[0]
        # Children before parents: the parent links are protected.
        Area.objects.filter(is_demo=True, kind=AreaKind.CONSTITUENCY).delete()
        Organization.objects.filter(
            is_demo=True, kind__in=[OrganizationKind.STANDING_COMMISSION, OrganizationKind.APPARATUS]
        ).delete()
        deleted["organizations"] = Organization.objects.filter(is_demo=True).delete()[0]
        deleted["areas"] = Area.objects.filter(is_demo=True).delete()[0]
        deleted["people"] = Person.objects.filter(is_demo=True).delete()[0]
    except ProtectedError as exc:
        sample = ", ".join(sorted({type(o)._meta.label for o in exc.protected_objects}))
        raise DemoResetError(
            f"real records ({sample}) refer to the demo directory; remove them before a reset"
        ) from None
    boundaries_changed()
    return deleted


@transaction.atomic
def generate_demo(
    *, seed: int = 1, reset: bool = False, regions: Iterable[str] | None = None
) -> dict[str, Any] | None:
    """Generate the demo directory for all 20 regions (or only `regions`, ISO codes).

    Returns the counts of what was made, or None when demo data was already present and
    `reset` was not asked for."""
    if reset:
        reset_demo()
    elif demo_present():
        return None
    ensure_reference()
    gen = Generator(seed)
    wanted = set(regions) if regions is not None else None
    region_areas = [
        a
        for a in Area.objects.filter(kind=AreaKind.REGION).order_by("code")
        if wanted is None or a.code in wanted
    ]
    codes = [a.code for a in region_areas]
    chairs: list[Person] = []
    for region in region_areas:
        rng = gen.rng(region.code)
        shape = geo.to_shape(region.boundary or {})
        seats = regional_seats(region.population)
        body, _ = organization_upsert(
            actor=None, slug=maslikhat_slug(region.code), defaults={"seats": seats}, log=False
        )
        chair_post = body.posts.filter(role=PostRole.CHAIR).order_by("start_date").last()
        if chair_post is None:  # a reference maslikhat always has one; be safe with edited data
            chair_post = gen.post(
                body,
                PostRole.CHAIR,
                ("Мәслихат төрағасы", "Председатель маслихата", "Chair of the maslikhat"),
            )
        chairs.append(
            gen.fill_maslikhat(
                rng,
                body,
                region,
                shape,
                seats=seats,
                party_list=True,
                prefix=region.code,
                commissions=rng.randint(3, 4),
                chair_post=chair_post,
            )
        )
        gen.secretary(rng, body, chair_post)
        districts = [d for d in DISTRICTS if d.region == region.code]
        if districts:
            drng = gen.rng(f"{region.code}:districts")
            shapes = gen.district_shapes(drng, shape, districts)
            for d in districts:
                gen.district_maslikhat(gen.rng(f"{region.code}:{d.key}"), d, region, body, shapes[d.key])
    gen.national(codes, chairs)
    gen.flush()
    boundaries_changed()
    counts: dict[str, Any] = dict(gen.counts)
    log_action(
        actor=None,
        event=EVENT,
        visibility=Visibility.PUBLIC,
        data={"seed": seed, "regions": codes if wanted is not None else "all", **counts},
    )
    return counts
