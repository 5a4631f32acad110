"""The appeals app's conventions: durable use cases, enum event types and error codes with
stable values, the typed Applicant, the acting user, the lifecycle event base."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from maslikhat.appeals.applicant import Applicant
from maslikhat.appeals.choices import TRANSITIONS, AppealStatus
from maslikhat.appeals.error_codes import AppealErrorCode
from maslikhat.appeals.events import STATUS_EVENTS, AppealLogEvent
from maslikhat.appeals.models import Appeal, AppealEvent
from maslikhat.core.actors import acting_user, user_or_none
from maslikhat.core.models import ActionLog, LifecycleEvent, ShownLifecycleEvent
from tests.factories import UserFactory


def test_a_use_case_is_the_outermost_transaction(submit):
    # given an adapter that (wrongly) opens its own transaction around a use case
    # then the service refuses to run inside it: its commit is the caller's guarantee
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        submit()
    assert Appeal.objects.count() == 0


def test_a_use_case_commits_on_its_own(submit):
    # outside any transaction of the caller's (the test's own is Django's TestCase one)
    appeal, _token = submit()
    assert Appeal.objects.filter(pk=appeal.pk).exists()


def test_stored_event_types_keep_their_values(submit, astana):
    # given an appeal submitted, started and answered through the services
    from maslikhat.appeals import services

    appeal, _ = submit()
    staff = astana["staff_user"]
    services.appeal_start(actor=staff, appeal=appeal)
    services.appeal_answer(actor=staff, appeal=appeal, text="Done.")
    # then the ActionLog holds the same strings as ever, equal to the enum members
    events = list(
        ActionLog.objects.filter(event__startswith="appeals.").order_by("id").values_list("event", flat=True)
    )
    assert events == ["appeals.submitted", "appeals.in_progress", "appeals.answered"]
    assert events == [AppealLogEvent.SUBMITTED, AppealLogEvent.IN_PROGRESS, AppealLogEvent.ANSWERED]


def test_every_status_a_transition_reaches_has_its_event():
    reached = {to for targets in TRANSITIONS.values() for to in targets} - {AppealStatus.REGISTERED}
    assert set(STATUS_EVENTS) == reached
    assert all(STATUS_EVENTS[s] == f"appeals.{s}" for s in reached)


def test_the_event_and_code_values_are_the_contract():
    assert {e.value for e in AppealLogEvent} == {
        "appeals.submitted",
        "appeals.assigned",
        "appeals.in_progress",
        "appeals.answered",
        "appeals.forwarded",
        "appeals.not_considered",
        "appeals.closed",
        "appeals.withdrawn",
        "appeals.extended",
        "appeals.note",
        "appeals.rated",
        "appeals.publication_requested",
        "appeals.publication_withdrawn",
        "appeals.published",
        "appeals.stats_rebuilt",
    }
    assert AppealErrorCode.ANONYMOUS_NOT_ALLOWED == "anonymous_not_allowed"
    assert AppealErrorCode.TRANSITION_NOT_ALLOWED == "transition_not_allowed"


def test_applicant_from_a_mapping_treats_non_text_as_not_given():
    a = Applicant.of({"full_name": "A B", "iin": 123, "email": None, "extra": "ignored"})
    assert a == Applicant(full_name="A B")
    assert Applicant.of(a) is a


def test_an_appeal_gives_its_applicant(submit, applicant):
    appeal, _ = submit()
    assert Appeal.objects.get(pk=appeal.pk).applicant == Applicant(**applicant)


def test_a_forwarded_appeal_and_a_complaint_carry_the_same_applicant(submit, applicant, astana):
    from maslikhat.appeals import services

    appeal, _ = submit()
    services.appeal_answer(actor=None, appeal=appeal, text="Done.")
    complaint, _ = services.appeal_complain(actor=None, appeal=appeal, text="The answer is empty.")
    assert complaint.applicant == Applicant(**applicant)


def test_the_acting_user_is_the_signed_in_account_or_none(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert acting_user(request) is None
    user = UserFactory.create()
    request.user = user
    assert acting_user(request) == user
    assert user_or_none(None) is None


def test_appeal_events_are_lifecycle_events_with_the_shared_columns():
    assert issubclass(AppealEvent, ShownLifecycleEvent)
    assert issubclass(ShownLifecycleEvent, LifecycleEvent)
    shared = {f.name for f in LifecycleEvent._meta.get_fields()}
    assert shared == {"created_at", "from_status", "to_status", "actor", "data"}
    assert {"public", "text"} <= {f.name for f in AppealEvent._meta.get_fields()}
    assert AppealEvent._meta.ordering == ["created_at", "id"]


def test_no_migration_is_pending_for_appeals_and_core(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "appeals", "core", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
