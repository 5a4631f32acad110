"""Council services: meetings, recommendations and reports, the proposal lifecycle."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.council import selectors, services
from maslikhat.council.choices import (
    PROPOSAL_TRANSITIONS,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    ProposalStatus,
    ReportStatus,
    SentTo,
)
from maslikhat.council.models import Meeting, Proposal, ProposalEvent, Recommendation, RecommendationReport
from maslikhat.directory.choices import OrganizationKind

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")

TITLE = {"en": "Local self-government after the reforms", "ru": "Местное самоуправление"}


def _meeting(c: dict[str, Any], **kw: Any) -> Meeting:
    args: dict[str, Any] = {"held_on": date(2026, 12, 10), "kind": MeetingKind.REGULAR, "title": TITLE}
    args.update(kw)
    return services.meeting_create(actor=c["council_staff"], **args)


def _proposal(c: dict[str, Any], **kw: Any) -> Proposal:
    args: dict[str, Any] = {
        "body": c["maslikhat"],
        "title": "Let district maslikhats set local fees",
        "text": "Amend the Budget Code so that ...",
        "language": "ru",
        "policy_area": "budget",
    }
    args.update(kw)
    return services.proposal_submit(actor=c["staff_user"], **args)


def test_meeting_create_belongs_to_the_council_in_office_on_its_date(council_world: dict[str, Any]) -> None:
    # given a date in the Senate era and one after 1 July 2026
    old = _meeting(council_world, held_on=date(2025, 3, 1))
    new = _meeting(council_world, held_on=date(2026, 12, 10))
    # then each belongs to the council of its day, as a draft
    assert old.council == council_world["senate_council"]
    assert new.council == council_world["council"]
    assert new.status == MeetingStatus.DRAFT
    assert ActionLog.objects.filter(event="council.meeting_created").count() == 2


def test_extended_meeting_invites_the_chairs_of_all_regional_maslikhats(
    council_world: dict[str, Any],
) -> None:
    meeting = _meeting(
        council_world, kind=MeetingKind.EXTENDED, other_participants=["Minister of National Economy"]
    )
    roles = list(meeting.participants.values_list("role", flat=True))
    regional = roles.count(ParticipantRole.MASLIKHAT_CHAIR)
    assert regional == 20
    assert roles.count(ParticipantRole.INVITED) == 1
    # Astana's chair is linked as a person
    astana_row = meeting.participants.get(organization=council_world["maslikhat"])
    assert astana_row.person == council_world["chair"]


def test_meeting_create_refuses_bad_input_and_writes_nothing(council_world: dict[str, Any]) -> None:
    with pytest.raises(FieldErrors) as exc:
        _meeting(council_world, kind="secret", title={"en": "  "}, held_on=date(2000, 1, 1))
    fields = {f for f, _code, _msg in exc.value.errors}
    assert fields == {"kind", "title", "held_on"}
    assert Meeting.objects.count() == 0


def test_meeting_publish_then_cannot_publish_again(council_world: dict[str, Any]) -> None:
    meeting = services.meeting_publish(actor=council_world["council_staff"], meeting=_meeting(council_world))
    assert meeting.status == MeetingStatus.PUBLISHED
    assert meeting.published_at is not None
    with pytest.raises(NotAllowed):
        services.meeting_publish(actor=council_world["council_staff"], meeting=meeting)


def test_recommendation_to_all_creates_a_report_duty_per_maslikhat_and_notifies_when_published(
    council_world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(council_world)
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.recommendation_adopt(
            actor=council_world["council_staff"],
            meeting=meeting,
            title={"en": "Hold open receptions monthly"},
            text={"en": "Every maslikhat holds ..."},
            due_on=date(2027, 3, 1),
        )
    assert mail.outbox == []  # the meeting is still a draft
    regional = 20
    assert rec.reports.count() == regional
    assert rec.number == 1 and rec.addressed_to_all
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(actor=council_world["council_staff"], meeting=meeting)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "astana@example.kz" in recipients and "almaty@example.kz" in recipients
    assert all("Hold open receptions monthly" in m.subject for m in mail.outbox)


def test_recommendation_refuses_due_date_before_meeting_and_other_bodies(
    council_world: dict[str, Any],
) -> None:
    meeting = _meeting(council_world)
    with pytest.raises(FieldErrors) as exc:
        services.recommendation_adopt(
            actor=council_world["council_staff"],
            meeting=meeting,
            title={"en": "x"},
            text={"en": "y"},
            due_on=date(2026, 1, 1),
            addressees=[council_world["council"]],
        )
    assert {f for f, _c, _m in exc.value.errors} == {"due_on", "addressees"}
    assert Recommendation.objects.count() == 0 and RecommendationReport.objects.count() == 0


def test_report_file_on_time_and_late_and_amend(council_world: dict[str, Any]) -> None:
    meeting = _meeting(council_world)
    rec = services.recommendation_adopt(
        actor=council_world["council_staff"],
        meeting=meeting,
        title={"en": "Report"},
        text={"en": "Report on receptions"},
        due_on=date(2027, 1, 15),
        addressees=[council_world["maslikhat"], council_world["almaty"]],
    )
    report = rec.reports.get(body=council_world["maslikhat"])
    with pytest.raises(NotAllowed):  # not published yet
        services.report_file(actor=council_world["staff_user"], report=report, text="Done")
    services.meeting_publish(actor=council_world["council_staff"], meeting=meeting)
    on_time = services.report_file(
        actor=council_world["staff_user"],
        report=report,
        text="Twelve receptions held",
        filed_at=datetime(2027, 1, 15, 18, 0, tzinfo=ALMATY),
    )
    assert on_time.status == ReportStatus.FILED and on_time.on_time is True
    late = services.report_file(
        actor=council_world["almaty_staff"],
        report=rec.reports.get(body=council_world["almaty"]),
        text="Held",
        filed_at=datetime(2027, 1, 16, 9, 0, tzinfo=ALMATY),
    )
    assert late.on_time is False
    amended = services.report_file(
        actor=council_world["staff_user"], report=report, text="Twelve receptions, 340 people"
    )
    assert amended.text == "Twelve receptions, 340 people"
    assert amended.filed_on == date(2027, 1, 15) and amended.on_time is True


def test_report_file_refuses_empty_text_and_changes_nothing(council_world: dict[str, Any]) -> None:
    meeting = services.meeting_publish(actor=council_world["council_staff"], meeting=_meeting(council_world))
    rec = services.recommendation_adopt(
        actor=council_world["council_staff"],
        meeting=meeting,
        title={"en": "R"},
        text={"en": "T"},
        due_on=date(2027, 1, 1),
    )
    report = rec.reports.get(body=council_world["maslikhat"])
    with pytest.raises(FieldErrors):
        services.report_file(actor=council_world["staff_user"], report=report, text="   ")
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.filed_at is None


def test_proposal_full_lifecycle_writes_events_and_notifies_proposer_and_backers(
    council_world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    staff = council_world["council_staff"]
    proposal = _proposal(council_world)
    assert proposal.council == council_world["council"] and proposal.status == ProposalStatus.SUBMITTED
    services.proposal_back(
        actor=council_world["almaty_staff"], proposal=proposal, body=council_world["almaty"]
    )
    meeting = _meeting(council_world)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_review(actor=staff, proposal=proposal)
        services.proposal_put_on_agenda(actor=staff, proposal=proposal, meeting=meeting)
    to = {m.to[0] for m in mail.outbox}
    assert {"astana@example.kz", "almaty@example.kz"} <= to
    rec = services.recommendation_adopt(
        actor=staff,
        meeting=meeting,
        title={"en": "Local fees"},
        text={"en": "Recommend ..."},
        due_on=date(2027, 6, 1),
        proposals=[Proposal.objects.get(pk=proposal.pk)],
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INCLUDED and proposal.recommendation == rec
    services.proposal_send_on(actor=staff, proposal=proposal, to=SentTo.GOVERNMENT, on=date(2026, 12, 20))
    services.proposal_record_outcome(
        actor=staff,
        proposal=proposal,
        outcome=ProposalStatus.PARTLY_IMPLEMENTED,
        note="Fees for parking only",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PARTLY_IMPLEMENTED
    assert proposal.sent_to == SentTo.GOVERNMENT and proposal.outcome_note == "Fees for parking only"
    steps = list(
        ProposalEvent.objects.filter(proposal=proposal, kind="status").values_list("to_status", flat=True)
    )
    assert steps == ["submitted", "under_review", "on_agenda", "included", "sent_on", "partly_implemented"]


def test_proposal_transitions_outside_the_map_are_refused(council_world: dict[str, Any]) -> None:
    proposal = _proposal(council_world)
    with pytest.raises(NotAllowed):
        services.proposal_send_on(
            actor=council_world["council_staff"], proposal=proposal, to=SentTo.PARLIAMENT
        )
    services.proposal_withdraw(actor=council_world["staff_user"], proposal=proposal)
    with pytest.raises(NotAllowed):
        services.proposal_review(actor=council_world["council_staff"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_proposal_decline_needs_a_reason(council_world: dict[str, Any]) -> None:
    proposal = _proposal(council_world)
    with pytest.raises(FieldErrors):
        services.proposal_decline(actor=council_world["council_staff"], proposal=proposal, reason=" ")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    services.proposal_decline(
        actor=council_world["council_staff"], proposal=proposal, reason="Already in the law"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and proposal.decline_reason == "Already in the law"


def test_proposal_submit_validates_everything_at_once_and_writes_nothing(
    council_world: dict[str, Any],
) -> None:
    with pytest.raises(FieldErrors) as exc:
        _proposal(
            council_world, body=council_world["council"], title="", text="", language="de", policy_area="war"
        )
    assert {f for f, _c, _m in exc.value.errors} == {"title", "text", "language", "policy_area", "body"}
    assert Proposal.objects.count() == 0


def test_proposal_submit_with_a_document_and_refuses_a_disguised_file(council_world: dict[str, Any]) -> None:
    pdf = SimpleUploadedFile("justification.pdf", b"%PDF-1.4\n%...\n")
    proposal = _proposal(council_world, files=[pdf])
    assert proposal.documents.get().content_type == "application/pdf"
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(FieldErrors):
        _proposal(council_world, files=[fake])
    assert Proposal.objects.count() == 1


def test_co_signature_rules(council_world: dict[str, Any]) -> None:
    proposal = _proposal(council_world)
    with pytest.raises(NotAllowed):
        services.proposal_back(
            actor=council_world["staff_user"], proposal=proposal, body=council_world["maslikhat"]
        )
    services.proposal_back(
        actor=council_world["almaty_staff"], proposal=proposal, body=council_world["almaty"]
    )
    with pytest.raises(NotAllowed):
        services.proposal_back(
            actor=council_world["almaty_staff"], proposal=proposal, body=council_world["almaty"]
        )
    assert proposal.backers.count() == 1


def test_cancelling_a_meeting_returns_its_agenda_proposals_to_review(council_world: dict[str, Any]) -> None:
    staff = council_world["council_staff"]
    proposal = _proposal(council_world)
    meeting = _meeting(council_world)
    services.proposal_review(actor=staff, proposal=proposal)
    services.proposal_put_on_agenda(actor=staff, proposal=proposal, meeting=meeting)
    services.meeting_cancel(actor=staff, meeting=meeting, reason="No quorum")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW and proposal.agenda_meeting is None


def test_cancelling_a_meeting_moves_its_proposals_through_the_transition_map(
    council_world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given two proposals on a meeting's agenda and one merely under review
    staff = council_world["council_staff"]
    meeting = _meeting(council_world)
    on_agenda = [_proposal(council_world, title=f"Proposal {i}") for i in range(2)]
    waiting = _proposal(council_world, title="Waiting")
    for p in [*on_agenda, waiting]:
        services.proposal_review(actor=staff, proposal=p)
    for p in on_agenda:
        services.proposal_put_on_agenda(actor=staff, proposal=p, meeting=meeting)
    assert ProposalStatus.UNDER_REVIEW in PROPOSAL_TRANSITIONS[ProposalStatus.ON_AGENDA]
    mail.outbox.clear()
    # when the meeting is cancelled
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=staff, meeting=meeting, reason="No quorum")
    # then each agenda proposal took the step on_agenda -> under_review like any other transition:
    # an event row with the reason, an ActionLog row and the maslikhat's email
    for p in on_agenda:
        p.refresh_from_db()
        assert p.status == ProposalStatus.UNDER_REVIEW and p.agenda_meeting is None
        last = ProposalEvent.objects.filter(proposal=p).order_by("-id").first()
        assert last is not None
        assert (last.from_status, last.to_status, last.text) == ("on_agenda", "under_review", "No quorum")
        assert last.data == {"meeting": meeting.pk} and last.actor == staff
        log = ActionLog.objects.filter(event="council.proposal_under_review", target_id=str(p.pk))
        assert [row.data for row in log.order_by("id")][-1] == {"from": "on_agenda", "meeting": meeting.pk}
    assert len(mail.outbox) == 2 and all(m.to == ["astana@example.kz"] for m in mail.outbox)
    # the proposal that was not on the agenda is left alone
    assert ProposalEvent.objects.filter(proposal=waiting).count() == 2  # submitted, under review
    assert ActionLog.objects.filter(event="council.meeting_cancelled", target_id=str(meeting.pk)).count() == 1


def test_taking_an_agenda_proposal_back_under_review_takes_it_off_the_agenda(
    council_world: dict[str, Any],
) -> None:
    staff = council_world["council_staff"]
    proposal = _proposal(council_world)
    meeting = _meeting(council_world)
    services.proposal_review(actor=staff, proposal=proposal)
    services.proposal_put_on_agenda(actor=staff, proposal=proposal, meeting=meeting)
    services.proposal_review(actor=staff, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW and proposal.agenda_meeting is None


def test_use_cases_are_the_outermost_transaction(council_world: dict[str, Any]) -> None:
    # a use case commits on its own: it refuses to run inside another (non-test) transaction
    from django.db import transaction

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        _proposal(council_world)
    assert Proposal.objects.count() == 0


def test_put_on_agenda_of_a_meeting_before_submission_is_refused(council_world: dict[str, Any]) -> None:
    proposal = _proposal(council_world)
    services.proposal_review(actor=council_world["council_staff"], proposal=proposal)
    early = _meeting(council_world, held_on=timezone.localdate() - timedelta(days=30))
    with pytest.raises(FieldErrors):
        services.proposal_put_on_agenda(
            actor=council_world["council_staff"], proposal=proposal, meeting=early
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW


def test_maslikhats_in_force_counts(council_world: dict[str, Any]) -> None:
    assert len(selectors.maslikhats_in_force(regional_only=True)) == 20
    assert all(
        b.kind == OrganizationKind.REGIONAL_MASLIKHAT
        for b in selectors.maslikhats_in_force(regional_only=True)
    )
