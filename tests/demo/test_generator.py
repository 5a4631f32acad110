import hashlib
import json

import shapely
from django.contrib.auth import authenticate

from maslikhat.demo.accounts import create_demo_accounts
from maslikhat.demo.generator import generate_demo
from maslikhat.directory import geo
from maslikhat.directory.choices import AreaKind, PostRole
from maslikhat.directory.lookup import lookup_point, reset_index
from maslikhat.directory.models import Area, Membership, Organization, Person, Post
from maslikhat.directory.permissions import Role, managed_body_ids, user_roles


def _digest() -> str:
    rows = list(
        Area.objects.filter(is_demo=True).order_by("code").values_list("code", "name_ru", "boundary")
    ) + list(Person.objects.filter(is_demo=True).order_by("id").values_list("name_kk", "name_ru", "name_en"))
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def test_demo_directory_is_complete_marked_and_deterministic(reference):
    # given the reference data, when the demo is generated
    counts = generate_demo(seed=1)
    assert counts is not None
    # then every regional maslikhat has constituencies with exactly one current deputy each
    for body in Organization.objects.filter(kind="regional_maslikhat"):
        assert body.seats is not None
        constituencies = Area.objects.filter(body=body, kind=AreaKind.CONSTITUENCY)
        assert constituencies.count() == body.seats // 2
        deputies = Membership.objects.current().filter(organization=body, role=PostRole.CONSTITUENCY_DEPUTY)
        assert sorted(n or 0 for n in deputies.values_list("post__area__number", flat=True)) == list(
            range(1, body.seats // 2 + 1)
        )
        assert Membership.objects.current().filter(organization=body, role=PostRole.CHAIR).count() == 1
    # and the cells of a region lie inside it and cover it
    region = geo.to_shape(Area.objects.get(code="KZ-71").boundary or {})
    cells = [geo.to_shape(a.boundary or {}) for a in Area.objects.filter(code__startswith="KZ-71-C")]
    union = shapely.union_all(cells)
    assert union.difference(region).area < 1e-9
    assert union.area / region.area > 0.999
    # and everything synthetic is marked
    assert not Post.objects.filter(
        is_demo=False, memberships__is_demo=True, organization__is_demo=True
    ).exists()
    assert Person.objects.filter(is_demo=False).count() == 0
    assert counts["district_maslikhats"] == 6
    # and a second run changes nothing; a reset with the same seed gives the same data
    first = _digest()
    assert generate_demo(seed=1) is None
    generate_demo(seed=1, reset=True)
    assert _digest() == first


def test_demo_accounts_and_lookup(reference):
    generate_demo(seed=1)
    rows = create_demo_accounts()
    assert {r[0] for r in rows} >= {
        "admin",
        "council",
        "staff-kz-71",
        "staff-kz-10",
        "deputy-kz-71-1",
        "citizen",
    }
    staff = authenticate(username="staff-kz-71", password="demo-password")
    assert staff is not None
    assert user_roles(staff) == {Role.CITIZEN, Role.MASLIKHAT_STAFF}
    assert managed_body_ids(staff) == {Organization.objects.get(slug="kz-71-maslikhat").pk}
    council = authenticate(username="council", password="demo-password")
    assert Role.COUNCIL_STAFF in user_roles(council)
    deputy = authenticate(username="deputy-kz-71-1", password="demo-password")
    m = Membership.objects.current().get(person__user=deputy, role=PostRole.CONSTITUENCY_DEPUTY)
    assert m.post is not None and m.post.area is not None
    assert (m.organization.slug, m.post.area.number) == ("kz-71-maslikhat", 1)
    # a point in Astana finds its constituency deputy and the chair
    reset_index()
    result = lookup_point(51.128, 71.43)
    reasons = [r.reason for r in result.representatives]
    assert reasons[0] == "constituency" and "chair" in reasons
    assert create_demo_accounts() == rows
