"""The akimats of the whole country, built from the real files beside the maslikhats: one for
each of the 20 regions and cities of republican significance, one for each of the 208 districts
and cities of oblast significance; named in kk/ru/en from the area names; loaded once."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from maslikhat.appeals.selectors import forward_groups, forward_targets
from maslikhat.directory.models import Organization
from maslikhat.directory.reference_country import DISTRICTS_CSV, load_akimats, load_country
from tests.country import country  # noqa: F401  (the module-scoped fixture)

pytestmark = pytest.mark.usefixtures("country")


def test_every_region_and_district_has_its_akimat_beside_its_maslikhat(db):
    akimats = {o.slug: o for o in Organization.objects.filter(kind="akimat").select_related("parent", "area")}
    assert len(akimats) == 20 + 208
    with DISTRICTS_CSV.open(encoding="utf-8") as fh:
        districts = list(csv.DictReader(fh))
    maslikhats = {
        o.slug: o
        for o in Organization.objects.filter(
            kind__in=["regional_maslikhat", "city_maslikhat", "district_maslikhat"]
        )
    }
    for row in districts:
        akimat = akimats[f"{row['kato']}-akimat"]
        maslikhat = maslikhats[f"{row['kato']}-maslikhat"]
        # in the maslikhat's area, under its region's akimat, in office
        assert akimat.area_id == maslikhat.area_id
        assert akimat.parent is not None and akimat.parent.slug == f"{row['region_iso'].lower()}-akimat"
        assert akimat.in_force() and akimat.name_kk and akimat.name_ru and akimat.name_en
    # the regional ones sit in their regions, with no parent
    regional = [a for a in akimats.values() if a.area.kind == "region"]
    assert len(regional) == 20 and all(a.parent_id is None for a in regional)
    assert Counter(a.founding_date.year for a in regional)[1994] == 17


def test_names_are_built_in_three_languages(db):
    def names(slug: str) -> tuple[str, str, str]:
        o = Organization.objects.get(slug=slug)
        return (o.name_kk, o.name_ru, o.name_en)

    assert names("kz-10-akimat") == (
        "Абай облысының әкімдігі",
        "Акимат области Абай",
        "Akimat of Abai Region",
    )
    assert names("kz-11-akimat") == (
        "Ақмола облысының әкімдігі",
        "Акимат Акмолинской области",
        "Akimat of Akmola Region",
    )
    assert names("kz-71-akimat") == (
        "Астана қаласының әкімдігі",
        "Акимат города Астаны",
        "Akimat of Astana City",
    )
    assert names("103200000-akimat") == (
        "Абай ауданының әкімдігі",
        "Акимат Абайского района",
        "Akimat of Abay District",
    )
    assert names("103400000-akimat") == (
        "Ақсуат ауданының әкімдігі",
        "Акимат района Ақсуат",
        "Akimat of Aqsuat District",
    )
    assert names("101000000-akimat") == (
        "Семей қаласының әкімдігі",
        "Акимат города Семей",
        "Akimat of Semey City",
    )


def test_loading_again_creates_nothing(db):
    before = Organization.objects.count()
    assert load_akimats() == 0
    assert load_country()["organizations"] == 0
    assert Organization.objects.count() == before


def test_an_appeal_can_be_forwarded_to_every_akimat_and_maslikhat(db):
    # given any maslikhat's appeal (the targets do not depend on anything else)
    from maslikhat.appeals.models import Appeal

    own = Organization.objects.get(slug="103200000-maslikhat")
    appeal = Appeal(body=own, body_id=own.pk)
    targets = list(forward_targets(appeal=appeal))
    kinds = Counter(o.kind for o in targets)
    assert kinds["akimat"] == 228
    assert kinds["regional_maslikhat"] + kinds["city_maslikhat"] + kinds["district_maslikhat"] == 227
    assert "apparatus" not in kinds and "party" not in kinds
    # grouped by region: the national level and the 20 regions, every target in one group
    groups = forward_groups(appeal=appeal)
    assert len(groups) == 21
    assert sum(len(g.bodies) for g in groups) == len(targets)
    abai = next(g for g in groups if any(b.slug == "kz-10-akimat" for b in g.bodies))
    assert {b.slug for b in abai.bodies[:2]} == {"kz-10-akimat", "kz-10-maslikhat"}
    assert "103200000-akimat" in {b.slug for b in abai.bodies}
