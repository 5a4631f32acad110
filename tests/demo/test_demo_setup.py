from django.core.management import call_command

from maslikhat.appeals.models import Appeal
from maslikhat.core.models import ActionLog
from maslikhat.directory.models import Area


def test_demo_setup_is_complete_then_a_no_op(db, capsys):
    call_command("demo_setup", seed=1, appeals=30)
    first = capsys.readouterr().out
    assert "reference data loaded" in first
    areas, appeals = Area.objects.count(), Appeal.objects.count()
    assert appeals >= 30
    call_command("demo_setup", seed=1, appeals=30)
    second = capsys.readouterr().out
    assert "reference data: up to date" in second
    assert "demo appeals: already present" in second
    assert (Area.objects.count(), Appeal.objects.count()) == (areas, appeals)
    assert ActionLog.objects.filter(event="directory.reference_digest").count() == 1
