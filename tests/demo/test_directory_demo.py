"""The synthetic demo directory: complete, marked, inside the real boundaries, deterministic."""

from __future__ import annotations

import hashlib
import json
import random
import time
from datetime import date
from io import StringIO

import pytest
import shapely
from django.core.management import call_command

from maslikhat.core.models import ActionLog
from maslikhat.demo.appeals_demo import generate_demo_appeals
from maslikhat.demo.directory_demo import (
    SOURCE,
    DemoResetError,
    generate_demo,
    reset_demo,
)
from maslikhat.demo.names import make_name, romanize, to_russian
from maslikhat.directory import geo
from maslikhat.directory.choices import DEPUTY_ROLES, AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.lookup import lookup_point, reset_index
from maslikhat.directory.models import Area, Membership, Organization, Person, Post

TERM_START = date(2023, 3, 29)
SENATE_FROM = date(2023, 1, 14)
KURULTAI_FROM = date(2026, 7, 1)
ON = date(2024, 6, 1)  # a day inside the 2023 convocation, before the Kurultai
REGIONS = [
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
]  # fmt: skip


def _digest() -> str:
    """Names and geometry of everything synthetic, independent of database ids."""
    areas = list(
        Area.objects.filter(is_demo=True)
        .order_by("code")
        .values_list("code", "kind", "name_kk", "name_ru", "name_en", "boundary", "boundary_web")
    )
    people = sorted(
        Person.objects.filter(is_demo=True).values_list(
            "name_kk", "name_ru", "name_en", "email", "biography_en"
        )
    )
    seats = sorted(
        Membership.objects.filter(is_demo=True).values_list(
            "person__name_kk", "organization__slug", "role", "post__area__code", "on_behalf_of__slug"
        ),
        key=str,
    )
    payload = json.dumps([areas, people, seats], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _shape(area: Area) -> shapely.Geometry:
    return geo.to_shape(area.boundary or {})


def _assert_partition(container: shapely.Geometry, cells: list[shapely.Geometry]) -> None:
    """The cells are valid polygons inside the container that cover it without overlapping."""
    assert all(c.is_valid and c.geom_type in ("Polygon", "MultiPolygon") for c in cells)
    union = shapely.union_all(cells)
    assert union.difference(container).area < 1e-9
    assert union.area / container.area > 0.999
    assert sum(c.area for c in cells) / union.area < 1.000001


# ------------------------------------------------------------------ names


def test_names_are_rendered_in_kazakh_russian_and_latin():
    # given the Kazakh spelling, when converted, then Russian drops Kazakh letters and Latin follows passports
    assert to_russian("Айгерім Серікқызы Жұмабаева") == "Айгерим Сериккызы Жумабаева"
    assert to_russian("Гүлнар Әсел Өтебаев Ұлжан Һ") == "Гульнар Асель Отебаев Улжан Х"
    assert romanize("Айгерім Жұмабаева") == "Aigerim Zhumabayeva"
    assert romanize("Ерлан Қалиев Шыңғыс") == "Yerlan Kaliyev Shyngys"


def test_make_name_is_deterministic_and_consistent_across_scripts():
    # given two random streams with the same seed, when 300 names are drawn from each
    rng1, rng2 = random.Random(7), random.Random(7)  # noqa: S311 - test data
    first = [make_name(rng1) for _ in range(300)]
    second = [make_name(rng2) for _ in range(300)]
    # then they are the same names, each a full name in three scripts
    assert first == second
    kazakh_only = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    for name in first:
        given, patronymic, surname = name.kk.split(" ")
        assert patronymic.endswith("қызы" if name.gender == "female" else "ұлы")
        assert surname.endswith(("ова", "ева") if name.gender == "female" else ("ов", "ев"))
        assert not kazakh_only & set(name.ru)
        assert name.ru.split(" ")[1].endswith(
            ("овна", "евна", "кызы") if name.gender == "female" else ("ович", "евич", "улы")
        )
        assert name.en.isascii() and name.en == f"{romanize(given)} {romanize(surname)}"
        assert name.sort == f"{romanize(surname)}, {romanize(given)}"
        assert name.latin_slug == f"{romanize(given)}.{romanize(surname)}".lower()


# ------------------------------------------------------------------ the full demo


def test_full_demo_fills_every_regional_maslikhat_inside_its_real_boundary(reference):
    # given the real reference data
    before = {
        "areas": set(Area.objects.values_list("code", flat=True)),
        "organizations": set(Organization.objects.values_list("slug", flat=True)),
        "posts": set(Post.objects.values_list("id", flat=True)),
    }
    # when the demo is generated for every region (the country's districts are not loaded here)
    started = time.monotonic()
    counts = generate_demo(seed=1, regions=REGIONS)
    elapsed = time.monotonic() - started
    # then every regional maslikhat has 30-50 seats, half of them single-mandate constituencies
    # that partition the region, each with exactly one current deputy; the other half party lists
    assert counts is not None
    assert elapsed < 60
    bodies = Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT).select_related("area")
    assert bodies.count() == 20
    for body in bodies:
        assert body.seats is not None and 30 <= body.seats <= 50 and body.seats % 2 == 0
        single = body.seats // 2
        constituencies = list(Area.objects.filter(body=body, kind=AreaKind.CONSTITUENCY).order_by("number"))
        assert [c.number for c in constituencies] == list(range(1, single + 1))
        assert {c.parent_id for c in constituencies} == {body.area_id}
        _assert_partition(_shape(body.area), [_shape(c) for c in constituencies])
        current = Membership.objects.current(ON).filter(organization=body)
        per_constituency = list(
            current.filter(role=PostRole.CONSTITUENCY_DEPUTY).values_list("post__area__number", flat=True)
        )
        assert sorted(per_constituency) == list(range(1, single + 1))
        party_list = current.filter(role=PostRole.PARTY_LIST_DEPUTY)
        assert party_list.count() == body.seats - single
        assert not party_list.filter(on_behalf_of__isnull=True).exists()
        assert current.filter(role=PostRole.CHAIR).count() == 1
    # and the counts agree with the rows
    assert counts["constituencies"] == Area.objects.filter(is_demo=True, kind=AreaKind.CONSTITUENCY).count()
    assert counts["people"] == Person.objects.filter(is_demo=True).count()
    assert counts["memberships"] == Membership.objects.filter(is_demo=True).count()
    assert counts["deputies"] == Membership.objects.filter(role__in=DEPUTY_ROLES).count()
    assert (counts["maslikhats"], counts["district_maslikhats"]) == (20, 0)
    # and everything synthetic is marked, while the real rows are the ones there before
    assert set(Area.objects.filter(is_demo=False).values_list("code", flat=True)) == before["areas"]
    assert (
        set(Organization.objects.filter(is_demo=False).values_list("slug", flat=True))
        == before["organizations"]
    )
    assert set(Post.objects.filter(is_demo=False).values_list("id", flat=True)) == before["posts"]
    assert not Person.objects.filter(is_demo=False).exists()
    assert not Membership.objects.filter(is_demo=False).exists()
    for model in (Area, Organization, Person, Membership):
        assert set(model.objects.filter(is_demo=True).values_list("source", flat=True)) == {SOURCE}
    # and one summary row is logged
    log = ActionLog.objects.get(event="demo.generated")
    seats_before = log.data.pop("seats_before")
    assert log.data == {"seed": 1, "bodies": sorted(REGIONS), **counts}
    assert len(seats_before) == len(REGIONS)


# ------------------------------------------------------------------ determinism and idempotency


def test_same_seed_gives_identical_data_and_another_seed_does_not(reference):
    # given demo data generated with seed 5
    generate_demo(seed=5, regions=["KZ-71", "KZ-19"])
    first = _digest()
    # when everything demo is deleted and generated again with the same seed, then with another
    reset_demo()
    assert not Area.objects.filter(is_demo=True).exists()
    generate_demo(seed=5, regions=["KZ-71", "KZ-19"])
    again = _digest()
    generate_demo(seed=6, reset=True, regions=["KZ-71", "KZ-19"])
    other = _digest()
    # then the same seed gives the same names and geometry, another seed does not
    assert again == first
    assert other != first


def test_a_reset_gives_the_real_bodies_their_seats_back(reference):
    # given the real Astana maslikhat with its real number of seats (or none known)
    astana = Organization.objects.get(slug="kz-71-maslikhat")
    real = astana.seats
    # when the demo fills it (synthetic seats) and is then reset
    generate_demo(seed=3, regions=["KZ-71"])
    astana.refresh_from_db()
    synthetic = astana.seats
    deleted = reset_demo()
    astana.refresh_from_db()
    # then the demo had changed the seats, and the reset put the real value back
    assert synthetic != real
    assert astana.seats == real
    assert deleted["real bodies' seats restored"] >= 1


def test_a_region_is_the_same_whether_generated_alone_or_with_others(reference):
    # given Astana generated alone
    generate_demo(seed=2, regions=["KZ-71"])
    alone = list(Area.objects.filter(code__startswith="KZ-71-C").order_by("code").values_list("boundary"))
    names = sorted(
        Membership.objects.filter(organization__slug="kz-71-maslikhat").values_list("person__name_en")
    )
    # when Astana is generated with other regions
    generate_demo(seed=2, reset=True, regions=["KZ-10", "KZ-71", "KZ-75"])
    # then its constituencies and deputies are the same
    assert (
        list(Area.objects.filter(code__startswith="KZ-71-C").order_by("code").values_list("boundary"))
        == alone
    )
    assert (
        sorted(Membership.objects.filter(organization__slug="kz-71-maslikhat").values_list("person__name_en"))
        == names
    )


def test_second_run_detects_the_demo_data_and_changes_nothing(reference, django_assert_max_num_queries):
    # given demo data
    generate_demo(seed=1, regions=["KZ-71"])
    before = (
        Area.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        ActionLog.objects.count(),
    )
    # when generated again with the same seed, it returns at once
    with django_assert_max_num_queries(4):
        result = generate_demo(seed=1, regions=["KZ-71"])
    # then nothing was made
    assert result is None
    after = (
        Area.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        ActionLog.objects.count(),
    )
    assert after == before


def test_reset_deletes_the_demo_appeals_too_and_regenerates(reference):
    # given demo data with demo appeals addressed to its deputies
    generate_demo(seed=1, regions=["KZ-71"])
    first = _digest()
    assert generate_demo_appeals(seed=1, count=8) == 8
    from maslikhat.appeals.models import Appeal, AppealStats

    # when reset and generated again
    generate_demo(seed=1, reset=True, regions=["KZ-71"])
    # then the demo appeals and their rollups are gone and the directory is as before
    assert Appeal.objects.count() == 0
    assert AppealStats.objects.count() == 0
    assert _digest() == first


def test_reset_refuses_when_real_records_refer_to_demo_rows(reference):
    # given demo data and a real area inside a demo constituency
    generate_demo(seed=1, regions=["KZ-19"])
    constituency = Area.objects.get(code="KZ-19-C01")
    Area.objects.create(code="KZ-19-REAL", kind=AreaKind.RURAL_OKRUG, parent=constituency, name_kk="Нақты")
    first = _digest()
    # when a reset is asked for, then it is refused and nothing changed
    with pytest.raises(DemoResetError, match=r"\(directory\.Area\)"):
        generate_demo(seed=1, reset=True, regions=["KZ-19"])
    assert _digest() == first


# ------------------------------------------------------------------ what a maslikhat holds


def test_astana_constituency_one_has_exactly_one_current_deputy(reference):
    # given the demo for Astana
    generate_demo(seed=1, regions=["KZ-71"])
    # when its first constituency is read
    c1 = Area.objects.get(code="KZ-71-C01")
    seats = Membership.objects.current(ON).filter(post__area=c1)
    # then it is constituency No. 1 of the Astana maslikhat with one single-mandate deputy
    assert (c1.kind, c1.number, c1.body.slug, c1.parent.code) == (
        AreaKind.CONSTITUENCY,
        1,
        "kz-71-maslikhat",
        "KZ-71",
    )
    assert (c1.name_kk, c1.name_ru, c1.name_en) == (
        "№1 сайлау округі",
        "Избирательный округ №1",
        "Constituency No. 1",
    )
    assert c1.valid_from == date(2023, 3, 19)
    assert _shape(c1).within(_shape(c1.parent).buffer(1e-9))
    assert seats.count() == 1
    seat = seats.get()
    assert (seat.role, seat.election_method, seat.start_date, seat.end_date) == (
        PostRole.CONSTITUENCY_DEPUTY,
        ElectionMethod.SINGLE_MANDATE,
        TERM_START,
        None,
    )
    assert seat.post.label_en == "Deputy for constituency No. 1"
    assert seat.person.is_demo and seat.person.email.endswith("@demo.maslikhat.kz")
    assert "demo data" in seat.person.biography_en


def test_lookup_in_a_demo_constituency_finds_its_deputy_and_the_chair(reference):
    # given the demo for Astana and a point inside its constituency No. 7
    generate_demo(seed=1, regions=["KZ-71"])
    c7 = Area.objects.get(code="KZ-71-C07")
    point = _shape(c7).representative_point()
    reset_index()
    # when the point is looked up on a day of the convocation
    result = lookup_point(point.y, point.x, on=ON)
    # then the first representative is that constituency's deputy, and the maslikhat's chair follows
    first = result.representatives[0]
    assert (first.reason, first.membership.post.area.code) == ("constituency", "KZ-71-C07")
    chairs = [r.membership for r in result.representatives if r.reason == "chair"]
    assert [(m.organization.slug, m.role) for m in chairs] == [("kz-71-maslikhat", PostRole.CHAIR)]


def test_chair_secretary_and_commissions_of_a_regional_maslikhat(reference):
    # given the demo for Astana
    generate_demo(seed=1, regions=["KZ-71"])
    body = Organization.objects.get(slug="kz-71-maslikhat")
    deputies = set(
        Membership.objects.current(ON)
        .filter(organization=body, role__in=DEPUTY_ROLES)
        .values_list("person_id", flat=True)
    )
    # then the chair sits on the real chair post, is one of the deputies, and is not constituency 1's
    chair = Membership.objects.current(ON).get(organization=body, role=PostRole.CHAIR)
    assert chair.post == body.posts.get(role=PostRole.CHAIR)
    assert (chair.start_date, chair.end_date) == (TERM_START, None)
    assert chair.person_id in deputies
    assert not chair.person.memberships.filter(post__area__code="KZ-71-C01").exists()
    # and the last secretary held the old title from 2018 until the rename, then the new one
    history = list(
        Membership.objects.filter(organization=body, role__in=[PostRole.SECRETARY, PostRole.CHAIR])
        .exclude(pk=chair.pk)
        .order_by("start_date")
        .values_list("role", "post__role", "start_date", "end_date", "person_id")
    )
    assert len(history) == 2
    (role1, post1, start1, end1, person1), (role2, post2, start2, end2, person2) = history
    assert (role1, post1, start1.year, end1) == ("secretary", "secretary", 2018, date(2023, 1, 1))
    assert (role2, post2, start2, end2) == ("chair", "chair", date(2023, 1, 1), TERM_START)
    assert person1 == person2
    # and 3 or 4 standing commissions split the other deputies, each with one chair
    commissions = list(body.children.filter(kind=OrganizationKind.STANDING_COMMISSION).order_by("slug"))
    assert 3 <= len(commissions) <= 4
    assert [c.slug for c in commissions] == [f"kz-71-commission-{n}" for n in range(1, len(commissions) + 1)]
    members: list[int] = []
    for commission in commissions:
        assert commission.name_kk and commission.name_ru and commission.name_en
        roles = list(commission.memberships.values_list("role", flat=True))
        assert roles.count(PostRole.COMMISSION_CHAIR) == 1
        members += list(commission.memberships.values_list("person_id", flat=True))
    assert sorted(members) == sorted(deputies - {chair.person_id})


def test_national_representatives_and_councils(reference):
    # given the demo for two regions
    generate_demo(seed=1, regions=["KZ-71", "KZ-75"])
    senate = Organization.objects.get(slug="senate")
    council = Organization.objects.get(slug="senate-council-on-maslikhats")
    successor = Organization.objects.get(slug="kurultai-council-on-maslikhats")
    chairs = set(
        Membership.objects.current(ON)
        .filter(role=PostRole.CHAIR, organization__kind=OrganizationKind.REGIONAL_MASLIKHAT)
        .values_list("person_id", flat=True)
    )
    # then each region has two elected senators on the real Senate posts, until the Kurultai
    elected = Membership.objects.filter(organization=senate, role=PostRole.SENATOR)
    assert sorted(elected.values_list("post__area__code", flat=True)) == ["KZ-71", "KZ-71", "KZ-75", "KZ-75"]
    assert set(elected.values_list("election_method", "start_date", "end_date")) == {
        (ElectionMethod.INDIRECT, SENATE_FROM, KURULTAI_FROM)
    }
    assert elected.values("post").distinct().count() == 4
    assert Membership.objects.filter(organization=senate, role=PostRole.APPOINTED_SENATOR).count() == 10
    # and the Senate's council has a senator as chair, senators and the regional chairs as members
    assert (
        council.memberships.filter(
            role=PostRole.COUNCIL_CHAIR, person__memberships__organization=senate
        ).count()
        == 1
    )
    members = council.memberships.filter(role=PostRole.COUNCIL_MEMBER)
    assert set(members.values_list("end_date", flat=True)) == {KURULTAI_FROM}
    assert chairs <= set(members.values_list("person_id", flat=True))
    assert members.filter(person__memberships__organization=senate).count() == 4
    # and the successor council has the regional chairs from 1 Jul 2026
    assert set(successor.memberships.values_list("person_id", "role", "start_date", "end_date")) == {
        (person, PostRole.COUNCIL_MEMBER, KURULTAI_FROM, None) for person in chairs
    }
    assert len(chairs) == 2


# ------------------------------------------------------------------ the command


def test_demo_data_command_generates_then_reports_the_existing_data(reference):
    # given no demo data, when the command runs twice with seed 3
    out = StringIO()
    call_command("demo_data", "--seed", "3", "--regions", "KZ-71", stdout=out)
    call_command("demo_data", "--seed", "3", "--regions", "KZ-71", stdout=out)
    # then it generated once and then said so
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("demo data: 25 constituencies, 50 deputies, ")
    assert lines[1] == "demo data: already present (seed 3); use --reset to regenerate"
    assert Area.objects.filter(is_demo=True, kind=AreaKind.CONSTITUENCY).count() == 25
