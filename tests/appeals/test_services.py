from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from maslikhat.appeals import services
from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.models import Appeal, AppealAttachment, AppealEvent, AppealStats
from maslikhat.appeals.selectors import appeal_for_citizen, body_figures
from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.directory.models import Organization
from tests.factories import UserFactory

ALMATY_TZ = ZoneInfo("Asia/Almaty")
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=ALMATY_TZ)


def test_submit_registers_with_number_dates_token_events_and_email(
    submit, astana, django_capture_on_commit_callbacks
):
    # given a working Monday, when a citizen submits
    with django_capture_on_commit_callbacks(execute=True):
        appeal, token = submit(received_at=at(2026, 11, 2))
    # then the number is per body and year, registration is that day, due 15 working days later
    assert appeal.registration_number == "KZ-71-2026-000001"
    assert appeal.status == AppealStatus.REGISTERED
    assert appeal.registered_on == date(2026, 11, 2)
    assert appeal.due_on == date(2026, 11, 23)
    assert [e.to_status for e in appeal.events.all()] == ["received", "registered"]
    assert appeal_for_citizen(number=appeal.registration_number, token=token) == appeal
    assert appeal_for_citizen(number=appeal.registration_number, token="wrong") is None
    # and the citizen got an email in Russian with the tracking link
    assert len(mail.outbox) == 1
    assert "KZ-71-2026-000001" in mail.outbox[0].subject
    assert f"/ru/appeals/KZ-71-2026-000001/?token={token}" in mail.outbox[0].body
    assert ActionLog.objects.filter(event="appeals.submitted", target_id=str(appeal.pk)).count() == 1


def test_numbers_are_sequential_per_body_and_year(submit):
    first, _ = submit(received_at=at(2026, 11, 2))
    second, _ = submit(received_at=at(2026, 11, 3))
    next_year, _ = submit(received_at=at(2027, 1, 4))
    assert [first.registration_number, second.registration_number, next_year.registration_number] == [
        "KZ-71-2026-000001",
        "KZ-71-2026-000002",
        "KZ-71-2027-000001",
    ]


def test_received_on_a_holiday_is_registered_next_working_day(submit):
    # Nauryz 2026: 21-25 March are days off; Saturday 21 March -> Thursday 26 March
    appeal, _ = submit(received_at=at(2026, 3, 21))
    assert appeal.registered_on == date(2026, 3, 26)
    assert appeal.due_on == date(2026, 4, 16)


def test_received_at_night_uses_the_local_date(submit):
    # 23:30 on Friday in Almaty is still Friday locally (18:30 UTC)
    appeal, _ = submit(received_at=datetime(2026, 11, 6, 23, 30, tzinfo=ALMATY_TZ))
    assert appeal.registered_on == date(2026, 11, 6)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (
            {"applicant": {"full_name": "", "iin": "", "address": "", "phone": "", "email": ""}},
            "applicant.full_name",
            "anonymous_not_allowed",
        ),
        ({"text": "   "}, "text", "required"),
        ({"kind": "petition"}, "kind", "invalid_choice"),
        ({"topic_code": "weather"}, "topic", "invalid_choice"),
        ({"language": "de"}, "language", "invalid_choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(submit, change, field, code):
    before = (
        Appeal.objects.count(),
        AppealEvent.objects.count(),
        AppealStats.objects.count(),
        ActionLog.objects.count(),
    )
    with pytest.raises(FieldErrors) as exc:
        submit(**change)
    assert (field, code) in [(f, c) for f, c, _ in exc.value.errors]
    after = (
        Appeal.objects.count(),
        AppealEvent.objects.count(),
        AppealStats.objects.count(),
        ActionLog.objects.count(),
    )
    assert after == before


def test_invalid_iin_is_refused(submit, applicant):
    bad = dict(applicant, iin="850315300120" if applicant["iin"][-1] != "0" else "850315300121")
    with pytest.raises(FieldErrors) as exc:
        submit(applicant=bad)
    assert [(f, c) for f, c, _ in exc.value.errors] == [("applicant.iin", "iin_checksum")]
    assert Appeal.objects.count() == 0


def test_attachments_checked_by_content(submit):
    good = SimpleUploadedFile("scan.pdf", PDF)
    appeal, _ = submit(files=[good, SimpleUploadedFile("photo.png", PNG)])
    assert sorted(a.content_type for a in appeal.attachments.all()) == ["application/pdf", "image/png"]
    # a text file named .pdf is refused, and nothing of the appeal is kept
    count = Appeal.objects.count()
    with pytest.raises(FieldErrors) as exc:
        submit(files=[SimpleUploadedFile("fake.pdf", b"hello, not a pdf")])
    assert exc.value.errors[0][1] == "file_type"
    assert Appeal.objects.count() == count
    assert AppealAttachment.objects.count() == 2


def test_too_many_files_refused(submit):
    files = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(6)]
    with pytest.raises(FieldErrors) as exc:
        submit(files=files)
    assert exc.value.errors[0][1] == "too_many_files"
    assert Appeal.objects.count() == 0


def test_oversized_file_refused(submit):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(FieldErrors) as exc:
        submit(files=[big])
    assert exc.value.errors[0][1] == "file_too_large"


def test_full_workflow_updates_figures(submit, astana, django_capture_on_commit_callbacks):
    staff = astana["staff_user"]
    appeal, _ = submit(received_at=at(2026, 11, 2))
    services.appeal_assign(actor=staff, appeal=appeal, assignee=staff)
    services.appeal_start(actor=staff, appeal=appeal)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_answer(actor=staff, appeal=appeal, text="The road is in the 2027 repair plan.")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED
    assert appeal.answered_on_time is (appeal.answered_on <= appeal.due_on)
    services.appeal_rate(actor=None, appeal=appeal, rating=4, comment="Clear answer")
    services.appeal_close(actor=staff, appeal=appeal)
    appeal.refresh_from_db()
    assert [e.to_status for e in appeal.events.filter(kind="status")] == [
        "received",
        "registered",
        "assigned",
        "in_progress",
        "answered",
        "closed",
    ]
    figures = body_figures(body_id=astana["maslikhat"].pk)
    assert (figures.received, figures.answered, figures.rated, figures.average_rating) == (1, 1, 1, 4.0)
    assert figures.median_working_days == float(appeal.answer_working_days)
    assert (
        "answered" in mail.outbox[-1].subject.lower() or appeal.registration_number in mail.outbox[-1].subject
    )


def test_transition_not_allowed(submit, astana):
    appeal, _ = submit()
    with pytest.raises(NotAllowed):
        services.appeal_close(actor=astana["staff_user"], appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED


def test_extend_limits(submit, astana):
    staff = astana["staff_user"]
    appeal, _ = submit(received_at=at(2026, 11, 2))
    with pytest.raises(FieldErrors):
        services.appeal_extend(actor=staff, appeal=appeal, until=date(2027, 1, 5), reason="Expert review")
    services.appeal_extend(actor=staff, appeal=appeal, until=date(2026, 12, 30), reason="Expert review")
    appeal.refresh_from_db()
    assert (appeal.due_on, appeal.original_due_on) == (date(2026, 12, 30), date(2026, 11, 23))
    assert appeal.events.filter(kind="extended").count() == 1


def test_forward_creates_linked_appeal_at_the_competent_body(submit, astana, time_machine_today):
    staff = astana["staff_user"]
    appeal, _ = submit(received_at=at(2026, 11, 2))
    target = Organization.objects.get(slug="kz-75-maslikhat")
    time_machine_today(date(2026, 11, 4))
    services.appeal_forward(actor=staff, appeal=appeal, to_body=target, reason="Almaty's competence")
    appeal.refresh_from_db()
    new = appeal.forwards.get()
    assert (appeal.status, new.body, new.registration_number) == ("forwarded", target, "KZ-75-2026-000001")


def test_forward_after_three_working_days_is_refused(submit, astana, time_machine_today):
    appeal, _ = submit(received_at=at(2026, 11, 2))
    time_machine_today(date(2026, 11, 6))
    with pytest.raises(NotAllowed) as exc:
        services.appeal_forward(
            actor=astana["staff_user"],
            appeal=appeal,
            to_body=Organization.objects.get(slug="kz-75-maslikhat"),
            reason="late",
        )
    assert exc.value.code == "forward_too_late"


def test_withdraw_only_before_answer(submit, astana):
    appeal, _ = submit()
    services.appeal_withdraw(actor=None, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.WITHDRAWN
    with pytest.raises(NotAllowed):
        services.appeal_withdraw(actor=None, appeal=appeal)


def test_complaint_goes_to_the_same_regional_body_as_linked_appeal(submit, astana):
    staff = astana["staff_user"]
    appeal, _ = submit()
    services.appeal_answer(actor=staff, appeal=appeal, text="No.")
    complaint, token = services.appeal_complain(
        actor=None, appeal=appeal, text="The answer ignores my question."
    )
    assert (complaint.kind, complaint.complaint_about, complaint.body) == (
        "complaint",
        appeal,
        astana["maslikhat"],
    )
    assert token


def test_assign_to_someone_outside_the_body_is_refused(submit):
    appeal, _ = submit()
    outsider = UserFactory(username="outsider")
    with pytest.raises(services.DomainError) as exc:
        services.appeal_assign(actor=None, appeal=appeal, assignee=outsider)
    assert exc.value.code == "assignee_not_allowed"


def test_file_like_objects_are_accepted(submit):
    upload = io.BytesIO(PDF)
    upload.name = "a.pdf"
    upload.size = len(PDF)  # type: ignore[attr-defined]
    appeal, _ = submit(files=[upload])
    assert appeal.attachments.count() == 1


def test_rollups_equal_a_direct_computation_after_rebuild(submit, astana):
    # given appeals answered and rated through the services
    staff = astana["staff_user"]
    a1, _ = submit(received_at=at(2026, 10, 5))
    a2, _ = submit(received_at=at(2026, 11, 2), kind="proposal")
    submit(received_at=at(2026, 11, 3))
    services.appeal_answer(actor=staff, appeal=a1, text="Answer one")
    services.appeal_answer(actor=staff, appeal=a2, text="Answer two")
    services.appeal_rate(actor=None, appeal=a1, rating=3)
    maintained = sorted(
        AppealStats.objects.values_list(
            "month", "kind", "received", "answered", "answered_on_time", "rated", "rating_sum", "answer_days"
        )
    )
    # when the rollups are rebuilt from the appeals
    services.appeal_stats_rebuild(actor=None)
    rebuilt = sorted(
        AppealStats.objects.values_list(
            "month", "kind", "received", "answered", "answered_on_time", "rated", "rating_sum", "answer_days"
        )
    )
    # then both agree, and the figures match a direct count
    assert maintained == rebuilt
    figures = body_figures(body_id=astana["maslikhat"].pk)
    assert figures.received == Appeal.objects.count() == 3
    assert figures.answered == Appeal.objects.filter(answered_on__isnull=False).count() == 2
    assert figures.by_kind == {"application": 2, "proposal": 1}


@pytest.mark.django_db
def test_rebuilding_the_rollups_renews_what_shows_appeal_counts() -> None:
    """The rebuild writes in bulk (no signal): it bumps the appeals' page-cache family itself,
    so no page or kept figure shows the counts from before it."""
    from maslikhat.appeals.services import appeal_stats_rebuild
    from maslikhat.core import pagecache

    before = pagecache.versions(["appeals-public"])
    appeal_stats_rebuild(actor=None)
    after = pagecache.versions(["appeals-public"])
    assert before is not None and after is not None and before != after
