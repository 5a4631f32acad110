from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command

from maslikhat.appeals.models import Appeal
from maslikhat.core.models import ActionLog
from maslikhat.directory.choices import DEPUTY_ROLES
from maslikhat.directory.models import Area, Membership


def test_demo_setup_is_complete_then_a_no_op(db, capsys):
    call_command("demo_setup", seed=1, appeals=30)
    first = capsys.readouterr().out
    assert "reference data loaded" in first
    areas, appeals = Area.objects.count(), Appeal.objects.count()
    assert appeals >= 30
    # the whole country: about 3,400 demo deputies in the 228 real maslikhats, a staff account each
    deputies = Membership.objects.filter(is_demo=True, role__in=DEPUTY_ROLES)
    assert 3_200 <= deputies.count() <= 3_600
    assert deputies.values("organization").distinct().count() == 228
    assert get_user_model().objects.filter(username__startswith="staff-").count() == 228
    assert get_user_model().objects.filter(username="staff-196200000").exists()
    # the search index holds the whole country, not only what was saved one by one
    from maslikhat.search.models import SearchDocument

    assert "search index:" in first
    indexed = {
        kind: SearchDocument.objects.filter(kind=kind).values("object_id").distinct().count()
        for kind in ("area", "deputy", "body")
    }
    assert indexed["area"] >= 10_000 and indexed["deputy"] >= 3_200 and indexed["body"] >= 228, indexed
    call_command("demo_setup", seed=1, appeals=30)
    second = capsys.readouterr().out
    assert "reference data: up to date" in second
    assert "search index: up to date" in second
    assert "demo appeals: already present" in second
    assert (Area.objects.count(), Appeal.objects.count()) == (areas, appeals)
    assert ActionLog.objects.filter(event="directory.reference_digest").count() == 1
    # when the database also holds a maslikhat an older demo invented
    from maslikhat.directory.choices import OrganizationKind
    from maslikhat.directory.models import Organization

    invented = Organization.objects.create(
        slug="demo-invented-maslikhat",
        kind=OrganizationKind.DISTRICT_MASLIKHAT,
        name_kk="Ойдан шығарылған",
        name_ru="Выдуманный",
        name_en="Invented",
        founding_date=date(2020, 1, 1),
        is_demo=True,
    )
    call_command("demo_setup", seed=1, appeals=30)
    third = capsys.readouterr().out
    # then the demo is generated again, without it, in the real maslikhats
    assert "older demo with invented maslikhats found" in third
    assert not Organization.objects.filter(pk=invented.pk).exists()
    assert deputies.values("organization").distinct().count() == 228
