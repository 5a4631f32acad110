"""The synthetic demo directory inside the real country: every real maslikhat (the 20 regional
ones and the 208 district and city ones of the reference data) gets synthetic deputies up to its
seats, single-mandate constituencies, a chair, a last secretary and standing commissions; the
Senate's seats and the national councils get synthetic members. About 3,400 deputies in all.

Constituencies are Voronoi cells of seeded random points inside the body's real boundary,
clipped to it: together they cover the boundary without overlapping. Regional maslikhats are
elected half by party list and half in constituencies; district and city maslikhats all in
constituencies. A unit without a boundary of its own yet (its territory still drawn inside
another unit) gets constituencies without a boundary.

Deterministic for a seed: every body draws from its own random stream (seeded by the seed and
the body's area code), so the same seed gives the same names and the same geometry, also when
only some bodies are generated. Skipped when demo data exists (reset=True deletes it and
generates again). Everything it writes has is_demo=True and source "synthetic demo data"; the
real bodies and areas are only read (and given the synthetic number of seats), never marked demo.
Rows are built in memory and written with bulk_create: a few dozen queries for the country.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from maslikhat.core.audit import log_action
from maslikhat.core.models import ActionLog, Visibility
from maslikhat.directory import geo
from maslikhat.directory.choices import (
    MASLIKHAT_KINDS,
    AreaKind,
    ElectionMethod,
    OrganizationKind,
    PostRole,
)
from maslikhat.directory.models import (
    Area,
    Membership,
    Organization,
    Person,
    Post,
    SeatLimit,
    area_search_key,
)
from maslikhat.directory.reference import (
    CHAIR_TITLE_FROM,
    COUNCIL_SLUG,
    KURULTAI_FROM,
    PARTIES,
    SENATE_2023_SEATS_FROM,
    SENATE_SLUG,
    SUCCESSOR_COUNCIL_SLUG,
    load_reference,
)
from maslikhat.directory.reference_country import load_country
from maslikhat.directory.services import boundaries_changed

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
# Seats of a district or city maslikhat (the reference data has no population for them): a
# plausible number, always within the law's limit for the kind (SeatLimit). With the regional
# maslikhats' 30-50 seats this makes about 3,400 deputies for the country.
LOCAL_SEATS: dict[str, tuple[int, int]] = {
    OrganizationKind.DISTRICT_MASLIKHAT: (10, 14),
    OrganizationKind.CITY_MASLIKHAT: (12, 20),
}
LOCAL_KINDS = (OrganizationKind.DISTRICT_MASLIKHAT, OrganizationKind.CITY_MASLIKHAT)


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


class DemoSelectionError(ValueError):
    """A region or body asked for has no maslikhat in the loaded reference data."""


def regional_seats(population: int | None) -> int:
    """An even number of seats between 30 and 50, growing with the population."""
    seats = 2 * round((population or 0) / 100_000) + 20
    return max(30, min(50, seats))


def web_tolerance(geom: BaseGeometry) -> float:
    """Simplification tolerance for the map copy: finer for small cells (city constituencies)."""
    return min(geo.WEB_TOLERANCE_DEG, max(0.0005, math.sqrt(geom.area) / 100))


def as_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """The geometry as stored (what `geo.normalized` gives), written by GEOS: much faster than
    building the dict in Python for thousands of cells."""
    result: dict[str, Any] = json.loads(shapely.to_geojson(geom))
    return result


def web_copy(geom: BaseGeometry) -> dict[str, Any]:
    """The simplified copy for maps (as `geo.simplified`: coordinates rounded to 4 digits)."""
    simple = geom.simplify(web_tolerance(geom), preserve_topology=True)
    return as_geojson(shapely.transform(simple, lambda xy: np.round(xy, 4)))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type == "GeometryCollection":
        return shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geom


def sample_points(rng: random.Random, geom: BaseGeometry, n: int) -> list[shapely.Point]:
    """n distinct random points inside `geom` (rejection sampling over its bounding box, tested
    in batches against the prepared geometry)."""
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    points: list[shapely.Point] = []
    seen: set[tuple[float, float]] = set()
    batch = max(16, 4 * n)
    for _ in range(2000):
        xs = [rng.uniform(minx, maxx) for _ in range(batch)]
        ys = [rng.uniform(miny, maxy) for _ in range(batch)]
        for x, y, inside in zip(xs, ys, shapely.contains_xy(geom, xs, ys).tolist(), strict=True):
            if inside and (x, y) not in seen:
                seen.add((x, y))
                points.append(shapely.Point(x, y))
                if len(points) == n:
                    return points
    raise ValueError(f"could not place {n} points inside the geometry")


def voronoi_cells(geom: BaseGeometry, points: list[shapely.Point]) -> list[BaseGeometry]:
    """The Voronoi cell of each point (in the order given), clipped to `geom`: together they
    cover `geom` and do not overlap."""
    if len(points) == 1:
        return [geom]
    diagram = shapely.voronoi_polygons(
        shapely.MultiPoint(points), extend_to=geom.envelope.buffer(1.0), ordered=True
    )
    shapely.prepare(geom)
    clipped = shapely.intersection(list(diagram.geoms), geom)
    return [_polygonal(cell) for cell in clipped.tolist()]


def reading_order(geom: BaseGeometry, points: list[shapely.Point]) -> list[shapely.Point]:
    """Points in rows from north to south, each row west to east (how constituencies are numbered)."""
    rows = max(1, round(math.sqrt(len(points))))
    _, miny, _, maxy = geom.bounds
    height = (maxy - miny) or 1.0
    return sorted(points, key=lambda p: (min(rows - 1, int((maxy - p.y) / height * rows)), p.x))


@dataclass
class Pending:
    """Rows built in memory and written in bulk at the end, in dependency order."""

    areas: list[Area] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """A real maslikhat to fill: the body, its area (with the boundary) and its seats."""

    body: Organization
    area: Area
    seats: int

    @property
    def regional(self) -> bool:
        return self.body.kind == OrganizationKind.REGIONAL_MASLIKHAT

    @property
    def term_start(self) -> date:
        """The convocation's start, or the body's founding if it was founded later."""
        return max(TERM_START, self.body.founding_date)


class Generator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.pending = Pending()
        self.counts = {
            "constituencies": 0,
            "deputies": 0,
            "people": 0,
            "organizations": 0,
            "maslikhats": 0,
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
        self, rng: random.Random, target: Target, geom: BaseGeometry | None, n: int
    ) -> list[Area]:
        """n constituencies of the target's body, numbered in reading order: the Voronoi cells
        of random points inside `geom`, clipped to it (no boundary when `geom` is None)."""
        body, parent = target.body, target.area
        valid_from = max(ELECTIONS_2023, body.founding_date)
        if geom is not None:
            points = reading_order(geom, sample_points(rng, geom, n))
            cells: list[BaseGeometry | None] = list(voronoi_cells(geom, points))
        else:
            points, cells = [], [None] * n
        areas = []
        for i, cell in enumerate(cells, start=1):
            boundary = as_geojson(cell) if cell is not None else None
            centre = points[i - 1] if points else None
            area = Area(
                code=f"{parent.code}-C{i:02d}",
                kind=AreaKind.CONSTITUENCY,
                parent=parent,
                body=body,
                number=i,
                name_kk=f"№{i} сайлау округі",
                name_ru=f"Избирательный округ №{i}",
                name_en=f"Constituency No. {i}",
                centre_lat=round(centre.y, 5) if centre else None,
                centre_lon=round(centre.x, 5) if centre else None,
                boundary=boundary,
                boundary_web=web_copy(cell) if cell is not None else None,
                valid_from=valid_from,
                source=SOURCE,
                is_demo=True,
            )
            area.search_key = area_search_key(area)
            areas.append(area)
        self.pending.areas.extend(areas)
        self.counts["constituencies"] += len(areas)
        return areas

    # -------------------------------------------------------------- bodies
    def fill_maslikhat(self, target: Target, chair_post: Post, secretary_post: Post | None) -> Person:
        """Deputies (half single-mandate and half party-list for a regional maslikhat, all
        single-mandate for a district or city one), the chair (one of the deputies), the last
        secretary and standing commissions. Returns the chair."""
        body, area, seats = target.body, target.area, target.seats
        rng = self.rng(area.code)
        start = target.term_start
        single = seats // 2 if target.regional else seats
        commissions = rng.randint(3, 4) if target.regional else 2
        geom = geo.to_shape(area.boundary) if area.boundary else None
        of_kk, of_ru = kk_genitive(body.name_kk), ru_genitive(body.name_ru)
        deputy_role = (
            f"{of_kk} депутаты ({start.year} жылдан)",
            f"Депутат {of_ru} (с {start.year} года)",
            f"Deputy of the {body.name_en} (since {start.year})",
        )
        deputies: list[Person] = []
        for c in self.constituencies(rng, target, geom, single):
            post = self.post(
                body,
                PostRole.CONSTITUENCY_DEPUTY,
                (
                    f"№{c.number} сайлау округі бойынша депутат",
                    f"Депутат по избирательному округу №{c.number}",
                    f"Deputy for constituency No. {c.number}",
                ),
                area=c,
                start_date=start,
            )
            person = self.person(rng, deputy_role)
            party = None if rng.random() < SELF_NOMINATED_SHARE else self.party(rng)
            self.member(
                person,
                body,
                PostRole.CONSTITUENCY_DEPUTY,
                start,
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
                start_date=start,
            )
            person = self.person(rng, deputy_role)
            self.member(
                person,
                body,
                PostRole.PARTY_LIST_DEPUTY,
                start,
                post=post,
                method=ElectionMethod.PARTY_LIST,
                party=self.party(rng),
            )
            deputies.append(person)
        self.counts["deputies"] += len(deputies)
        self.counts["maslikhats"] += 1
        if not target.regional:
            self.counts["district_maslikhats"] += 1

        # The chair is elected by the deputies from among themselves (never constituency 1's
        # deputy, so that the demo account of that deputy is a plain deputy).
        chair = rng.choice(deputies[1:])
        self.member(
            chair,
            body,
            PostRole.CHAIR,
            max(start, chair_post.start_date),
            post=chair_post,
            method=ElectionMethod.INDIRECT,
        )
        self.set_biography(
            chair,
            (
                f"{of_kk} депутаты және төрағасы ({start.year} жылдан)",
                f"Депутат и председатель {of_ru} (с {start.year} года)",
                f"Deputy and chair of the {body.name_en} (since {start.year})",
            ),
        )
        others = [d for d in deputies if d is not chair]
        rng.shuffle(others)
        prefix_slug = body.slug.removesuffix("-maslikhat")
        for n, (kk, ru, en) in enumerate(COMMISSIONS[:commissions], start=1):
            commission = Organization(
                slug=f"{prefix_slug}-commission-{n}",
                kind=OrganizationKind.STANDING_COMMISSION,
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                parent=body,
                area=area,
                founding_date=start,
                source=SOURCE,
                is_demo=True,
            )
            self.pending.organizations.append(commission)
            self.counts["organizations"] += 1
            for j, person in enumerate(others[n - 1 :: commissions]):
                role = PostRole.COMMISSION_CHAIR if j == 0 else PostRole.COMMISSION_MEMBER
                self.member(person, commission, role, start, method=ElectionMethod.INDIRECT)
        if secretary_post is not None and start == TERM_START:
            self.secretary(rng, body, secretary_post, chair_post)
        return chair

    def secretary(self, rng: random.Random, body: Organization, post: Post, chair_post: Post) -> None:
        """The last secretary before the 2023 rename: on the secretary post from 2018 (or the
        body's founding) to 1 Jan 2023, then chair under the new title until the new convocation."""
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
        Area.objects.bulk_create(self.pending.areas, batch_size=500)
        Organization.objects.bulk_create(self.pending.organizations, batch_size=500)
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


def ensure_reference(*, country: bool = False) -> None:
    """Load the real reference data when missing: the regions and the national level, and with
    `country` the districts and cities with their maslikhats."""
    regions = Area.objects.filter(kind=AreaKind.REGION).count()
    parties = Organization.objects.filter(slug__in=[slug for slug, _, _ in PARTIES]).count()
    if regions < 20 or parties < len(PARTIES):
        load_reference()
    if country and not Organization.objects.filter(kind__in=LOCAL_KINDS).exists():
        load_country()


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
    """Delete every demo row of the directory (and the demo rows of the apps that point at it).
    Raises DemoResetError, changing nothing, when real records refer to demo ones."""
    from .apps_reset import delete_demo_apps

    # The apps built on the directory first: their rows protect demo people and appeals.
    deleted = {"proceedings, participation, deputies": delete_demo_apps()}
    deleted["appeals"] = _delete_demo_appeals()
    deleted["real bodies' seats restored"] = _restore_seats()
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


def _restore_seats() -> int:
    """Give the real bodies back the seats they held before the demo gave them synthetic ones
    (as logged by each generation; the oldest generation's value is the real one)."""
    before: dict[int, int | None] = {}
    for data in ActionLog.objects.filter(event=EVENT).order_by("-id").values_list("data", flat=True):
        for pk, seats in (data or {}).get("seats_before", {}).items():
            before[int(pk)] = seats
    bodies = list(Organization.objects.filter(pk__in=list(before), is_demo=False))
    for body in bodies:
        body.seats = before[body.pk]
    Organization.objects.bulk_update(bodies, ["seats"], batch_size=500)
    return len(bodies)


def seats_for(body: Organization, area: Area, rng: random.Random, limits: dict[str, int]) -> int:
    """The demo's seats of a maslikhat: by population for a regional one, a plausible number for
    a district or city one; never above the limit for its kind."""
    if body.kind == OrganizationKind.REGIONAL_MASLIKHAT:
        seats = regional_seats(area.population)
    else:
        low, high = LOCAL_SEATS.get(body.kind, LOCAL_SEATS[OrganizationKind.DISTRICT_MASLIKHAT])
        seats = rng.randint(low, high)
    limit = limits.get(body.kind)
    return max(2, min(seats, limit)) if limit else seats


def targets(
    *, seed: int, regions: Iterable[str] | None = None, bodies: Iterable[str] | None = None
) -> list[Target]:
    """The real maslikhats in force to fill, regional ones first, each group by area code:
    all of them, or those of `regions` (ISO codes: the regional maslikhat and the district and
    city maslikhats in the region) and of `bodies` (area codes: ISO or KATO)."""
    query = Organization.objects.current().filter(kind__in=MASLIKHAT_KINDS, area__isnull=False)
    if regions is not None or bodies is not None:
        region_codes, body_codes = list(regions or []), list(bodies or [])
        query = query.filter(
            Q(area__code__in=region_codes + body_codes) | Q(area__parent__code__in=region_codes)
        )
    rows = list(query.select_related("area"))
    rows.sort(key=lambda o: (o.kind != OrganizationKind.REGIONAL_MASLIKHAT, o.area.code if o.area else ""))
    limits = dict(SeatLimit.objects.values_list("kind", "max_seats"))
    picked = []
    for body in rows:
        area = body.area
        if area is None:  # filtered out above; keeps the type checker informed
            continue
        # The seats draw from their own stream: the body's stream stays the same whatever its seats.
        rng = random.Random(f"maslikhat-demo:{seed}:{area.code}:seats")  # noqa: S311 - demo data
        seats = seats_for(body, area, rng, limits)
        picked.append(Target(body=body, area=area, seats=seats))
    return picked


@transaction.atomic
def generate_demo(
    *,
    seed: int = 1,
    reset: bool = False,
    regions: Iterable[str] | None = None,
    bodies: Iterable[str] | None = None,
) -> dict[str, Any] | None:
    """Generate the demo directory in every real maslikhat (or only those of `regions`, ISO
    codes, and `bodies`, area codes: see `targets`).

    The whole country loads the reference data it needs first; a restricted run fills the
    maslikhats that are loaded (the regions are loaded when missing). Returns the counts of
    what was made, or None when demo data was already present and `reset` was not asked for."""
    if not reset and demo_present():
        return None
    restricted = regions is not None or bodies is not None
    ensure_reference(country=not restricted)
    regions, bodies = (
        (list(regions) if regions is not None else None),
        (list(bodies) if bodies is not None else None),
    )
    chosen = targets(seed=seed, regions=regions, bodies=bodies)
    found = {t.area.code for t in chosen}
    unknown = sorted((set(regions or []) | set(bodies or [])) - found)
    if unknown:
        raise DemoSelectionError(f"no maslikhat in force for the area code(s): {', '.join(unknown)}")
    if reset:
        reset_demo()
    gen = Generator(seed)
    # The leader posts of the chosen bodies, read once (the reference data writes them).
    posts: dict[tuple[int, str], Post] = {}
    for post in Post.objects.filter(
        organization__in=[t.body for t in chosen], role__in=[PostRole.CHAIR, PostRole.SECRETARY]
    ).order_by("start_date", "id"):
        posts[(post.organization_id, post.role)] = post  # the latest of each role
    chairs: list[Person] = []
    for target in chosen:
        chair_post = posts.get((target.body.pk, PostRole.CHAIR))
        if chair_post is None:  # a reference maslikhat always has one; be safe with edited data
            chair_post = gen.post(
                target.body,
                PostRole.CHAIR,
                ("Мәслихат төрағасы", "Председатель маслихата", "Chair of the maslikhat"),
                start_date=target.term_start,
            )
        chair = gen.fill_maslikhat(target, chair_post, posts.get((target.body.pk, PostRole.SECRETARY)))
        if target.regional:
            chairs.append(chair)
    region_codes = [t.area.code for t in chosen if t.regional]
    gen.national(region_codes, chairs)
    gen.flush()
    now = timezone.now()
    # The real bodies get synthetic seats; what they held before is logged, and a reset puts it back.
    seats_before = {str(t.body.pk): t.body.seats for t in chosen}
    for target in chosen:
        target.body.seats = target.seats
        target.body.updated_at = now
    Organization.objects.bulk_update([t.body for t in chosen], ["seats", "updated_at"], batch_size=500)
    boundaries_changed()
    counts: dict[str, Any] = dict(gen.counts)
    log_action(
        actor=None,
        event=EVENT,
        visibility=Visibility.PUBLIC,
        data={
            "seed": seed,
            "bodies": [t.area.code for t in chosen] if restricted else "all",
            **counts,
            "seats_before": seats_before,
        },
    )
    return counts
