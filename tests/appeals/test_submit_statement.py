"""What a submission writes, row by row, whichever way it is written: on PostgreSQL one statement
of data-modifying CTEs (appeals/services.py `_insert_submission`), on SQLite the ORM's inserts.
The same assertions run on both databases, so the two paths cannot drift apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save

from maslikhat.appeals import services
from maslikhat.appeals.models import (
    Appeal,
    AppealEvent,
    AppealMonthStats,
    AppealStats,
    RegistrationCounter,
)
from maslikhat.core.models import ActionLog

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    from maslikhat.core import background

    jobs: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr(background, "enqueue", lambda job, *args: jobs.append((job, args)))
    return jobs


def _submit(body: Any, applicant: dict[str, str], **kwargs: Any) -> tuple[Appeal, str]:
    return services.appeal_submit(
        actor=None,
        body=body,
        kind="application",
        topic_code="roads",
        text="  The road on our street has not been repaired.  ",
        language="ru",
        applicant=applicant,
        **kwargs,
    )


def test_the_rows_of_a_submission(astana, applicant, queued):
    body = astana["maslikhat"]
    saved: list[tuple[int | None, bool]] = []

    def on_save(sender: Any, instance: Appeal, created: bool, **kwargs: Any) -> None:
        saved.append((instance.pk, created))

    post_save.connect(on_save, sender=Appeal, dispatch_uid="test-submit-statement")
    try:
        appeal, token = _submit(body, applicant, is_public=True)
    finally:
        post_save.disconnect(dispatch_uid="test-submit-statement", sender=Appeal)

    stored = Appeal.objects.get(pk=appeal.pk)
    assert stored.registration_number == appeal.registration_number
    assert appeal.registration_number.endswith(f"-{appeal.registered_on.year}-000001")
    assert stored.text == "The road on our street has not been repaired."
    assert stored.applicant_iin == applicant["iin"]
    assert stored.token_hash == services.hash_token(token)
    assert stored.status == "registered" and stored.publication_requested
    assert (stored.public_text, stored.public_answer_text) == ("", "")
    assert (appeal.public_text, appeal.public_answer_text) == ("", "")  # as the ORM returns them
    assert stored.created_at == appeal.created_at and stored.updated_at == appeal.updated_at
    assert not appeal._state.adding

    events = list(AppealEvent.objects.filter(appeal=stored).order_by("id"))
    assert [(e.kind, e.from_status, e.to_status) for e in events] == [
        ("status", "", "received"),
        ("status", "received", "registered"),
        ("published", "", ""),
    ]
    assert events[1].data == {"registered_on": str(stored.registered_on), "due_on": str(stored.due_on)}
    assert events[2].data == {"step": "requested"}

    log = ActionLog.objects.get(event="appeals.submitted")
    assert log.target_type == ContentType.objects.get_for_model(Appeal)
    assert (log.target_id, log.target_repr) == (str(stored.pk), stored.registration_number)
    assert log.visibility == "internal" and log.actor is None
    assert log.data == {"body": body.pk, "kind": "application", "topic": "roads"}

    assert AppealStats.objects.get(body=body).received == 1
    assert AppealMonthStats.objects.get(body=body).received == 1
    assert saved == [(stored.pk, True)]  # the signal the page cache and the search index follow
    assert ("appeals.registered", (stored.pk, token)) in queued


def test_numbers_follow_each_other_and_a_rollback_takes_none(astana, applicant):
    body = astana["maslikhat"]
    first, _ = _submit(body, applicant)
    with pytest.raises(RuntimeError), transaction.atomic():
        services._submit(
            actor=None,
            body=body,
            kind="application",
            topic_code="roads",
            text="Rolled back.",
            language="ru",
            applicant=services.Applicant.of(applicant),
        )
        raise RuntimeError("the caller's transaction fails")
    second, _ = _submit(body, applicant)
    assert first.registration_number.endswith("-000001")
    assert second.registration_number.endswith("-000002")  # no gap
    assert Appeal.objects.count() == 2
    assert ActionLog.objects.filter(event="appeals.submitted").count() == 2
    assert AppealStats.objects.get(body=body).received == 2


def test_a_seven_digit_number_is_not_cut(astana, applicant):
    body = astana["maslikhat"]
    first, _ = _submit(body, applicant)
    RegistrationCounter.objects.filter(body=body).update(last_number=1_234_566)
    appeal, _ = _submit(body, applicant)
    assert appeal.registration_number == first.registration_number.replace("-000001", "-1234567")
    assert Appeal.objects.get(pk=appeal.pk).registration_number == appeal.registration_number
