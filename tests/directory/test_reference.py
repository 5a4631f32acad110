"""The real reference data: 20 regions, their maslikhats, the Senate and the national councils."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.management import call_command

from maslikhat.core.models import ActionLog
from maslikhat.directory.models import Area, DirectoryState, Organization, Post
from maslikhat.directory.reference import load_reference


def test_reference_has_the_country_and_20_regions_with_three_names(reference):
    # given the reference data loaded
    regions = Area.objects.filter(kind="region")
    # then there are 20 regions under Kazakhstan, each named in kk, ru and en, each with a boundary
    assert regions.count() == 20
    assert set(regions.values_list("parent__code", flat=True)) == {"KZ"}
    assert not regions.filter(name_kk="").exists()
    assert not regions.filter(name_ru="").exists()
    assert not regions.filter(name_en="").exists()
    assert not regions.filter(boundary__isnull=True).exists()
    abai = Area.objects.get(code="KZ-10")
    assert (abai.name_kk, abai.name_ru, abai.name_en, abai.iso_code, abai.valid_from) == (
        "Абай облысы",
        "область Абай",
        "Abai Region",
        "KZ-10",
        date(2022, 6, 8),
    )
    astana = Area.objects.get(code="KZ-71")
    assert (astana.name_kk, astana.name_ru, astana.name_en, astana.centre_en) == (
        "Астана",
        "город Астана",
        "Astana",
        "Astana",
    )
    assert reference["areas"] == 21


def test_every_region_has_a_regional_maslikhat_with_an_apparatus(reference):
    # given the reference data loaded
    maslikhats = Organization.objects.filter(kind="regional_maslikhat")
    # then each of the 20 regions has one maslikhat, and each maslikhat one apparatus
    assert maslikhats.count() == 20
    assert sorted(maslikhats.values_list("area__code", flat=True)) == sorted(
        Area.objects.filter(kind="region").values_list("code", flat=True)
    )
    for maslikhat in maslikhats:
        assert list(maslikhat.children.values_list("kind", "slug")) == [
            ("apparatus", maslikhat.slug.replace("-maslikhat", "-apparatus"))
        ]
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    assert (almaty.name_kk, almaty.name_ru, almaty.name_en) == (
        "Алматы қалалық мәслихаты",
        "Маслихат города Алматы",
        "Almaty City Maslikhat",
    )


def test_maslikhat_head_was_secretary_until_2023_and_chair_since(reference):
    # given a maslikhat founded before 2023
    maslikhat = Organization.objects.get(slug="kz-19-maslikhat")
    # then its head's post is kept under both titles with their dates
    assert list(maslikhat.posts.order_by("start_date").values_list("role", "start_date", "end_date")) == [
        ("secretary", date(1994, 3, 7), date(2023, 1, 1)),
        ("chair", date(2023, 1, 1), None),
    ]


def test_senate_has_50_seats_40_elected_for_regions_and_10_appointed(reference):
    # given the reference data loaded
    senate = Organization.objects.get(slug="senate")
    elected = Post.objects.filter(organization=senate, role="senator")
    appointed = Post.objects.filter(organization=senate, role="appointed_senator")
    # then there are 40 elected seats, two per region, and 10 appointed seats without an area
    assert (senate.seats, senate.posts.count(), elected.count(), appointed.count()) == (50, 50, 40, 10)
    assert set(elected.values_list("area__kind", flat=True)) == {"region"}
    per_region = Counter(elected.values_list("area__code", flat=True))
    assert (len(per_region), set(per_region.values())) == (20, {2})
    assert not appointed.filter(area__isnull=False).exists()
    assert set(senate.posts.values_list("start_date", "end_date")) == {(date(2023, 1, 14), date(2026, 7, 1))}


def test_senate_council_until_2026_then_its_successor(reference):
    # given the reference data loaded
    council = Organization.objects.get(slug="senate-council-on-maslikhats")
    successor = Organization.objects.get(slug="kurultai-council-on-maslikhats")
    # then the Senate's council ran from 19 Nov 2007 to 1 Jul 2026 and its successor from then on
    assert (council.kind, council.parent.slug, council.founding_date, council.dissolution_date) == (
        "national_council",
        "senate",
        date(2007, 11, 19),
        date(2026, 7, 1),
    )
    assert (successor.kind, successor.parent.slug, successor.founding_date, successor.dissolution_date) == (
        "national_council",
        "kurultai",
        date(2026, 7, 1),
        None,
    )
    # and exactly one national council is in force on each side of the change
    in_force = Organization.objects.filter(kind="national_council")
    assert list(in_force.current(date(2026, 6, 30)).values_list("slug", flat=True)) == [council.slug]
    assert list(in_force.current(date(2026, 7, 1)).values_list("slug", flat=True)) == [successor.slug]


def test_loading_the_reference_again_creates_and_changes_nothing(reference):
    # given the reference data loaded once
    before = (
        Area.objects.count(),
        Organization.objects.count(),
        Post.objects.count(),
        ActionLog.objects.count(),
        DirectoryState.objects.get(pk=1).boundaries_version,
    )
    # when it is loaded again
    created = load_reference()
    # then nothing is created, nothing logged, and the look-up index need not rebuild
    assert created == dict.fromkeys(reference, 0)
    after = (
        Area.objects.count(),
        Organization.objects.count(),
        Post.objects.count(),
        ActionLog.objects.count(),
        DirectoryState.objects.get(pk=1).boundaries_version,
    )
    assert after == before


def test_first_load_logs_one_summary_row(db):
    # when the reference data is loaded into an empty directory
    created = load_reference()
    # then the summary row counts what was created
    log = ActionLog.objects.get(event="directory.reference_loaded")
    assert (log.visibility, log.data) == ("public", created)
    assert (created["areas"], created["posts"], created["organizations"]) == (
        21,
        90,
        Organization.objects.count(),
    )


def test_load_reference_command_reports_the_counts(db, capsys):
    # when the command loads the reference data
    call_command("load_reference", "--regions-only")
    # then it says how much it created
    out = capsys.readouterr().out
    assert out.startswith("reference data: 21 areas, ")
    assert f"{Organization.objects.count()} organizations, 90 posts created" in out
