"""Directory write services: idempotent upserts, the boundaries version, history kept, one log row each."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, cast

import pytest
from django.contrib.contenttypes.models import ContentType

from maslikhat.core.models import ActionLog, User
from maslikhat.directory import geo
from maslikhat.directory.models import Area, DirectoryState, Membership, Organization, Person
from maslikhat.directory.services import (
    area_set_boundary,
    area_upsert,
    membership_end,
    membership_start,
    organization_dissolve,
    organization_upsert,
    person_create,
    post_upsert,
)
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory

DISTRICT = {"kind": "district", "name_kk": "Талғар ауданы", "name_ru": "Талгарский район"}


def _square(lon: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def _version() -> int:
    return DirectoryState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first() or 0


def _events() -> list[str]:
    return list(ActionLog.objects.order_by("id").values_list("event", flat=True))


def test_area_upsert_creates_once_and_then_finds_the_area_unchanged(db):
    # given an area created by the service
    area, created = area_upsert(actor=None, code="T-1", defaults=DISTRICT)
    stamp = Area.objects.get(pk=area.pk).updated_at
    # when it is called again with the same values
    again, created_again = area_upsert(actor=None, code="T-1", defaults=DISTRICT)
    # then the same area is returned, untouched, and only the creation was logged
    assert (created, again.pk, created_again) == (True, area.pk, False)
    assert Area.objects.filter(code="T-1").count() == 1
    assert Area.objects.get(pk=area.pk).updated_at == stamp
    assert _events() == ["directory.area_created"]


def test_area_upsert_updates_changed_fields_and_logs_the_update(db):
    # given an area
    area, _created = area_upsert(actor=None, code="T-1", defaults=DISTRICT)
    # when its Russian name changes
    updated, created = area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "name_ru": "Талгар"})
    # then the same row holds the new name and the update is logged
    assert (updated.pk, created, Area.objects.get(pk=area.pk).name_ru) == (area.pk, False, "Талгар")
    assert _events() == ["directory.area_created", "directory.area_updated"]


def test_area_upsert_bumps_the_boundaries_version_only_when_the_boundary_changes(db):
    # given an area with a boundary
    version = _version()
    area, _created = area_upsert(
        actor=None, code="T-1", defaults={**DISTRICT, "boundary": _square(77.0, 43.0)}
    )
    assert _version() == version + 1
    stored = Area.objects.get(pk=area.pk)
    assert stored.boundary == json.loads(json.dumps(geo.normalized(_square(77.0, 43.0))))
    assert stored.boundary_web["type"] == "Polygon"
    # when the same boundary is given again, as given first and as stored
    area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "boundary": _square(77.0, 43.0)})
    area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "boundary": stored.boundary})
    # then the version does not move and nothing is logged
    assert _version() == version + 1
    assert _events() == ["directory.area_created"]
    # when another boundary is given
    area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "boundary": _square(77.5, 43.0)})
    # then the version moves once
    assert _version() == version + 2
    assert Area.objects.get(pk=area.pk).boundary["coordinates"][0][0] == [77.5, 43.0]


def test_area_upsert_without_a_boundary_leaves_the_version(db):
    # given an area with a boundary
    area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "boundary": _square(77.0, 43.0)})
    version = _version()
    # when only its name changes
    area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "name_en": "Talgar District"})
    # then the look-up index need not rebuild
    assert _version() == version


def test_area_upsert_with_log_false_writes_no_log_row(db):
    # when an area is created and updated without logging
    area_upsert(actor=None, code="T-1", defaults=DISTRICT, log=False)
    area_upsert(actor=None, code="T-1", defaults={**DISTRICT, "name_en": "Talgar"}, log=False)
    # then the area is there and the log is empty
    assert Area.objects.get(code="T-1").name_en == "Talgar"
    assert ActionLog.objects.count() == 0


def test_area_upsert_refuses_a_boundary_that_is_not_an_area(db):
    # when an area is given a point for a boundary
    with pytest.raises(geo.GeometryError):
        area_upsert(
            actor=None,
            code="T-1",
            defaults={**DISTRICT, "boundary": {"type": "Point", "coordinates": [77, 43]}},
        )
    # then nothing was written
    assert (Area.objects.count(), ActionLog.objects.count(), _version()) == (0, 0, 0)


def test_area_set_boundary_stores_it_bumps_the_version_and_logs(db):
    # given an area without a boundary
    area, _created = area_upsert(actor=None, code="T-1", defaults=DISTRICT)
    version = _version()
    # when its boundary is set
    area_set_boundary(actor=None, area=area, boundary=_square(77.0, 43.0))
    # then it is stored with a web copy, the index is told, and the change is logged
    stored = Area.objects.get(pk=area.pk)
    assert (stored.boundary["type"], stored.boundary_web["type"]) == ("Polygon", "Polygon")
    assert _version() == version + 1
    assert _events() == ["directory.area_created", "directory.boundary_set"]


def test_organization_upsert_creates_updates_and_leaves_unchanged(db):
    # given an organization created by the service
    defaults = {
        "kind": "district_maslikhat",
        "name_kk": "Талғар аудандық мәслихаты",
        "founding_date": date(1994, 3, 7),
    }
    org, created = organization_upsert(actor=None, slug="talgar", defaults=defaults)
    # when the same values come again, then a changed one
    same, created_same = organization_upsert(actor=None, slug="talgar", defaults=defaults)
    changed, created_changed = organization_upsert(
        actor=None, slug="talgar", defaults={**defaults, "seats": 25}
    )
    # then one organization exists with the new value, and creation and update were logged
    assert (created, created_same, created_changed) == (True, False, False)
    assert same.pk == changed.pk == org.pk
    assert Organization.objects.get(slug="talgar").seats == 25
    assert _events() == ["directory.organization_created", "directory.organization_updated"]


def test_organization_dissolve_ends_open_memberships_and_keeps_ended_ones(db):
    # given a body with an open and an already ended membership, and another body's membership
    body = cast(Organization, OrganizationFactory())
    open_one = cast(Membership, MembershipFactory(organization=body, start_date=date(2023, 3, 29)))
    ended = cast(
        Membership,
        MembershipFactory(organization=body, start_date=date(2023, 3, 29), end_date=date(2024, 1, 1)),
    )
    elsewhere = cast(Membership, MembershipFactory(start_date=date(2023, 3, 29)))
    # when the body is dissolved on 1 Jul 2026
    organization_dissolve(actor=None, organization=body, on=date(2026, 7, 1))
    # then it and its open membership end that day; the rest keep their dates
    assert Organization.objects.get(pk=body.pk).dissolution_date == date(2026, 7, 1)
    ends = dict(Membership.objects.values_list("pk", "end_date"))
    assert (ends[open_one.pk], ends[ended.pk], ends[elsewhere.pk]) == (
        date(2026, 7, 1),
        date(2024, 1, 1),
        None,
    )
    log = ActionLog.objects.get()
    assert (log.event, log.target_id, log.visibility, log.data) == (
        "directory.organization_dissolved",
        str(body.pk),
        "public",
        {"on": "2026-07-01"},
    )


def test_post_upsert_creates_once_and_updates_quietly(db):
    # given a post created by the service
    body = cast(Organization, OrganizationFactory())
    defaults = {"start_date": date(2023, 3, 29), "label_kk": "Депутат", "label_en": "Deputy No. 1"}
    post, created = post_upsert(
        actor=None, organization=body, role="constituency_deputy", area=None, defaults=defaults
    )
    # when the same post comes again with a Russian label
    again, created_again = post_upsert(
        actor=None,
        organization=body,
        role="constituency_deputy",
        area=None,
        defaults={**defaults, "label_ru": "Депутат"},
    )
    # then it is the same post with the label, and only its creation was logged
    assert (created, created_again, again.pk) == (True, False, post.pk)
    assert body.posts.get().label_ru == "Депутат"
    assert _events() == ["directory.post_created"]


def test_every_write_service_logs_one_row_naming_actor_target_and_event(db):
    # given an acting user
    user = cast(User, UserFactory(username="operator"))
    body = cast(Organization, OrganizationFactory())
    # when each write service runs once
    area, _ = area_upsert(actor=user, code="T-1", defaults=DISTRICT)
    area_upsert(actor=user, code="T-1", defaults={**DISTRICT, "name_en": "Talgar"})
    area_set_boundary(actor=user, area=area, boundary=_square(77.0, 43.0))
    org, _ = organization_upsert(
        actor=user,
        slug="talgar",
        defaults={"kind": "party", "name_kk": "Партия", "founding_date": date(2000, 1, 1)},
    )
    organization_upsert(
        actor=user,
        slug="talgar",
        defaults={"kind": "party", "name_kk": "Партия!", "founding_date": date(2000, 1, 1)},
    )
    post, _ = post_upsert(
        actor=user,
        organization=body,
        role="chair",
        area=None,
        defaults={"start_date": date(2023, 1, 1), "label_kk": "Т"},
    )
    person = person_create(actor=user, name_kk="Нұрлан")
    membership = membership_start(
        actor=user, person=person, organization=body, role="chair", start_date=date(2023, 4, 5), post=post
    )
    membership_end(actor=user, membership=membership, on=date(2025, 4, 5))
    organization_dissolve(actor=user, organization=org, on=date(2026, 7, 1))
    # then there is one public row per write, each by the user, about the right object
    rows = list(ActionLog.objects.order_by("id"))
    assert [(r.event, r.target_type.model, r.target_id) for r in rows] == [
        ("directory.area_created", "area", str(area.pk)),
        ("directory.area_updated", "area", str(area.pk)),
        ("directory.boundary_set", "area", str(area.pk)),
        ("directory.organization_created", "organization", str(org.pk)),
        ("directory.organization_updated", "organization", str(org.pk)),
        ("directory.post_created", "post", str(post.pk)),
        ("directory.person_created", "person", str(person.pk)),
        ("directory.membership_started", "membership", str(membership.pk)),
        ("directory.membership_ended", "membership", str(membership.pk)),
        ("directory.organization_dissolved", "organization", str(org.pk)),
    ]
    assert {(r.actor_id, r.visibility) for r in rows} == {(user.pk, "public")}
    assert rows[0].target_type == ContentType.objects.get_for_model(Area)


def test_person_create_and_membership_start_can_skip_the_log(db):
    # given a body
    body = cast(Organization, OrganizationFactory())
    # when a person and a membership are created without logging (as imports do)
    person = person_create(actor=None, log=False, name_kk="Нұрлан", name_en="Nurlan")
    membership_start(
        actor=None, person=person, organization=body, role="member", start_date=date(2024, 1, 1), log=False
    )
    # then both exist and nothing was logged
    assert (Person.objects.get().name_en, Membership.objects.get().person_id) == ("Nurlan", person.pk)
    assert ActionLog.objects.count() == 0


def test_membership_end_closes_the_membership_on_that_day(db):
    # given an open membership
    membership = cast(Membership, MembershipFactory(person=PersonFactory(), start_date=date(2023, 3, 29)))
    # when it ends on 1 Jan 2025
    membership_end(actor=None, membership=membership, on=date(2025, 1, 1))
    # then it is in force the day before and not on that day
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.end_date, stored.in_force(date(2024, 12, 31)), stored.in_force(date(2025, 1, 1))) == (
        date(2025, 1, 1),
        True,
        False,
    )
    assert ActionLog.objects.get().data == {"on": "2025-01-01"}
