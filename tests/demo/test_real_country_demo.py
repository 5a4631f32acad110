"""The demo inside the real country: synthetic deputies and constituencies in the real district
and city maslikhats, within their seats and their real boundaries; staff accounts for them;
nothing real marked demo.

Most tests build the demo for a handful of bodies (`generate_demo(bodies=...)`); the seats of the
whole country are checked without generating it (the one end-to-end run of the whole country is
`test_demo_setup.py`).
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
import shapely
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from maslikhat.appeals.models import Appeal
from maslikhat.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from maslikhat.demo.appeals_demo import generate_demo_appeals
from maslikhat.demo.directory_demo import SOURCE, generate_demo, reset_demo, targets
from maslikhat.demo.guard import demo_models
from maslikhat.directory import geo
from maslikhat.directory.choices import DEPUTY_ROLES, AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.lookup import lookup_point, reset_index
from maslikhat.directory.models import Area, Membership, Organization, Person, Post, SeatLimit
from maslikhat.directory.permissions import Role, managed_body_ids, user_roles
from maslikhat.directory.reference_country import load_country

ON = date(2024, 6, 1)  # a day inside the 2023 convocation
TALGAR = "196200000"  # Talgar district (Almaty Region)
TEMIRTAU = "352400000"  # the city of Temirtau (Karaganda Region)
SAURAN = "615500000"  # Sauran district: no boundary of its own yet
# A handful of bodies: a regional maslikhat, two districts, a city, a unit without a boundary.
BODIES = ["KZ-19", TALGAR, "195200000", TEMIRTAU, SAURAN]
# Cells may miss or exceed the real boundary by this much area (square degrees): floating point.
AREA_TOLERANCE = 1e-9

# What `load_country` wrote that these tests need, from the first test that asked for it: the
# districts and cities (not their okrugs and settlements), their maslikhats, apparatus, posts and
# the seat limits. Later tests insert the same rows again (with the same primary keys) instead of
# reading the files: about 0.5 s instead of about 10 s (as tests/conftest.py does for `reference`).
_COUNTRY_SNAPSHOT: list[tuple[Any, list[Any]]] | None = None
SECOND_LEVEL = (AreaKind.DISTRICT, AreaKind.CITY, AreaKind.CITY_DISTRICT)


@pytest.fixture
def country(reference: dict[str, int]) -> None:
    """The reference data and the country's districts and cities with their maslikhats."""
    global _COUNTRY_SNAPSHOT
    if _COUNTRY_SNAPSHOT is not None and connection.in_atomic_block:
        for model, rows in _COUNTRY_SNAPSHOT:
            model._default_manager.bulk_create(rows, batch_size=1000)
        return
    last = {
        m: m._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
        for m in (Area, Organization, Post)
    }
    load_country()
    if connection.in_atomic_block:
        # The second-level units are created first, so the settlements' parents come before them.
        _COUNTRY_SNAPSHOT = [
            (Area, list(Area.objects.filter(pk__gt=last[Area], kind__in=SECOND_LEVEL).order_by("pk"))),
            (Organization, list(Organization.objects.filter(pk__gt=last[Organization]).order_by("pk"))),
            (Post, list(Post.objects.filter(pk__gt=last[Post]).order_by("pk"))),
            (SeatLimit, list(SeatLimit.objects.order_by("pk"))),
        ]


def _shape(area: Area) -> shapely.Geometry:
    return geo.to_shape(area.boundary or {})


def _current(body: Organization) -> Any:
    return Membership.objects.current(ON).filter(organization=body)


# ------------------------------------------------------------------ seats


def test_the_whole_country_gets_about_3400_seats_within_the_limits(country):
    # when the demo's seats of every real maslikhat are computed (without generating the demo)
    chosen = targets(seed=1)
    limits = dict(SeatLimit.objects.values_list("kind", "max_seats"))
    # then every one of the 228 maslikhats is filled, each within the law's limit for its kind
    kinds = [t.body.kind for t in chosen]
    assert (len(chosen), kinds.count(OrganizationKind.REGIONAL_MASLIKHAT)) == (228, 20)
    assert kinds.count(OrganizationKind.DISTRICT_MASLIKHAT) == 170
    assert kinds.count(OrganizationKind.CITY_MASLIKHAT) == 38
    for t in chosen:
        assert 2 <= t.seats <= limits[t.body.kind], t.body.slug
    # and the country has about 3,400 deputies in all
    total = sum(t.seats for t in chosen)
    assert 3_200 <= total <= 3_600
    # and a subset gets the same seats as in the whole country
    subset = {t.area.code: t.seats for t in targets(seed=1, bodies=BODIES)}
    assert subset == {t.area.code: t.seats for t in chosen if t.area.code in BODIES}


def test_seats_never_exceed_a_lowered_limit(country):
    # given an operator who lowered the limit for district maslikhats to 8
    SeatLimit.objects.filter(kind=OrganizationKind.DISTRICT_MASLIKHAT).update(max_seats=8)
    # when the demo is generated for two districts
    generate_demo(seed=1, bodies=[TALGAR, "195200000"])
    # then each has 8 deputies
    for code in (TALGAR, "195200000"):
        body = Organization.objects.get(area__code=code, kind=OrganizationKind.DISTRICT_MASLIKHAT)
        assert body.seats == 8
        assert _current(body).filter(role__in=DEPUTY_ROLES).count() == 8


# ------------------------------------------------------------------ a handful of real bodies


def test_district_and_city_maslikhats_are_filled_inside_their_real_boundaries(country):
    # given the real areas and bodies before the demo
    real_areas = set(Area.objects.values_list("code", flat=True))
    real_bodies = set(Organization.objects.values_list("slug", flat=True))
    # when the demo is generated for a handful of real bodies
    counts = generate_demo(seed=1, bodies=BODIES)
    # then it fills exactly those maslikhats and invents none
    assert counts is not None
    assert (counts["maslikhats"], counts["district_maslikhats"]) == (5, 4)
    assert not Organization.objects.filter(is_demo=True).exclude(kind=OrganizationKind.STANDING_COMMISSION)
    assert set(Area.objects.filter(is_demo=True).values_list("kind", flat=True)) == {AreaKind.CONSTITUENCY}
    assert set(Area.objects.filter(is_demo=False).values_list("code", flat=True)) == real_areas
    assert set(Organization.objects.filter(is_demo=False).values_list("slug", flat=True)) == real_bodies
    local = Organization.objects.filter(
        area__code__in=[TALGAR, "195200000", TEMIRTAU],
        kind__in=[OrganizationKind.DISTRICT_MASLIKHAT, OrganizationKind.CITY_MASLIKHAT],
    ).select_related("area")
    assert local.count() == 3
    for body in local:
        seats = body.seats
        assert seats is not None and seats <= SeatLimit.objects.get(kind=body.kind).max_seats
        # all seats single-mandate: one constituency per seat, numbered 1..seats
        constituencies = list(Area.objects.filter(body=body).order_by("number"))
        assert [c.number for c in constituencies] == list(range(1, seats + 1))
        assert {(c.parent_id, c.kind, c.is_demo) for c in constituencies} == {
            (body.area_id, AreaKind.CONSTITUENCY, True)
        }
        # each constituency lies inside the body's real boundary, and together they cover it
        boundary = _shape(body.area)
        cells = [_shape(c) for c in constituencies]
        assert all(c.is_valid and c.geom_type in ("Polygon", "MultiPolygon") for c in cells)
        assert all(c.difference(boundary).area < AREA_TOLERANCE for c in cells)
        union = shapely.union_all(cells)
        assert boundary.difference(union).area < AREA_TOLERANCE * max(1.0, boundary.area)
        assert sum(c.area for c in cells) / union.area < 1.000001  # no overlaps
        assert all(c.boundary_web and c.centre_lat is not None for c in constituencies)
        # one current single-mandate deputy per constituency, a chair among them, two commissions
        current = _current(body)
        seated = current.filter(role=PostRole.CONSTITUENCY_DEPUTY)
        assert sorted(seated.values_list("post__area__number", flat=True)) == list(range(1, seats + 1))
        assert set(seated.values_list("election_method", flat=True)) == {ElectionMethod.SINGLE_MANDATE}
        assert not current.filter(role=PostRole.PARTY_LIST_DEPUTY).exists()
        chair = current.get(role=PostRole.CHAIR)
        assert chair.post == body.posts.get(role=PostRole.CHAIR)
        assert chair.person_id in set(seated.values_list("person_id", flat=True))
        assert body.children.filter(kind=OrganizationKind.STANDING_COMMISSION, is_demo=True).count() == 2
        assert f"of the {body.name_en}" in chair.person.biography_en


def test_regional_maslikhat_is_half_party_list_and_half_constituencies(country):
    # when the demo is generated for the Almaty Region's maslikhat
    generate_demo(seed=1, bodies=["KZ-19"])
    body = Organization.objects.get(slug="kz-19-maslikhat")
    current = _current(body)
    # then half of its seats are constituencies covering the region and half party-list seats
    seats = body.seats
    assert seats is not None and 30 <= seats <= 50
    constituencies = list(Area.objects.filter(body=body).order_by("number"))
    assert len(constituencies) == seats // 2
    assert current.filter(role=PostRole.CONSTITUENCY_DEPUTY).count() == seats // 2
    assert current.filter(role=PostRole.PARTY_LIST_DEPUTY).count() == seats - seats // 2
    region = _shape(body.area)
    assert region.difference(shapely.union_all([_shape(c) for c in constituencies])).area < 1e-6
    # and no district maslikhat of the region was filled
    assert not Membership.objects.filter(organization__kind=OrganizationKind.DISTRICT_MASLIKHAT).exists()


def test_a_unit_without_a_boundary_gets_constituencies_without_one(country):
    # given Sauran district, whose territory is still drawn inside the city of Turkistan
    sauran = Organization.objects.get(area__code=SAURAN, kind=OrganizationKind.DISTRICT_MASLIKHAT)
    assert sauran.area.boundary is None
    # when the demo is generated for it
    generate_demo(seed=1, bodies=[SAURAN])
    # then it has its deputies and numbered constituencies, none with a boundary
    sauran.refresh_from_db()
    constituencies = Area.objects.filter(body=sauran)
    assert constituencies.count() == sauran.seats
    assert not constituencies.filter(boundary__isnull=False).exists()
    assert _current(sauran).filter(role=PostRole.CONSTITUENCY_DEPUTY).count() == sauran.seats
    # and their deputies start with the body, founded after the 2023 elections
    starts = set(_current(sauran).values_list("start_date", flat=True))
    assert starts == {max(date(2023, 3, 29), sauran.founding_date)}


def test_lookup_in_a_district_finds_its_district_and_regional_deputies(country):
    # given the demo for the Almaty Region and Talgar district, and a point in Talgar's constituency 3
    generate_demo(seed=1, bodies=["KZ-19", TALGAR])
    c3 = Area.objects.get(code=f"{TALGAR}-C03")
    point = _shape(c3).representative_point()
    reset_index()
    # when the point is looked up
    result = lookup_point(point.y, point.x, on=ON)
    # then it finds the district constituency's deputy and a regional constituency's deputy
    by_body = {
        r.membership.organization.area.code: r.membership.post.area.code
        for r in result.representatives
        if r.reason == "constituency"
    }
    assert by_body[TALGAR] == f"{TALGAR}-C03"
    assert by_body["KZ-19"].startswith("KZ-19-C")


def test_the_demo_is_deterministic_for_a_seed_and_independent_of_the_subset(country):
    # given Talgar generated alone with seed 4
    generate_demo(seed=4, bodies=[TALGAR])
    alone = _talgar()
    # when generated again with other bodies, and then with another seed
    generate_demo(seed=4, reset=True, bodies=["KZ-19", TALGAR, TEMIRTAU])
    together = _talgar()
    generate_demo(seed=5, reset=True, bodies=[TALGAR])
    other = _talgar()
    # then the same seed gives the same constituencies and deputies, another seed does not
    assert together == alone
    assert other != alone


def _talgar() -> list[Any]:
    return [
        list(
            Area.objects.filter(code__startswith=f"{TALGAR}-C")
            .order_by("code")
            .values_list("code", "boundary")
        ),
        sorted(
            Membership.objects.filter(organization__area__code=TALGAR).values_list("person__name_en", "role")
        ),
    ]


# ------------------------------------------------------------------ nothing real marked demo


def test_nothing_real_is_marked_demo_and_a_reset_leaves_the_real_country(country):
    # given the real country's rows
    real = {model: set(model._default_manager.values_list("pk", flat=True)) for model in demo_models()}
    # when the demo is generated for a handful of bodies, with accounts and appeals
    generate_demo(seed=1, bodies=BODIES)
    create_demo_accounts()
    assert generate_demo_appeals(seed=1, count=10) == 10
    # then the real rows are unchanged in their flag, and everything new is marked demo
    for model, pks in real.items():
        manager = model._default_manager
        assert not manager.filter(pk__in=pks, is_demo=True).exists(), model
        assert not manager.exclude(pk__in=pks).filter(is_demo=False).exists(), model
    for model in (Area, Person, Post, Membership):
        assert model.objects.filter(is_demo=True).exists()
    assert set(Person.objects.values_list("source", flat=True)) == {SOURCE}
    # and the appeals went to real maslikhats
    assert not Appeal.objects.filter(body__is_demo=True).exists()
    # when the demo is reset, then exactly the real rows are left
    reset_demo()
    for model in (Area, Organization, Post):
        assert set(model.objects.values_list("pk", flat=True)) == real[model], model


# ------------------------------------------------------------------ accounts


def test_district_staff_accounts_log_in_and_manage_their_own_maslikhat(country, client):
    # given the demo accounts on the real country
    generate_demo(seed=1, bodies=[TALGAR])
    rows = create_demo_accounts()
    usernames = [r.username for r in rows]
    # then there is a staff account for every maslikhat's apparatus: the regional ones first
    staff = [u for u in usernames if u.startswith("staff-")]
    assert len(staff) == 228
    assert staff[:20] == sorted(staff[:20]) and all(u.startswith("staff-kz-") for u in staff[:20])
    assert f"staff-{TALGAR}" in staff and f"staff-{TEMIRTAU}" in staff
    # and the Talgar account logs in with the demo password and manages Talgar's maslikhat only
    user = authenticate(username=f"staff-{TALGAR}", password=DEMO_PASSWORD)
    assert user is not None and user.is_staff and user.is_demo
    talgar = Organization.objects.get(area__code=TALGAR, kind=OrganizationKind.DISTRICT_MASLIKHAT)
    assert managed_body_ids(user) == {talgar.pk}
    assert user_roles(user) == {Role.CITIZEN, Role.MASLIKHAT_STAFF}
    person = Person.objects.get(user=user)
    assert (
        person.is_demo
        and f"{TALGAR}-apparatus" == Membership.objects.current().get(person=person).organization.slug
    )
    assert client.login(username=f"staff-{TALGAR}", password=DEMO_PASSWORD)
    assert client.get("/en/admin/").status_code == 200


def test_staff_accounts_are_refreshed_in_a_few_queries_and_changed_nothing(
    country, django_assert_max_num_queries
):
    # given the demo accounts
    create_demo_accounts()
    users = get_user_model().objects.count()
    people = Person.objects.count()
    memberships = Membership.objects.count()
    # when they are created again, then it takes few queries (none per account) and changes nothing
    with django_assert_max_num_queries(60):
        create_demo_accounts()
    assert (get_user_model().objects.count(), Person.objects.count(), Membership.objects.count()) == (
        users,
        people,
        memberships,
    )


def test_an_unknown_body_is_refused_and_nothing_is_written(country):
    # given the real country and no demo data
    before = (Area.objects.count(), Person.objects.count(), Membership.objects.count())
    # when the demo is asked for a known district and a code that names no maslikhat
    with pytest.raises(CommandError, match=r"no maslikhat in force for the area code\(s\): 999999999"):
        call_command("demo_data", "--bodies", f"{TALGAR},999999999", stdout=StringIO())
    # then nothing was written
    assert (Area.objects.count(), Person.objects.count(), Membership.objects.count()) == before
    assert not Area.objects.filter(is_demo=True).exists()
