from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import formats, translation

from maslikhat.core.audit import log_action
from maslikhat.core.models import ActionLog, CalendarOverride
from tests.factories import UserFactory


def test_kazakh_date_and_number_formats():
    with translation.override("kk"):
        assert formats.date_format(date(2026, 10, 25), "SHORT_DATE_FORMAT") == "25.10.2026"
        assert formats.date_format(date(2026, 10, 25)).endswith("2026 ж.")
        assert (
            formats.number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True)
            == "1\xa0234\xa0567,5"
        )


@pytest.mark.django_db
def test_log_action_records_actor_target_and_visibility():
    user = UserFactory.create()
    target = CalendarOverride.objects.create(date=date(2026, 1, 3), kind=CalendarOverride.Kind.WORKING_DAY)
    row = log_action(actor=user, event="core.test", target=target, visibility="public", data={"x": 1})
    row = ActionLog.objects.get(pk=row.pk)
    assert (row.actor_id, row.event, row.visibility, row.data) == (user.pk, "core.test", "public", {"x": 1})
    assert row.target_type == ContentType.objects.get_for_model(CalendarOverride)
    assert row.target_id == str(target.pk)
