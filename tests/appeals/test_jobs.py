from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail

from maslikhat.appeals.jobs import send_due_reminders
from maslikhat.appeals.models import AppealEvent
from maslikhat.directory.choices import PostRole
from tests.factories import UserFactory


def test_due_soon_reminder_goes_to_staff_once(submit, astana):
    # given an appeal registered Mon 2 Nov 2026, due Mon 23 Nov
    appeal, _ = submit(received_at=datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Asia/Almaty")))
    astana["staff_user"].email = "staff@example.org"
    astana["staff_user"].save()
    mail.outbox.clear()
    # when the job runs on Wed 18 Nov (3 working days before), twice
    first = send_due_reminders(date(2026, 11, 18))
    second = send_due_reminders(date(2026, 11, 18))
    # then one reminder went to the staff, recorded as an internal event
    assert first == {"due_soon": 1, "overdue": 0}
    assert second == {"due_soon": 0, "overdue": 0}
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]
    assert AppealEvent.objects.filter(appeal=appeal, kind="reminder", public=False).count() == 1


def test_overdue_reminder_goes_to_the_chair_once(submit, astana):
    appeal, _ = submit(received_at=datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Asia/Almaty")))
    chair_user = UserFactory(username="chair", email="chair@example.org", preferred_language="kk")
    chair = astana["chair"]
    chair.user = chair_user
    chair.save()
    assert chair.memberships.get().role == PostRole.CHAIR
    mail.outbox.clear()
    assert send_due_reminders(date(2026, 11, 25)) == {"due_soon": 0, "overdue": 1}
    assert send_due_reminders(date(2026, 11, 26)) == {"due_soon": 0, "overdue": 0}
    assert [m.to for m in mail.outbox] == [["chair@example.org"]]
    assert appeal.registration_number in mail.outbox[0].subject
