"""The proceedings use cases: sessions, votes and their computed results, the register, drafts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.proceedings import services
from maslikhat.proceedings.choices import (
    DecisionStatus,
    DraftStatus,
    InForceRule,
    ItemOutcome,
    LinkKind,
    MajorityBasis,
    SessionStatus,
    VoteResult,
)
from maslikhat.proceedings.models import PersonVote, ProceedingsSettings

pytestmark = pytest.mark.django_db


def _roll(sitting: dict[str, Any], yes: int, no: int = 0, abstain: int = 0) -> dict[int, str]:
    present = sitting["deputies"][:5]
    options = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    return {p.pk: o for p, o in zip(present, options, strict=False)}


def test_roll_call_result_is_computed_and_totals_equal_the_roll(sitting: dict[str, Any]) -> None:
    vote = services.vote_record(
        actor=sitting["staff"], item=sitting["item"], method="roll_call", ballots=_roll(sitting, 4, 1)
    )
    assert (vote.yes, vote.no, vote.abstain, vote.absent) == (4, 1, 0, 1)
    assert vote.yes + vote.no + vote.abstain + vote.absent == vote.ballots.count() == 6
    assert vote.quorum and vote.result == VoteResult.PASSED
    sitting["item"].refresh_from_db()
    assert sitting["item"].outcome == ItemOutcome.ADOPTED
    # the deputy without a ballot is absent, not abstained
    assert vote.ballots.get(person=sitting["deputies"][5]).option == "absent"


def test_three_of_six_is_not_a_majority_of_the_elected(sitting: dict[str, Any]) -> None:
    vote = services.vote_record(
        actor=sitting["staff"], item=sitting["item"], method="open", ballots=_roll(sitting, 3, 0, 2)
    )
    assert vote.result == VoteResult.FAILED


def test_majority_of_present_is_a_setting(sitting: dict[str, Any]) -> None:
    ProceedingsSettings.objects.create(body=sitting["maslikhat"], majority_basis=MajorityBasis.PRESENT)
    assert (
        services.compute_result(yes=3, elected=6, present=5, quorum=True, basis=MajorityBasis.PRESENT)
        == "passed"
    )
    vote = services.vote_record(
        actor=sitting["staff"], item=sitting["item"], method="open", ballots=_roll(sitting, 3, 0, 2)
    )
    assert vote.result == VoteResult.PASSED


def test_without_quorum_nothing_is_adopted(body: dict[str, Any]) -> None:
    staff = body["staff"]
    session = services.session_plan(
        actor=staff, convocation=body["convocation"], number=9, starts_at=datetime(2031, 5, 1, 5, tzinfo=UTC)
    )
    item = services.agenda_item_add(actor=staff, session=session, title={"en": "Item"})
    services.session_convene(actor=staff, session=session, notice="Notice")
    services.session_start(actor=staff, session=session)
    deps = body["deputies"]
    services.attendance_record(
        actor=staff, session=session, present={d.pk: i < 3 for i, d in enumerate(deps)}
    )
    vote = services.vote_record(
        actor=staff, item=item, method="open", ballots={d.pk: "yes" for d in deps[:3]}
    )
    assert not vote.quorum and vote.result == VoteResult.NO_QUORUM


def test_second_vote_of_a_deputy_is_refused(sitting: dict[str, Any]) -> None:
    vote = services.vote_open(actor=sitting["staff"], item=sitting["item"])
    deputy = sitting["deputies"][0]
    services.ballot_cast(actor=sitting["staff"], vote=vote, person=deputy, option="yes")
    with pytest.raises(NotAllowed) as refused:
        services.ballot_cast(actor=sitting["staff"], vote=vote, person=deputy, option="no")
    assert refused.value.code == "already_voted"
    assert PersonVote.objects.get(vote=vote, person=deputy).option == "yes"
    # the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonVote.objects.create(vote=vote, person=deputy, option="no")


def test_absent_deputy_cannot_vote_and_strangers_cannot(sitting: dict[str, Any]) -> None:
    vote = services.vote_open(actor=sitting["staff"], item=sitting["item"])
    with pytest.raises(FieldErrors):
        services.ballot_cast(actor=sitting["staff"], vote=vote, person=sitting["deputies"][5], option="yes")
    services.ballot_cast(actor=sitting["staff"], vote=vote, person=sitting["deputies"][5], option="absent")
    with pytest.raises(FieldErrors):
        services.ballot_cast(actor=sitting["staff"], vote=vote, person=sitting["deputies"][0], option="maybe")


def test_secret_ballot_counts_cannot_exceed_present(sitting: dict[str, Any]) -> None:
    with pytest.raises(FieldErrors):
        services.vote_record(
            actor=sitting["staff"], item=sitting["item"], method="secret", secret_counts=(5, 1, 0)
        )
    vote = services.vote_record(
        actor=sitting["staff"], item=sitting["item"], method="secret", secret_counts=(4, 1, 0)
    )
    assert vote.result == VoteResult.PASSED and vote.absent == 1 and vote.ballots.count() == 0


def test_session_cannot_close_with_an_undecided_item(sitting: dict[str, Any]) -> None:
    services.vote_record(
        actor=sitting["staff"], item=sitting["item"], method="open", ballots=_roll(sitting, 5)
    )
    with pytest.raises(NotAllowed) as refused:
        services.session_close(actor=sitting["staff"], session=sitting["session"])
    assert refused.value.code == "item_undecided" and refused.value.data["items"] == [2]
    services.item_outcome_set(actor=sitting["staff"], item=sitting["item2"], outcome="noted")
    closed = services.session_close(actor=sitting["staff"], session=sitting["session"])
    assert closed.status == SessionStatus.CLOSED
    assert list(closed.events.values_list("to_status", flat=True)) == [
        "planned",
        "convened",
        "in_progress",
        "closed",
    ]


def test_convening_needs_agenda_notice_and_lead_time(body: dict[str, Any]) -> None:
    staff = body["staff"]
    soon = services.session_plan(
        actor=staff,
        convocation=body["convocation"],
        number=1,
        starts_at=datetime.now(UTC) + timedelta(days=2),
    )
    with pytest.raises(FieldErrors) as refused:
        services.session_convene(actor=staff, session=soon, notice="")
    codes = {c for _f, c, _m in refused.value.errors}
    assert codes == {"required", "no_agenda", "notice_too_late"}
    soon.refresh_from_db()
    assert soon.status == SessionStatus.PLANNED


def test_reschedule_after_notice_keeps_history_and_raises_sequence(sitting: dict[str, Any]) -> None:
    staff = sitting["staff"]
    session = services.session_plan(
        actor=staff,
        convocation=sitting["convocation"],
        number=6,
        starts_at=datetime(2031, 6, 1, 5, tzinfo=UTC),
    )
    services.agenda_item_add(actor=staff, session=session, title={"en": "Item"})
    services.session_reschedule(
        actor=staff, session=session, starts_at=datetime(2031, 6, 2, 5, tzinfo=UTC), reason=""
    )
    session.refresh_from_db()
    assert session.sequence == 0 and session.reschedules.count() == 0  # before the notice: no history
    services.session_convene(actor=staff, session=session, notice="Notice")
    with pytest.raises(FieldErrors):
        services.session_reschedule(
            actor=staff, session=session, starts_at=datetime(2031, 6, 3, 5, tzinfo=UTC), reason=""
        )
    moved = services.session_reschedule(
        actor=staff,
        session=session,
        starts_at=datetime(2031, 6, 3, 5, tzinfo=UTC),
        reason="Hall under repair",
    )
    assert moved.sequence == 1
    history = moved.reschedules.get()
    assert (
        history.old_starts_at == datetime(2031, 6, 2, 5, tzinfo=UTC) and history.reason == "Hall under repair"
    )
    assert ActionLog.objects.filter(event="proceedings.session_rescheduled", visibility="public").count() == 1
    cancelled = services.session_cancel(actor=staff, session=moved, reason="No quorum expected")
    assert cancelled.status == SessionStatus.CANCELLED and cancelled.sequence == 2


def _adopted(sitting: dict[str, Any], item_key: str = "item") -> Any:
    services.vote_record(
        actor=sitting["staff"], item=sitting[item_key], method="roll_call", ballots=_roll(sitting, 5)
    )
    return sitting[item_key]


def test_decision_numbers_follow_the_template_and_are_gapless(sitting: dict[str, Any]) -> None:
    ProceedingsSettings.objects.create(
        body=sitting["maslikhat"], number_template="{session}-{seq}/{convocation}"
    )
    first = services.decision_adopt(actor=sitting["staff"], item=_adopted(sitting))
    second = services.decision_adopt(actor=sitting["staff"], item=_adopted(sitting, "item2"))
    assert (first.number, second.number) == ("5-1/8", "5-2/8")
    assert first.title_en == "On the budget" and first.adopted_on == date(2031, 3, 20)
    with pytest.raises(NotAllowed):
        services.decision_adopt(actor=sitting["staff"], item=sitting["item"])


def test_a_rejected_item_makes_no_decision(sitting: dict[str, Any]) -> None:
    services.vote_record(
        actor=sitting["staff"], item=sitting["item"], method="open", ballots=_roll(sitting, 1, 4)
    )
    with pytest.raises(NotAllowed) as refused:
        services.decision_adopt(actor=sitting["staff"], item=sitting["item"])
    assert refused.value.code == "not_adopted"


def test_decision_lifecycle_and_links_both_ways(sitting: dict[str, Any]) -> None:
    staff = sitting["staff"]
    old = services.decision_adopt(
        actor=staff, item=_adopted(sitting), is_normative=True, in_force_rule=InForceRule.AFTER_PUBLICATION
    )
    with pytest.raises(FieldErrors):
        services.decision_publish(actor=staff, decision=old, published_on=date(2031, 3, 25), where="Gazette")
    services.decision_register(
        actor=staff, decision=old, registration_number="7654", registered_on=date(2031, 3, 24)
    )
    published = services.decision_publish(
        actor=staff, decision=old, published_on=date(2031, 3, 26), where="Gazette"
    )
    assert published.in_force_on == date(2031, 4, 5)
    with pytest.raises(NotAllowed):
        services.decision_enter_into_force(actor=staff, decision=old, today=date(2031, 4, 4))
    services.decision_enter_into_force(actor=staff, decision=old, today=date(2031, 4, 5))
    new = services.decision_adopt(actor=staff, item=_adopted(sitting, "item2"))
    services.decision_link(actor=staff, source=new, target=old, kind=LinkKind.AMENDS)
    old.refresh_from_db()
    assert old.status == DecisionStatus.AMENDED
    assert [link.source_id for link in old.links_in.all()] == [new.pk]
    assert [link.target_id for link in new.links_out.all()] == [old.pk]
    with pytest.raises(FieldErrors):
        services.decision_link(actor=staff, source=old, target=new, kind=LinkKind.REPEALS)
    assert list(old.events.values_list("to_status", flat=True)) == [
        "adopted",
        "registered",
        "published",
        "in_force",
        "amended",
    ]


def test_invalid_number_template_is_refused(sitting: dict[str, Any]) -> None:
    ProceedingsSettings.objects.create(body=sitting["maslikhat"], number_template="{session}-{oops")
    with pytest.raises(FieldErrors):
        services.decision_adopt(actor=sitting["staff"], item=_adopted(sitting))
    assert not services.check_template("{session}") and services.check_template("{seq}/{year}")


# ---------------------------------------------------------------- drafts


@pytest.fixture
def draft(body: dict[str, Any]) -> Any:
    return services.draft_create(
        actor=body["staff"],
        body=body["maslikhat"],
        title={"kk": "Жоба", "ru": "Проект", "en": "Draft"},
        text_kk="1. Бірінші.\n\n2. Екінші.",
        text_ru="1. Первый.\n\n2. Второй.",
    )


def test_publication_needs_two_different_texts(body: dict[str, Any]) -> None:
    same = services.draft_create(
        actor=body["staff"],
        body=body["maslikhat"],
        title={"kk": "Ж", "ru": "П"},
        text_kk="Text",
        text_ru="Text",
    )
    with pytest.raises(FieldErrors) as refused:
        services.draft_publish(actor=body["staff"], draft=same)
    assert refused.value.errors[0][1] == "texts_identical"
    with pytest.raises(FieldErrors):
        services.draft_create(
            actor=body["staff"], body=body["maslikhat"], title={"kk": "Ж"}, text_kk="A", text_ru=""
        )


def test_comment_period_is_ten_working_days(body: dict[str, Any], draft: Any) -> None:
    published = services.draft_publish(actor=body["staff"], draft=draft, opens_on=date(2031, 3, 3))
    assert published.comment_opens_on == date(2031, 3, 3)
    # 3 March 2031 is a Monday; 8 March is a holiday (a Saturday: moved to Monday the 10th)
    assert services.is_open_for_comment(published, date(2031, 3, 3))
    assert published.comment_closes_on > date(2031, 3, 14)
    assert not services.is_open_for_comment(published, published.comment_closes_on + timedelta(days=1))


def test_comment_after_the_period_is_refused_with_422(body: dict[str, Any], draft: Any) -> None:
    services.draft_publish(actor=body["staff"], draft=draft, opens_on=date(2020, 1, 6))
    with pytest.raises(services.PeriodClosed) as refused:
        services.comment_post(actor=body["resident"], draft=draft, text="Late")
    assert refused.value.code == "comment_period_closed" and refused.value.status == 422
    assert draft.comments.count() == 0


def test_comment_support_moderation_and_results_report(body: dict[str, Any], draft: Any) -> None:
    staff, resident, other = body["staff"], body["resident"], body["other"]
    services.draft_publish(actor=staff, draft=draft)
    on_paragraph = services.comment_post(
        actor=resident, draft=draft, text="Add a deadline", paragraph=2, language="kk"
    )
    assert on_paragraph.author_name == "Aliya Nurova"
    whole = services.comment_post(actor=other, draft=draft, text="Spam spam")
    with pytest.raises(FieldErrors):
        services.comment_post(actor=resident, draft=draft, text="x", paragraph=3)
    with pytest.raises(FieldErrors):
        services.comment_post(actor=resident, draft=draft, text="\x00  ")
    with pytest.raises(NotAllowed):
        services.comment_support(actor=resident, comment=on_paragraph, stance="support")
    services.comment_support(actor=other, comment=on_paragraph, stance="support")
    services.comment_support(actor=other, comment=on_paragraph, stance="oppose")
    assert on_paragraph.stances.get().stance == "oppose"
    with pytest.raises(FieldErrors):
        services.comment_moderate(actor=staff, comment=whole, reason=" ")
    services.comment_moderate(actor=staff, comment=whole, reason="Advertising")
    draft.refresh_from_db()
    with pytest.raises(NotAllowed) as early:
        services.draft_results_publish(actor=staff, draft=draft, changes="None")
    assert early.value.code == "comment_period_open"
    after = draft.comment_closes_on + timedelta(days=1)
    with pytest.raises(NotAllowed) as unanswered:
        services.draft_results_publish(actor=staff, draft=draft, changes="None", today=after)
    assert unanswered.value.code == "unanswered_comments"
    services.comment_answer(
        actor=staff, comment=on_paragraph, response="partly", reason="Deadline of 30 days added"
    )
    reported = services.draft_results_publish(
        actor=staff, draft=draft, changes="Item 2 has a deadline.", today=after
    )
    assert reported.status == DraftStatus.REPORTED and reported.results_published_at is not None


def test_revision_keeps_versions(body: dict[str, Any], draft: Any) -> None:
    revised = services.draft_revise(
        actor=body["staff"], draft=draft, text_kk="Жаңа", text_ru="Новый", note="Shorter"
    )
    assert revised.version == 2
    assert list(revised.versions.values_list("number", flat=True)) == [1, 2]
    services.draft_publish(actor=body["staff"], draft=revised)
    with pytest.raises(NotAllowed):
        services.draft_revise(actor=body["staff"], draft=revised, text_kk="A", text_ru="B")
