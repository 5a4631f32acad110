"""Writes for a maslikhat's proceedings: sessions, attendance, votes, decisions, drafts and comments.

Every public use case is `@transaction.atomic(durable=True)` and writes one ActionLog row
(`events.ProceedingsLogEvent`); statuses change only through the transition maps of `choices`.
A vote's counts and result are computed here from the ballots and the body's rules, never typed.
Decision numbers come from a per-convocation counter row incremented by one statement, so they are
unique and gapless under concurrency; a deputy's second ballot on one item is refused by the
unique constraint on (vote, person), also when two writers race.
"""

from __future__ import annotations

import string
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.audit import log_action
from maslikhat.core.calendar import add_working_days, next_working_day
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors, NotAllowed
from maslikhat.core.models import Visibility
from maslikhat.core.text import UnacceptableText, clean_input, clean_text
from maslikhat.directory.choices import DEPUTY_ROLES, MASLIKHAT_KINDS, OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization, Person

from .choices import (
    DECISION_TRANSITIONS,
    DRAFT_TRANSITIONS,
    MEETING_TRANSITIONS,
    REPORT_KINDS,
    SESSION_TRANSITIONS,
    CommentStatus,
    DecisionStatus,
    DraftStatus,
    HearingStatus,
    InForceRule,
    ItemKind,
    ItemOutcome,
    LinkKind,
    MajorityBasis,
    MeetingStatus,
    Response,
    SessionKind,
    SessionStatus,
    Stance,
    VoteMethod,
    VoteOption,
    VoteResult,
)
from .error_codes import ProceedingsErrorCode as Code
from .events import DECISION_STATUS_EVENTS, SESSION_STATUS_EVENTS
from .events import ProceedingsLogEvent as Ev
from .models import (
    AgendaItem,
    Attendance,
    Comment,
    CommentSupport,
    CommissionAttendance,
    CommissionMeeting,
    Convocation,
    Decision,
    DecisionEvent,
    DecisionLink,
    DraftDecision,
    DraftVersion,
    HearingRegistration,
    PersonVote,
    ProceedingsSettings,
    PublicHearing,
    Reschedule,
    Session,
    SessionEvent,
    Vote,
)

MAX_TITLE = 500
MAX_TEXT = 100_000
MAX_COMMENT = 5000
Texts = dict[str, str]


class PeriodClosed(DomainError):
    """A comment after the comment period (HTTP 422 `comment_period_closed`)."""

    status = 422


def rules_for(body: Organization) -> ProceedingsSettings:
    """The body's rules of procedure (the defaults when the operator set none; not saved)."""
    found = ProceedingsSettings.objects.filter(body=body).first()
    return found or ProceedingsSettings(body=body)


def _clean(value: Any, limit: int) -> str:
    """The text under the one text rule (`core.text.clean_input`: refused text becomes "", so
    the caller's emptiness check answers with its own message; bidi controls removed), stripped,
    cut at `limit`."""
    return clean_input(value)[:limit]


def _texts(value: Texts | None) -> Texts:
    value = value or {}
    return {code: _clean(value.get(code), MAX_TITLE) for code in ("kk", "ru", "en")}


def _too_long(field: str, value: str, limit: int, errors: list[tuple[str, str, Any]]) -> None:
    if len(value) > limit:
        errors.append((field, ErrorCode.TOO_LONG, _("This text is too long.")))


def _today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- convocations and sessions


@transaction.atomic(durable=True)
def convocation_create(
    *, actor: Any, body: Organization, number: int, start_date: date, seats: int, end_date: date | None = None
) -> Convocation:
    errors: list[tuple[str, str, Any]] = []
    if body.kind not in MASLIKHAT_KINDS:
        errors.append(("body", Code.NOT_A_MASLIKHAT, _("Only a maslikhat has convocations.")))
    if not 0 < number < 100:
        errors.append(("number", Code.NUMBER_TAKEN, _("Give a convocation number between 1 and 99.")))
    if not 0 < seats < 1000:
        errors.append(("seats", ErrorCode.REQUIRED, _("Give the number of seats.")))
    if end_date is not None and end_date <= start_date:
        errors.append(("end_date", Code.INVALID_DATE, _("The end comes after the start.")))
    if not errors and Convocation.objects.filter(body=body, number=number).exists():
        errors.append(("number", Code.NUMBER_TAKEN, _("This convocation already exists.")))
    if errors:
        raise FieldErrors(errors)
    conv = Convocation.objects.create(
        body=body, number=number, start_date=start_date, end_date=end_date, seats=seats
    )
    log_action(actor=actor, event=Ev.CONVOCATION_CREATED, target=conv, visibility=Visibility.PUBLIC)
    return conv


@transaction.atomic(durable=True)
def session_plan(
    *,
    actor: Any,
    convocation: Convocation,
    number: int,
    starts_at: datetime,
    kind: str = SessionKind.REGULAR,
    place: str = "",
    livestream_url: str = "",
) -> Session:
    errors: list[tuple[str, str, Any]] = []
    if kind not in SessionKind.values:
        errors.append(("kind", ErrorCode.INVALID_CHOICE, _("Choose regular or extraordinary.")))
    if not 0 < number < 10000:
        errors.append(("number", Code.NUMBER_TAKEN, _("Give a session number.")))
    if timezone.is_naive(starts_at):
        errors.append(("starts_at", Code.INVALID_DATE, _("Give the time with its time zone.")))
    else:
        day = timezone.localtime(starts_at).date()
        if day < convocation.start_date or (convocation.end_date and day >= convocation.end_date):
            errors.append(("starts_at", Code.OUTSIDE_CONVOCATION, _("The date is outside the convocation.")))
    if not errors and Session.objects.filter(convocation=convocation, number=number).exists():
        errors.append(("number", Code.NUMBER_TAKEN, _("A session with this number exists.")))
    if errors:
        raise FieldErrors(errors)
    session = Session.objects.create(
        convocation=convocation,
        body_id=convocation.body_id,
        number=number,
        kind=kind,
        starts_at=starts_at,
        place=_clean(place, 300),
        livestream_url=_clean(livestream_url, 200),
    )
    SessionEvent.objects.create(session=session, to_status=SessionStatus.PLANNED, actor=actor)
    log_action(actor=actor, event=Ev.SESSION_PLANNED, target=session)
    return session


@transaction.atomic(durable=True)
def agenda_item_add(
    *,
    actor: Any,
    session: Session,
    title: Texts,
    rapporteur: Person | None = None,
    rapporteur_name: str = "",
    commission: Organization | None = None,
    draft: DraftDecision | None = None,
    kind: str = ItemKind.GENERAL,
    materials_received_on: date | None = None,
) -> AgendaItem:
    """An agenda item; an akim's report or a budget item may carry the day its report and draft
    reached the commissions (the pages warn when that is less than the lead time before)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED):
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED, _("The agenda of a closed or cancelled session is final.")
        )
    errors: list[tuple[str, str, Any]] = []
    for code in ("kk", "ru", "en"):
        _strict((title or {}).get(code), MAX_TITLE, f"title_{code}", errors)
    texts = _texts(title)
    if not any(texts.values()) and not errors:
        errors.append(("title", ErrorCode.REQUIRED, _("Give the item's title.")))
    if commission is not None and commission.parent_id != session.body_id:
        errors.append(("commission", ErrorCode.INVALID_CHOICE, _("Choose a commission of this maslikhat.")))
    if draft is not None and draft.body_id != session.body_id:
        errors.append(("draft", ErrorCode.INVALID_CHOICE, _("Choose a draft of this maslikhat.")))
    if kind not in ItemKind.values:
        errors.append(("kind", ErrorCode.INVALID_CHOICE, _("Choose the kind of the item.")))
    errors += _materials_errors(session, kind, materials_received_on)
    if errors:
        raise FieldErrors(errors)
    last = session.items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem.objects.create(
        session=session,
        order=last + 1,
        title_kk=texts["kk"],
        title_ru=texts["ru"],
        title_en=texts["en"],
        rapporteur=rapporteur,
        rapporteur_name=_clean(rapporteur_name, 300) or (rapporteur.name if rapporteur else ""),
        commission=commission,
        draft=draft,
        kind=kind,
        materials_received_on=materials_received_on if kind in REPORT_KINDS else None,
    )
    log_action(actor=actor, event=Ev.ITEM_ADDED, target=item, data={"kind": kind})
    return item


def _materials_errors(session: Session, kind: str, received_on: Any) -> list[tuple[str, str, Any]]:
    if received_on is None:
        return []
    if not isinstance(received_on, date) or isinstance(received_on, datetime):
        return [("materials_received_on", Code.INVALID_DATE, _("Give the date as YYYY-MM-DD."))]
    if kind not in REPORT_KINDS:
        return [
            (
                "materials_received_on",
                ErrorCode.INVALID_CHOICE,
                _("Only an akim's report or a budget item carries this date."),
            )
        ]
    if received_on > timezone.localtime(session.starts_at).date():
        return [("materials_received_on", Code.INVALID_DATE, _("The materials arrive before the session."))]
    return []


def materials_deadline(session: Session, lead_days: int) -> date:
    """The last day the report and draft may reach the commissions."""
    return timezone.localtime(session.starts_at).date() - timedelta(days=lead_days)


def materials_late(item: AgendaItem, session: Session, lead_days: int) -> bool:
    """An akim's report or budget item whose materials reached the commissions less than
    `lead_days` before the session (or have not been recorded)."""
    if item.kind not in REPORT_KINDS:
        return False
    received = item.materials_received_on
    return received is None or received > materials_deadline(session, lead_days)


@transaction.atomic(durable=True)
def agenda_item_materials_set(*, actor: Any, item: AgendaItem, received_on: date | None) -> AgendaItem:
    """Record the day an akim's report or budget item's report and draft reached the commissions."""
    item = _locked_item(item)
    if item.session.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED):
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED, _("The agenda of a closed or cancelled session is final.")
        )
    errors = _materials_errors(item.session, item.kind, received_on)
    if received_on is None:
        errors.append(("materials_received_on", ErrorCode.REQUIRED, _("Give the date.")))
    if errors:
        raise FieldErrors(errors)
    item.materials_received_on = received_on
    item.save(update_fields=["materials_received_on"])
    log_action(actor=actor, event=Ev.ITEM_MATERIALS, target=item, data={"received_on": str(received_on)})
    return item


def _session_transition(session: Session, to: str, *, actor: Any, data: dict[str, Any] | None = None) -> None:
    if to not in SESSION_TRANSITIONS[session.status]:
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED,
            _("A session that is %(status)s cannot become %(to)s.")
            % {"status": SessionStatus(session.status).label, "to": SessionStatus(to).label},
        )
    before = session.status
    session.status = to
    session.save()
    SessionEvent.objects.create(
        session=session, from_status=before, to_status=to, actor=actor, data=data or {}
    )
    log_action(
        actor=actor, event=SESSION_STATUS_EVENTS[to], target=session, visibility=Visibility.PUBLIC, data=data
    )


def _locked_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("convocation", "body").get(pk=session.pk)


@transaction.atomic(durable=True)
def session_convene(*, actor: Any, session: Session, notice: str) -> Session:
    """Publish the notice to deputies and the population, with the agenda."""
    session = _locked_session(session)
    text = _clean(notice, MAX_TEXT)
    errors: list[tuple[str, str, Any]] = []
    if not text:
        errors.append(("notice", ErrorCode.REQUIRED, _("Write the notice.")))
    if not session.items.exists():
        errors.append(("agenda", Code.NO_AGENDA, _("Put at least one item on the agenda first.")))
    lead = rules_for(session.body).notice_lead_days
    if session.kind == SessionKind.REGULAR and timezone.localtime(
        session.starts_at
    ).date() < _today() + timedelta(days=lead):
        errors.append(
            (
                "starts_at",
                Code.NOTICE_TOO_LATE,
                _("A regular session is announced at least %(days)d days ahead.") % {"days": lead},
            )
        )
    if session.status != SessionStatus.PLANNED:
        _session_transition(session, SessionStatus.CONVENED, actor=actor)  # raises
    if errors:
        raise FieldErrors(errors)
    session.notice = text
    session.convened_at = timezone.now()
    session.convened_by = actor if getattr(actor, "pk", None) else None
    _session_transition(session, SessionStatus.CONVENED, actor=actor)
    return session


@transaction.atomic(durable=True)
def session_reschedule(
    *, actor: Any, session: Session, starts_at: datetime, reason: str, place: str | None = None
) -> Session:
    """Move a session. After its notice the move is kept in the history, the calendar's SEQUENCE
    rises, and the move is a public event (followers are told through it)."""
    session = _locked_session(session)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.CONVENED):
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("Only a session not yet begun can be moved."))
    why = _clean(reason, 2000)
    errors: list[tuple[str, str, Any]] = []
    if timezone.is_naive(starts_at):
        errors.append(("starts_at", Code.INVALID_DATE, _("Give the time with its time zone.")))
    else:
        day = timezone.localtime(starts_at).date()
        conv = session.convocation
        if day < conv.start_date or (conv.end_date and day >= conv.end_date):
            errors.append(("starts_at", Code.OUTSIDE_CONVOCATION, _("The date is outside the convocation.")))
        if starts_at == session.starts_at and (place is None or place == session.place):
            errors.append(("starts_at", Code.INVALID_DATE, _("That is the session's present time.")))
    if session.status == SessionStatus.CONVENED and not why:
        errors.append(("reason", ErrorCode.REQUIRED, _("Say why the session is moved.")))
    if errors:
        raise FieldErrors(errors)
    old_at, old_place = session.starts_at, session.place
    session.starts_at = starts_at
    if place is not None:
        session.place = _clean(place, 300)
    data = {"from": old_at.isoformat(), "to": starts_at.isoformat()}
    if session.status == SessionStatus.CONVENED:
        session.sequence += 1
        Reschedule.objects.create(
            session=session,
            old_starts_at=old_at,
            new_starts_at=starts_at,
            old_place=old_place,
            reason=why,
            sequence=session.sequence,
        )
    session.save()
    log_action(
        actor=actor,
        event=Ev.SESSION_RESCHEDULED,
        target=session,
        visibility=Visibility.PUBLIC if session.status == SessionStatus.CONVENED else Visibility.INTERNAL,
        data=data,
    )
    return session


@transaction.atomic(durable=True)
def session_cancel(*, actor: Any, session: Session, reason: str) -> Session:
    session = _locked_session(session)
    why = _clean(reason, 2000)
    if SessionStatus.CANCELLED in SESSION_TRANSITIONS[session.status] and not why:
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("Say why the session is cancelled."))])
    session.cancel_reason = why
    session.sequence += 1
    _session_transition(session, SessionStatus.CANCELLED, actor=actor)
    return session


@transaction.atomic(durable=True)
def session_start(*, actor: Any, session: Session) -> Session:
    session = _locked_session(session)
    _session_transition(session, SessionStatus.IN_PROGRESS, actor=actor)
    return session


@transaction.atomic(durable=True)
def session_close(*, actor: Any, session: Session) -> Session:
    """Refused while any agenda item is undecided."""
    session = _locked_session(session)
    undecided = list(session.items.filter(outcome=ItemOutcome.PENDING).values_list("order", flat=True))
    if undecided and SessionStatus.CLOSED in SESSION_TRANSITIONS[session.status]:
        raise NotAllowed(
            Code.ITEM_UNDECIDED,
            _("Items still undecided: %(items)s.") % {"items": ", ".join(str(n) for n in undecided)},
            items=undecided,
        )
    _session_transition(session, SessionStatus.CLOSED, actor=actor)
    return session


def deputies_in_office(body_id: int, on: date) -> list[int]:
    """Ids of the body's deputies in office on a day (the elected deputies the rules count)."""
    return sorted(
        set(
            Membership.objects.current(on)
            .filter(organization_id=body_id, role__in=DEPUTY_ROLES)
            .values_list("person_id", flat=True)
        )
    )


def _require_in_progress(session: Session) -> None:
    if session.status != SessionStatus.IN_PROGRESS:
        raise NotAllowed(Code.NOT_IN_PROGRESS, _("The session is not in progress."))


@transaction.atomic(durable=True)
def attendance_record(
    *, actor: Any, session: Session, present: dict[int, bool], reasons: dict[int, str] | None = None
) -> list[Attendance]:
    """Record who is present (person id -> present); reasons for absence by person id."""
    session = _locked_session(session)
    _require_in_progress(session)
    deputies = set(deputies_in_office(session.body_id, timezone.localtime(session.starts_at).date()))
    strangers = sorted(set(present) - deputies)
    if strangers:
        raise FieldErrors(
            [("present", Code.NOT_A_DEPUTY, _("Only the maslikhat's deputies in office attend."))]
        )
    reasons = reasons or {}
    rows = []
    for person_id, here in present.items():
        row, _created = Attendance.objects.update_or_create(
            session=session,
            person_id=person_id,
            defaults={"present": bool(here), "reason": "" if here else _clean(reasons.get(person_id), 300)},
        )
        rows.append(row)
    log_action(
        actor=actor,
        event=Ev.ATTENDANCE_RECORDED,
        target=session,
        data={
            "present": sum(1 for v in present.values() if v),
            "absent": sum(1 for v in present.values() if not v),
        },
    )
    return rows


# ---------------------------------------------------------------- votes


def _open_vote(item: AgendaItem, method: str, *, actor: Any) -> Vote:
    if method not in VoteMethod.values:
        raise FieldErrors([("method", ErrorCode.INVALID_CHOICE, _("Choose open, roll-call or secret."))])
    _require_in_progress(item.session)
    if item.outcome != ItemOutcome.PENDING:
        raise NotAllowed(Code.VOTE_COUNTED, _("This item has been decided."))
    session = item.session
    elected = len(deputies_in_office(session.body_id, timezone.localtime(session.starts_at).date()))
    present = session.attendance.filter(present=True).count()
    rules = rules_for(session.body)
    quorum = present * rules.quorum_denominator >= elected * rules.quorum_numerator and elected > 0
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                item=item,
                method=method,
                elected=elected,
                present=present,
                quorum=quorum,
                entered_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise NotAllowed(Code.VOTE_EXISTS, _("This item already has a vote.")) from None
    log_action(actor=actor, event=Ev.VOTE_OPENED, target=item, data={"method": method})
    return vote


def _cast(vote: Vote, person_id: int, option: str, *, deputies: set[int], present: set[int]) -> PersonVote:
    if option not in VoteOption.values:
        raise FieldErrors([("option", ErrorCode.INVALID_CHOICE, _("Choose yes, no, abstain or absent."))])
    if person_id not in deputies:
        raise FieldErrors([("person", Code.NOT_A_DEPUTY, _("Only the maslikhat's deputies in office vote."))])
    if option != VoteOption.ABSENT and person_id not in present:
        raise FieldErrors([("person", Code.NOT_A_DEPUTY, _("A deputy not recorded present cannot vote."))])
    try:
        with transaction.atomic():
            return PersonVote.objects.create(vote=vote, person_id=person_id, option=option)
    except IntegrityError:
        raise NotAllowed(
            Code.ALREADY_VOTED, _("This deputy's vote on the item is already recorded."), person_id=person_id
        ) from None


def _vote_context(vote: Vote) -> tuple[set[int], set[int]]:
    session = vote.item.session
    deputies = set(deputies_in_office(session.body_id, timezone.localtime(session.starts_at).date()))
    present = set(session.attendance.filter(present=True).values_list("person_id", flat=True))
    return deputies, present


def compute_result(*, yes: int, elected: int, present: int, quorum: bool, basis: str) -> str:
    """The result from the rules: no quorum, or adopted by more than half of the base."""
    if not quorum:
        return VoteResult.NO_QUORUM
    base = elected if basis == MajorityBasis.ELECTED else present
    return VoteResult.PASSED if yes * 2 > base else VoteResult.FAILED


def _count(vote: Vote, *, actor: Any, secret: tuple[int, int, int] | None = None) -> Vote:
    if vote.closed_at is not None:
        raise NotAllowed(Code.VOTE_COUNTED, _("This vote has been counted."))
    if secret is not None:
        vote.yes, vote.no, vote.abstain = secret
        vote.absent = vote.elected - sum(secret)
    else:
        deputies, _present = _vote_context(vote)
        cast = set(vote.ballots.values_list("person_id", flat=True))
        PersonVote.objects.bulk_create(
            [PersonVote(vote=vote, person_id=p, option=VoteOption.ABSENT) for p in sorted(deputies - cast)]
        )
        tally = {o: 0 for o in VoteOption.values}
        for option in vote.ballots.values_list("option", flat=True):
            tally[option] += 1
        vote.yes, vote.no = tally[VoteOption.YES], tally[VoteOption.NO]
        vote.abstain, vote.absent = tally[VoteOption.ABSTAIN], tally[VoteOption.ABSENT]
    rules = rules_for(vote.item.session.body)
    vote.result = compute_result(
        yes=vote.yes,
        elected=vote.elected,
        present=vote.present,
        quorum=vote.quorum,
        basis=rules.majority_basis,
    )
    vote.closed_at = timezone.now()
    vote.save()
    item = vote.item
    item.outcome = ItemOutcome.ADOPTED if vote.result == VoteResult.PASSED else ItemOutcome.REJECTED
    item.save(update_fields=["outcome"])
    log_action(
        actor=actor,
        event=Ev.VOTE_COUNTED,
        target=item,
        visibility=Visibility.PUBLIC,
        data={
            "result": vote.result,
            "yes": vote.yes,
            "no": vote.no,
            "abstain": vote.abstain,
            "absent": vote.absent,
        },
    )
    return vote


def _locked_item(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update().select_related("session__body").get(pk=item.pk)


@transaction.atomic(durable=True)
def vote_open(*, actor: Any, item: AgendaItem, method: str = VoteMethod.ROLL_CALL) -> Vote:
    """Open a vote whose ballots are entered one by one (`ballot_cast`), then `vote_count`."""
    item = _locked_item(item)
    if method == VoteMethod.SECRET:
        raise FieldErrors(
            [("method", ErrorCode.INVALID_CHOICE, _("A secret ballot is recorded by its counts."))]
        )
    return _open_vote(item, method, actor=actor)


@transaction.atomic(durable=True)
def ballot_cast(*, actor: Any, vote: Vote, person: Person, option: str) -> PersonVote:
    """One deputy's vote, entered by an operator. A second one of the same deputy is refused."""
    vote = Vote.objects.select_related("item__session__body").get(pk=vote.pk)
    if vote.closed_at is not None:
        raise NotAllowed(Code.VOTE_COUNTED, _("This vote has been counted."))
    deputies, present = _vote_context(vote)
    ballot = _cast(vote, person.pk, option, deputies=deputies, present=present)
    log_action(
        actor=actor, event=Ev.BALLOT_CAST, target=vote.item, data={"person": person.pk, "option": option}
    )
    return ballot


@transaction.atomic(durable=True)
def vote_count(*, actor: Any, vote: Vote) -> Vote:
    """Close the vote: deputies without a ballot are recorded absent, the result is computed."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    vote = Vote.objects.select_related("item__session__body").get(pk=vote.pk)
    return _count(vote, actor=actor)


@transaction.atomic(durable=True)
def vote_record(
    *,
    actor: Any,
    item: AgendaItem,
    method: str,
    ballots: dict[int, str] | None = None,
    secret_counts: tuple[int, int, int] | None = None,
) -> Vote:
    """Record a whole vote at once: the roll (person id -> option) for an open or roll-call vote,
    the yes / no / abstain counts for a secret ballot. The result is computed."""
    item = _locked_item(item)
    vote = _open_vote(item, method, actor=actor)
    vote.item = item
    if method == VoteMethod.SECRET:
        counts = secret_counts or (0, 0, 0)
        if any(c < 0 for c in counts) or sum(counts) > vote.present:
            raise FieldErrors([("counts", Code.NOT_A_DEPUTY, _("More ballots than deputies present."))])
        return _count(vote, actor=actor, secret=counts)
    deputies, present = _vote_context(vote)
    for person_id, option in (ballots or {}).items():
        _cast(vote, int(person_id), option, deputies=deputies, present=present)
    return _count(vote, actor=actor)


@transaction.atomic(durable=True)
def item_outcome_set(*, actor: Any, item: AgendaItem, outcome: str) -> AgendaItem:
    """An outcome without a vote: taken note of, withdrawn or postponed."""
    item = _locked_item(item)
    if outcome not in (ItemOutcome.NOTED, ItemOutcome.WITHDRAWN, ItemOutcome.POSTPONED):
        raise FieldErrors(
            [("outcome", ErrorCode.INVALID_CHOICE, _("Adopted or rejected comes from a vote."))]
        )
    _require_in_progress(item.session)
    if item.outcome != ItemOutcome.PENDING:
        raise NotAllowed(Code.VOTE_COUNTED, _("This item has been decided."))
    item.outcome = outcome
    item.save(update_fields=["outcome"])
    log_action(actor=actor, event=Ev.ITEM_OUTCOME, target=item, data={"outcome": outcome})
    return item


# ---------------------------------------------------------------- decisions


FIELDS = {"session", "seq", "convocation", "year"}


def check_template(template: str) -> bool:
    try:
        names = {f for _t, f, _s, _c in string.Formatter().parse(template) if f is not None}
    except ValueError:
        return False
    return "seq" in names and names <= FIELDS


def format_number(template: str, *, session: Session, seq: int) -> str:
    year = timezone.localtime(session.starts_at).year
    return template.format(session=session.number, seq=seq, convocation=session.convocation.number, year=year)


def next_decision_seq(convocation: Convocation) -> int:
    """Take the convocation's next sequence number. Gapless: one statement increments the counter
    row (row-locked by the database) inside the caller's transaction."""
    table = "proceedings_decisioncounter"
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (convocation_id, last_number) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (convocation_id) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [convocation.pk],
        )
        return int(cur.fetchone()[0])


@transaction.atomic(durable=True)
def decision_adopt(
    *,
    actor: Any,
    item: AgendaItem,
    title: Texts | None = None,
    text_kk: str = "",
    text_ru: str = "",
    is_normative: bool = False,
    in_force_rule: str = InForceRule.ON_ADOPTION,
    in_force_on: date | None = None,
) -> Decision:
    """Enter the decision an adopted item made, with its number from the body's template."""
    item = _locked_item(item)
    session = Session.objects.select_related("convocation", "body").get(pk=item.session_id)
    if item.outcome != ItemOutcome.ADOPTED:
        raise NotAllowed(Code.NOT_ADOPTED, _("Only an item adopted by a vote becomes a decision."))
    if Decision.objects.filter(item=item).exists():
        raise NotAllowed(Code.DECISION_EXISTS, _("This item's decision is in the register."))
    texts = _texts(title) if title else {"kk": item.title_kk, "ru": item.title_ru, "en": item.title_en}
    errors: list[tuple[str, str, Any]] = []
    if in_force_rule not in InForceRule.values:
        errors.append(
            ("in_force_rule", ErrorCode.INVALID_CHOICE, _("Choose when the decision comes into force."))
        )
    if in_force_rule == InForceRule.ON_DATE and in_force_on is None:
        errors.append(("in_force_on", ErrorCode.REQUIRED, _("Give the date it comes into force.")))
    rules = rules_for(session.body)
    if not check_template(rules.number_template):
        errors.append(("number", Code.INVALID_TEMPLATE, _("The maslikhat's number template is not valid.")))
    if errors:
        raise FieldErrors(errors)
    adopted_on = timezone.localtime(session.starts_at).date()
    seq = next_decision_seq(session.convocation)
    number = format_number(rules.number_template, session=session, seq=seq)
    decision = Decision.objects.create(
        body=session.body,
        convocation=session.convocation,
        session=session,
        item=item,
        seq=seq,
        number=number,
        title_kk=texts["kk"],
        title_ru=texts["ru"],
        title_en=texts["en"],
        text_kk=_clean(text_kk, MAX_TEXT) or (item.draft.text_kk if item.draft else ""),
        text_ru=_clean(text_ru, MAX_TEXT) or (item.draft.text_ru if item.draft else ""),
        adopted_on=adopted_on,
        is_normative=is_normative,
        in_force_rule=in_force_rule,
        in_force_on=adopted_on if in_force_rule == InForceRule.ON_ADOPTION else in_force_on,
    )
    DecisionEvent.objects.create(decision=decision, to_status=DecisionStatus.ADOPTED, actor=actor)
    log_action(
        actor=actor,
        event=Ev.DECISION_ADOPTED,
        target=decision,
        visibility=Visibility.PUBLIC,
        data={"number": number},
    )
    return decision


def _decision_transition(
    decision: Decision, to: str, *, actor: Any, data: dict[str, Any] | None = None
) -> None:
    if to not in DECISION_TRANSITIONS[decision.status]:
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED,
            _("A decision that is %(status)s cannot become %(to)s.")
            % {"status": DecisionStatus(decision.status).label, "to": DecisionStatus(to).label},
        )
    before = decision.status
    decision.status = to
    decision.save()
    DecisionEvent.objects.create(
        decision=decision, from_status=before, to_status=to, actor=actor, data=data or {}
    )
    log_action(
        actor=actor,
        event=DECISION_STATUS_EVENTS[to],
        target=decision,
        visibility=Visibility.PUBLIC,
        data=data,
    )


def _locked_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().get(pk=decision.pk)


@transaction.atomic(durable=True)
def decision_register(
    *, actor: Any, decision: Decision, registration_number: str, registered_on: date
) -> Decision:
    """Registration with the justice bodies (a normative act)."""
    decision = _locked_decision(decision)
    number = _clean(registration_number, 40)
    errors: list[tuple[str, str, Any]] = []
    if not decision.is_normative:
        errors.append(
            ("registration_number", Code.TRANSITION_NOT_ALLOWED, _("Only a normative act is registered."))
        )
    if not number:
        errors.append(("registration_number", ErrorCode.REQUIRED, _("Give the registration number.")))
    if registered_on < decision.adopted_on:
        errors.append(("registered_on", Code.INVALID_DATE, _("Registration comes after adoption.")))
    if errors and DecisionStatus.REGISTERED in DECISION_TRANSITIONS[decision.status]:
        raise FieldErrors(errors)
    decision.registration_number = number
    decision.registered_on = registered_on
    _decision_transition(decision, DecisionStatus.REGISTERED, actor=actor, data={"number": number})
    return decision


@transaction.atomic(durable=True)
def decision_publish(*, actor: Any, decision: Decision, published_on: date, where: str) -> Decision:
    """First official publication; a normative act must be registered first."""
    decision = _locked_decision(decision)
    place = _clean(where, 300)
    errors: list[tuple[str, str, Any]] = []
    if not place:
        errors.append(("where", ErrorCode.REQUIRED, _("Say where it was published.")))
    if published_on < (decision.registered_on or decision.adopted_on):
        errors.append(
            ("published_on", Code.INVALID_DATE, _("Publication comes after adoption and registration."))
        )
    if decision.is_normative and decision.status == DecisionStatus.ADOPTED:
        errors.append(("published_on", Code.TRANSITION_NOT_ALLOWED, _("Register a normative act first.")))
    if errors and DecisionStatus.PUBLISHED in DECISION_TRANSITIONS[decision.status]:
        raise FieldErrors(errors)
    decision.published_on = published_on
    decision.published_where = place
    if decision.in_force_rule == InForceRule.AFTER_PUBLICATION:
        decision.in_force_on = published_on + timedelta(days=10)
    _decision_transition(decision, DecisionStatus.PUBLISHED, actor=actor)
    return decision


@transaction.atomic(durable=True)
def decision_enter_into_force(*, actor: Any, decision: Decision, today: date | None = None) -> Decision:
    decision = _locked_decision(decision)
    day = today or _today()
    if decision.in_force_on is not None and decision.in_force_on > day:
        raise NotAllowed(
            Code.INVALID_DATE, _("It comes into force on %(day)s.") % {"day": decision.in_force_on}
        )
    if decision.in_force_on is None:
        decision.in_force_on = day
    _decision_transition(decision, DecisionStatus.IN_FORCE, actor=actor)
    return decision


@transaction.atomic(durable=True)
def decision_link(*, actor: Any, source: Decision, target: Decision, kind: str) -> DecisionLink:
    """`source` amends or repeals `target` (same maslikhat, adopted later or the same day)."""
    target = _locked_decision(target)
    if kind not in LinkKind.values:
        raise FieldErrors([("kind", ErrorCode.INVALID_CHOICE, _("Choose amends or repeals."))])
    later = (source.adopted_on, source.convocation_id, source.seq) > (
        target.adopted_on,
        target.convocation_id,
        target.seq,
    )
    if source.pk == target.pk or source.body_id != target.body_id or not later:
        raise FieldErrors([("target", Code.INVALID_LINK, _("Choose an earlier decision of this maslikhat."))])
    if DecisionLink.objects.filter(source=source, target=target).exists():
        raise NotAllowed(Code.INVALID_LINK, _("These decisions are linked already."))
    to = DecisionStatus.REPEALED if kind == LinkKind.REPEALS else DecisionStatus.AMENDED
    _decision_transition(target, to, actor=actor, data={"by": source.number})
    return DecisionLink.objects.create(source=source, target=target, kind=kind)


# ---------------------------------------------------------------- drafts and comments


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs (separated by blank lines), numbered from 1 on the pages."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _draft_errors(title: Texts, text_kk: str, text_ru: str) -> list[tuple[str, str, Any]]:
    errors: list[tuple[str, str, Any]] = []
    if not title["kk"]:
        errors.append(("title_kk", ErrorCode.REQUIRED, _("Give the title in Kazakh.")))
    if not title["ru"]:
        errors.append(("title_ru", ErrorCode.REQUIRED, _("Give the title in Russian.")))
    for field, value in (("text_kk", text_kk), ("text_ru", text_ru)):
        if not value:
            errors.append(
                (field, ErrorCode.REQUIRED, _("Both the Kazakh and the Russian text are required."))
            )
        _too_long(field, value, MAX_TEXT, errors)
    return errors


@transaction.atomic(durable=True)
def draft_create(
    *, actor: Any, body: Organization, title: Texts, text_kk: str, text_ru: str, explanatory_note: str = ""
) -> DraftDecision:
    texts = _texts(title)
    kk, ru = _clean(text_kk, MAX_TEXT + 1), _clean(text_ru, MAX_TEXT + 1)
    errors = _draft_errors(texts, kk, ru)
    if body.kind not in MASLIKHAT_KINDS:
        errors.append(("body", Code.NOT_A_MASLIKHAT, _("Only a maslikhat adopts decisions.")))
    if errors:
        raise FieldErrors(errors)
    draft = DraftDecision.objects.create(
        body=body,
        title_kk=texts["kk"],
        title_ru=texts["ru"],
        title_en=texts["en"],
        text_kk=kk,
        text_ru=ru,
        explanatory_note=_clean(explanatory_note, MAX_TEXT),
    )
    DraftVersion.objects.create(draft=draft, number=1, text_kk=kk, text_ru=ru)
    log_action(actor=actor, event=Ev.DRAFT_CREATED, target=draft)
    return draft


@transaction.atomic(durable=True)
def draft_revise(
    *, actor: Any, draft: DraftDecision, text_kk: str, text_ru: str, note: str = ""
) -> DraftDecision:
    """A new version (kept, with the readable diff on the page)."""
    draft = DraftDecision.objects.select_for_update().get(pk=draft.pk)
    if draft.status == DraftStatus.OPEN:
        raise NotAllowed(Code.COMMENT_PERIOD_OPEN, _("The text stays as it is while it is open for comment."))
    kk, ru = _clean(text_kk, MAX_TEXT + 1), _clean(text_ru, MAX_TEXT + 1)
    errors = _draft_errors({"kk": draft.title_kk, "ru": draft.title_ru, "en": ""}, kk, ru)
    if errors:
        raise FieldErrors(errors)
    draft.version += 1
    draft.text_kk, draft.text_ru = kk, ru
    draft.save()
    DraftVersion.objects.create(
        draft=draft, number=draft.version, text_kk=kk, text_ru=ru, note=_clean(note, 5000)
    )
    log_action(actor=actor, event=Ev.DRAFT_REVISED, target=draft, data={"version": draft.version})
    return draft


@transaction.atomic(durable=True)
def draft_publish(*, actor: Any, draft: DraftDecision, opens_on: date | None = None) -> DraftDecision:
    """Open the public comment period: the body's working days from the first working day."""
    draft = DraftDecision.objects.select_for_update().select_related("body").get(pk=draft.pk)
    if DraftStatus.OPEN not in DRAFT_TRANSITIONS[draft.status]:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This draft has been published."))
    errors = _draft_errors(_texts({"kk": draft.title_kk, "ru": draft.title_ru}), draft.text_kk, draft.text_ru)
    if draft.text_kk.strip() == draft.text_ru.strip():
        errors.append(
            ("text_ru", Code.TEXTS_IDENTICAL, _("The Kazakh and Russian texts are the same: translate it."))
        )
    if errors:
        raise FieldErrors(errors)
    start = next_working_day(opens_on or _today())
    days = rules_for(draft.body).comment_working_days
    draft.comment_opens_on = start
    draft.comment_closes_on = add_working_days(start, max(days - 1, 0))
    draft.status = DraftStatus.OPEN
    draft.save()
    log_action(
        actor=actor,
        event=Ev.DRAFT_PUBLISHED,
        target=draft,
        visibility=Visibility.PUBLIC,
        data={"until": draft.comment_closes_on.isoformat()},
    )
    return draft


def is_open_for_comment(draft: DraftDecision, today: date | None = None) -> bool:
    day = today or _today()
    return (
        draft.status == DraftStatus.OPEN
        and draft.comment_opens_on is not None
        and draft.comment_closes_on is not None
        and draft.comment_opens_on <= day <= draft.comment_closes_on
    )


def _period_closed(draft: DraftDecision) -> PeriodClosed:
    return PeriodClosed(
        Code.COMMENT_PERIOD_CLOSED,
        _("The comment period is over (it ran until %(day)s).") % {"day": draft.comment_closes_on},
        field="text",
    )


@transaction.atomic(durable=True)
def comment_post(
    *, actor: Any, draft: DraftDecision, text: str, paragraph: int | None = None, language: str = "kk"
) -> Comment:
    """A signed-in resident's comment on the whole draft or one paragraph of its kk or ru text."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(ErrorCode.FORBIDDEN, _("Sign in to comment."))
    draft = DraftDecision.objects.get(pk=draft.pk)
    if not is_open_for_comment(draft):
        raise _period_closed(draft)
    errors: list[tuple[str, str, Any]] = []
    body = _strict(text, MAX_COMMENT, "text", errors)
    if not body and not errors:
        errors.append(("text", ErrorCode.REQUIRED, _("Write your comment.")))
    if language not in ("kk", "ru"):
        errors.append(("language", ErrorCode.INVALID_CHOICE, _("Choose the Kazakh or the Russian text.")))
    elif paragraph is not None and not 1 <= paragraph <= len(paragraphs(getattr(draft, f"text_{language}"))):
        errors.append(("paragraph", Code.NO_SUCH_PARAGRAPH, _("The draft has no such paragraph.")))
    if errors:
        raise FieldErrors(errors)
    name = (actor.get_full_name() or "").strip() or _("Resident")
    comment = Comment.objects.create(
        draft=draft,
        author=actor,
        author_name=str(name)[:200],
        language=language,
        paragraph=paragraph,
        text=body,
    )
    log_action(actor=actor, event=Ev.COMMENT_POSTED, target=comment, data={"paragraph": paragraph})
    return comment


@transaction.atomic(durable=True)
def comment_support(*, actor: Any, comment: Comment, stance: str) -> CommentSupport:
    """Support or oppose another's comment (once per account; a second stance replaces the first)."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(ErrorCode.FORBIDDEN, _("Sign in to support or oppose."))
    comment = Comment.objects.select_related("draft").get(pk=comment.pk)
    if stance not in Stance.values:
        raise FieldErrors([("stance", ErrorCode.INVALID_CHOICE, _("Choose support or oppose."))])
    if comment.author_id == actor.pk:
        raise NotAllowed(Code.OWN_COMMENT, _("You cannot support your own comment."))
    if not is_open_for_comment(comment.draft) or comment.status != CommentStatus.SHOWN:
        raise _period_closed(comment.draft)
    row, _created = CommentSupport.objects.update_or_create(
        comment=comment, user=actor, defaults={"stance": stance}
    )
    log_action(actor=actor, event=Ev.COMMENT_SUPPORTED, target=comment, data={"stance": stance})
    return row


@transaction.atomic(durable=True)
def comment_moderate(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Hide a comment; the reason is published in its place."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    why = _clean(reason, 2000)
    if not why:
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("Give the reason; it is published."))])
    if comment.status == CommentStatus.HIDDEN:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This comment is hidden already."))
    comment.status = CommentStatus.HIDDEN
    comment.moderation_reason = why
    comment.save()
    log_action(
        actor=actor,
        event=Ev.COMMENT_MODERATED,
        target=comment,
        visibility=Visibility.PUBLIC,
        data={"reason": why},
    )
    return comment


@transaction.atomic(durable=True)
def comment_answer(*, actor: Any, comment: Comment, response: str, reason: str) -> Comment:
    """Staff's answer for the results report: accepted, partly or rejected, and why."""
    comment = Comment.objects.select_for_update().select_related("draft").get(pk=comment.pk)
    why = _clean(reason, 5000)
    errors: list[tuple[str, str, Any]] = []
    if response not in Response.values:
        errors.append(
            ("response", ErrorCode.INVALID_CHOICE, _("Choose accepted, partly accepted or rejected."))
        )
    if not why:
        errors.append(("reason", ErrorCode.REQUIRED, _("Say why.")))
    if errors:
        raise FieldErrors(errors)
    if comment.draft.status == DraftStatus.REPORTED:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("The results report is published."))
    comment.response, comment.response_reason = response, why
    comment.save()
    log_action(actor=actor, event=Ev.COMMENT_ANSWERED, target=comment, data={"response": response})
    return comment


@transaction.atomic(durable=True)
def draft_results_publish(
    *, actor: Any, draft: DraftDecision, changes: str, today: date | None = None
) -> DraftDecision:
    """After the period: every shown comment answered; publishes the report with the changes made."""
    draft = DraftDecision.objects.select_for_update().get(pk=draft.pk)
    day = today or _today()
    if draft.status == DraftStatus.OPEN:
        if draft.comment_closes_on is not None and day <= draft.comment_closes_on:
            raise NotAllowed(Code.COMMENT_PERIOD_OPEN, _("The comment period is still open."))
        draft.status = DraftStatus.CLOSED
        log_action(actor=actor, event=Ev.DRAFT_CLOSED, target=draft)
    if DraftStatus.REPORTED not in DRAFT_TRANSITIONS[draft.status]:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("The results report cannot be published now."))
    unanswered = draft.comments.filter(status=CommentStatus.SHOWN, response="").count()
    if unanswered:
        raise NotAllowed(
            Code.UNANSWERED_COMMENTS,
            _("Answer every comment first (%(n)d left).") % {"n": unanswered},
            unanswered=unanswered,
        )
    draft.results_text = _clean(changes, MAX_TEXT)
    draft.results_published_at = timezone.now()
    draft.status = DraftStatus.REPORTED
    draft.save()
    log_action(actor=actor, event=Ev.RESULTS_PUBLISHED, target=draft, visibility=Visibility.PUBLIC)
    return draft


# ---------------------------------------------------------------- standing commissions

COMMISSION_ROLES = (PostRole.COMMISSION_CHAIR, PostRole.COMMISSION_MEMBER)


def commission_members(commission_id: int, on: date) -> list[int]:
    """Ids of the commission's members (its chair included) on a day."""
    return sorted(
        set(
            Membership.objects.current(on)
            .filter(organization_id=commission_id, role__in=COMMISSION_ROLES)
            .values_list("person_id", flat=True)
        )
    )


def commission_quorum(*, present: int, members: int, percent: int) -> bool:
    """More than `percent` % of the members present (more than half by default)."""
    return members > 0 and present * 100 > members * percent


def _strict(value: Any, limit: int, field: str, errors: list[tuple[str, str, Any]]) -> str:
    """A form field's text under the one text rule (`core.text.clean_text`: NUL, lone surrogates
    and invisible-only text refused with its codes, bidi controls removed), stripped; the
    replacement character that undecodable bytes become is refused too, and text over `limit`."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if "\ufffd" in text:
        errors.append((field, Code.INVALID_TEXT, _("The text contains characters that cannot be stored.")))
        return ""
    try:
        text = clean_text(text).strip()
    except UnacceptableText as exc:
        errors.append((field, exc.code, exc.message))
        return ""
    _too_long(field, text, limit, errors)
    return text[:limit]


def _commission_errors(commission: Organization) -> list[tuple[str, str, Any]]:
    parent = commission.parent if commission.parent_id else None
    if (
        commission.kind != OrganizationKind.STANDING_COMMISSION
        or parent is None
        or parent.kind not in MASLIKHAT_KINDS
    ):
        return [("commission", Code.NOT_A_COMMISSION, _("Choose a standing commission of a maslikhat."))]
    return []


def _when_errors(starts_at: Any) -> list[tuple[str, str, Any]]:
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        return [("starts_at", Code.INVALID_DATE, _("Give the time with its time zone."))]
    return []


def _session_items(body_id: int, ids: list[int] | None) -> list[AgendaItem]:
    wanted = sorted({int(i) for i in ids or []})
    found = list(AgendaItem.objects.filter(pk__in=wanted, session__body_id=body_id))
    if len(found) != len(wanted):
        raise FieldErrors([("items", ErrorCode.INVALID_CHOICE, _("Choose agenda items of this maslikhat."))])
    return found


@transaction.atomic(durable=True)
def commission_meeting_plan(
    *,
    actor: Any,
    commission: Organization,
    starts_at: datetime,
    place: str = "",
    agenda: str = "",
    item_ids: list[int] | None = None,
) -> CommissionMeeting:
    """Announce a meeting of a standing commission, with its agenda text and the session agenda
    items it prepares."""
    errors = _commission_errors(commission) + _when_errors(starts_at)
    text = _strict(agenda, MAX_TEXT, "agenda", errors)
    where = _strict(place, 300, "place", errors)
    if not text and not item_ids and not errors:
        errors.append(("agenda", ErrorCode.REQUIRED, _("Write the agenda or choose the items it prepares.")))
    if errors:
        raise FieldErrors(errors)
    body_id = int(commission.parent_id or 0)
    items = _session_items(body_id, item_ids)
    meeting = CommissionMeeting.objects.create(
        commission=commission,
        body_id=body_id,
        starts_at=starts_at,
        place=where,
        agenda=text,
    )
    meeting.items.set(items)
    log_action(actor=actor, event=Ev.COMMISSION_MEETING_PLANNED, target=meeting, visibility=Visibility.PUBLIC)
    return meeting


def _locked_meeting(meeting: CommissionMeeting) -> CommissionMeeting:
    return CommissionMeeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)


def _require_planned(meeting: CommissionMeeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This meeting has been held or cancelled."))


@transaction.atomic(durable=True)
def commission_meeting_reschedule(
    *, actor: Any, meeting: CommissionMeeting, starts_at: datetime, place: str | None = None
) -> CommissionMeeting:
    """Move a planned meeting: its calendar entry keeps its UID and raises SEQUENCE."""
    meeting = _locked_meeting(meeting)
    _require_planned(meeting)
    errors = _when_errors(starts_at)
    where = _strict(place, 300, "place", errors) if place is not None else meeting.place
    if errors:
        raise FieldErrors(errors)
    data = {"from": meeting.starts_at.isoformat(), "to": starts_at.isoformat()}
    meeting.starts_at = starts_at
    meeting.place = where
    meeting.sequence += 1
    meeting.save()
    log_action(
        actor=actor,
        event=Ev.COMMISSION_MEETING_RESCHEDULED,
        target=meeting,
        visibility=Visibility.PUBLIC,
        data=data,
    )
    return meeting


@transaction.atomic(durable=True)
def commission_attendance_record(
    *, actor: Any, meeting: CommissionMeeting, present: dict[int, bool], reasons: dict[int, str] | None = None
) -> CommissionMeeting:
    """Who of the members is present (person id -> present); the quorum follows."""
    meeting = _locked_meeting(meeting)
    _require_planned(meeting)
    members = commission_members(meeting.commission_id, timezone.localtime(meeting.starts_at).date())
    strangers = sorted(set(present) - set(members))
    if strangers:
        raise FieldErrors([("present", Code.NOT_A_MEMBER, _("Only the commission's members attend."))])
    reasons = reasons or {}
    for person_id, here in present.items():
        CommissionAttendance.objects.update_or_create(
            meeting=meeting,
            person_id=person_id,
            defaults={"present": bool(here), "reason": "" if here else _clean(reasons.get(person_id), 300)},
        )
    _count_quorum(meeting, members)
    meeting.save()
    log_action(
        actor=actor,
        event=Ev.COMMISSION_ATTENDANCE_RECORDED,
        target=meeting,
        data={"present": meeting.present, "members": meeting.members},
    )
    return meeting


def _count_quorum(meeting: CommissionMeeting, members: list[int]) -> None:
    here = meeting.attendance.filter(present=True, person_id__in=members).count()
    meeting.members, meeting.present = len(members), here
    meeting.quorum = commission_quorum(
        present=here, members=len(members), percent=rules_for(meeting.body).commission_quorum_percent
    )


@transaction.atomic(durable=True)
def commission_meeting_hold(*, actor: Any, meeting: CommissionMeeting, minutes: str) -> CommissionMeeting:
    """Record the meeting as held and publish its minutes (attendance recorded first)."""
    meeting = _locked_meeting(meeting)
    if MeetingStatus.HELD not in MEETING_TRANSITIONS[meeting.status]:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This meeting has been held or cancelled."))
    errors: list[tuple[str, str, Any]] = []
    text = _strict(minutes, MAX_TEXT, "minutes", errors)
    if not text and not errors:
        errors.append(("minutes", ErrorCode.REQUIRED, _("Write the minutes.")))
    if not meeting.attendance.exists():
        errors.append(("attendance", Code.NO_ATTENDANCE, _("Record the attendance first.")))
    if errors:
        raise FieldErrors(errors)
    _count_quorum(
        meeting, commission_members(meeting.commission_id, timezone.localtime(meeting.starts_at).date())
    )
    meeting.minutes = text
    meeting.status = MeetingStatus.HELD
    meeting.save()
    log_action(
        actor=actor,
        event=Ev.COMMISSION_MEETING_HELD,
        target=meeting,
        visibility=Visibility.PUBLIC,
        data={"present": meeting.present, "members": meeting.members, "quorum": meeting.quorum},
    )
    return meeting


@transaction.atomic(durable=True)
def commission_meeting_cancel(*, actor: Any, meeting: CommissionMeeting, reason: str) -> CommissionMeeting:
    meeting = _locked_meeting(meeting)
    if MeetingStatus.CANCELLED not in MEETING_TRANSITIONS[meeting.status]:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("This meeting has been held or cancelled."))
    errors: list[tuple[str, str, Any]] = []
    why = _strict(reason, 2000, "reason", errors)
    if not why and not errors:
        errors.append(("reason", ErrorCode.REQUIRED, _("Say why the meeting is cancelled.")))
    if errors:
        raise FieldErrors(errors)
    meeting.cancel_reason = why
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save()
    log_action(
        actor=actor, event=Ev.COMMISSION_MEETING_CANCELLED, target=meeting, visibility=Visibility.PUBLIC
    )
    return meeting


# ---------------------------------------------------------------- public hearings


@transaction.atomic(durable=True)
def hearing_announce(
    *,
    actor: Any,
    body: Organization,
    topic: Texts,
    starts_at: datetime,
    place: str,
    draft: DraftDecision | None = None,
    capacity: int | None = None,
) -> PublicHearing:
    errors = _when_errors(starts_at)
    if body.kind not in MASLIKHAT_KINDS:
        errors.append(("body", Code.NOT_A_MASLIKHAT, _("Only a maslikhat holds public hearings.")))
    topics = {
        code: _strict((topic or {}).get(code), MAX_TITLE, f"topic_{code}", errors)
        for code in ("kk", "ru", "en")
    }
    if not any(topics.values()) and not any(e[0].startswith("topic") for e in errors):
        errors.append(("topic_kk", ErrorCode.REQUIRED, _("Give the hearing's topic.")))
    where = _strict(place, 300, "place", errors)
    if not where and not any(e[0] == "place" for e in errors):
        errors.append(("place", ErrorCode.REQUIRED, _("Say where the hearing is held.")))
    if draft is not None and (draft.body_id != body.pk or not draft.is_public):
        errors.append(("draft", ErrorCode.INVALID_CHOICE, _("Choose a published draft of this maslikhat.")))
    if capacity is not None and not 0 < capacity < 10000:
        errors.append(
            ("capacity", ErrorCode.INVALID_CHOICE, _("Give a number of speakers from 1 to 9999, or none."))
        )
    if errors:
        raise FieldErrors(errors)
    hearing = PublicHearing.objects.create(
        body=body,
        topic_kk=topics["kk"],
        topic_ru=topics["ru"],
        topic_en=topics["en"],
        starts_at=starts_at,
        place=where,
        draft=draft,
        capacity=capacity,
    )
    log_action(actor=actor, event=Ev.HEARING_ANNOUNCED, target=hearing, visibility=Visibility.PUBLIC)
    return hearing


def registration_open(hearing: PublicHearing, now: datetime | None = None) -> bool:
    """Residents register until the hearing begins (and not for a cancelled one)."""
    return hearing.status == HearingStatus.ANNOUNCED and (now or timezone.now()) < hearing.starts_at


def _locked_hearing(hearing: PublicHearing) -> PublicHearing:
    return PublicHearing.objects.select_for_update().select_related("body").get(pk=hearing.pk)


@transaction.atomic(durable=True)
def hearing_register(
    *, actor: Any, hearing: PublicHearing, shown_name: str, subject: str = ""
) -> HearingRegistration:
    """A signed-in resident registers to speak, once, under the name they choose to show. The
    hearing row is locked, so the capacity holds under concurrent registrations."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(ErrorCode.FORBIDDEN, _("Sign in to register."))
    hearing = _locked_hearing(hearing)
    if not registration_open(hearing):
        raise PeriodClosed(
            Code.REGISTRATION_CLOSED, _("Registration for this hearing is closed."), field="shown_name"
        )
    errors: list[tuple[str, str, Any]] = []
    name = _strict(shown_name, 200, "shown_name", errors)
    about = _strict(subject, 500, "subject", errors)
    if not name and not any(e[0] == "shown_name" for e in errors):
        errors.append(("shown_name", ErrorCode.REQUIRED, _("Give the name to show.")))
    if errors:
        raise FieldErrors(errors)
    if hearing.registrations.filter(user=actor).exists():
        raise NotAllowed(Code.ALREADY_REGISTERED, _("You are registered to speak already."))
    if hearing.capacity is not None and hearing.registrations.count() >= hearing.capacity:
        raise NotAllowed(Code.HEARING_FULL, _("All the places to speak are taken."))
    try:
        with transaction.atomic():
            row = HearingRegistration.objects.create(
                hearing=hearing, user=actor, shown_name=name, subject=about
            )
    except IntegrityError:
        raise NotAllowed(Code.ALREADY_REGISTERED, _("You are registered to speak already.")) from None
    log_action(actor=actor, event=Ev.HEARING_REGISTERED, target=hearing)
    return row


@transaction.atomic(durable=True)
def hearing_unregister(*, actor: Any, hearing: PublicHearing) -> PublicHearing:
    """Withdraw one's own registration while registration is open."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(ErrorCode.FORBIDDEN, _("Sign in to register."))
    hearing = _locked_hearing(hearing)
    if not registration_open(hearing):
        raise PeriodClosed(Code.REGISTRATION_CLOSED, _("Registration for this hearing is closed."))
    deleted, _rows = hearing.registrations.filter(user=actor).delete()
    if not deleted:
        raise NotAllowed(Code.TRANSITION_NOT_ALLOWED, _("You are not registered."))
    log_action(actor=actor, event=Ev.HEARING_UNREGISTERED, target=hearing)
    return hearing


@transaction.atomic(durable=True)
def hearing_record_publish(*, actor: Any, hearing: PublicHearing, record: str) -> PublicHearing:
    """After the hearing: the staff publish its record."""
    hearing = _locked_hearing(hearing)
    if hearing.status != HearingStatus.ANNOUNCED:
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED, _("This hearing's record is published or it was cancelled.")
        )
    if timezone.now() < hearing.starts_at:
        raise NotAllowed(Code.HEARING_NOT_OVER, _("The record is published after the hearing."))
    errors: list[tuple[str, str, Any]] = []
    text = _strict(record, MAX_TEXT, "record", errors)
    if not text and not errors:
        errors.append(("record", ErrorCode.REQUIRED, _("Write the record of the hearing.")))
    if errors:
        raise FieldErrors(errors)
    hearing.record = text
    hearing.record_published_at = timezone.now()
    hearing.status = HearingStatus.HELD
    hearing.save()
    log_action(actor=actor, event=Ev.HEARING_RECORD_PUBLISHED, target=hearing, visibility=Visibility.PUBLIC)
    return hearing


@transaction.atomic(durable=True)
def hearing_cancel(*, actor: Any, hearing: PublicHearing, reason: str) -> PublicHearing:
    hearing = _locked_hearing(hearing)
    if hearing.status != HearingStatus.ANNOUNCED:
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED, _("This hearing's record is published or it was cancelled.")
        )
    errors: list[tuple[str, str, Any]] = []
    why = _strict(reason, 2000, "reason", errors)
    if not why and not errors:
        errors.append(("reason", ErrorCode.REQUIRED, _("Say why the hearing is cancelled.")))
    if errors:
        raise FieldErrors(errors)
    hearing.cancel_reason = why
    hearing.status = HearingStatus.CANCELLED
    hearing.sequence += 1
    hearing.save()
    log_action(actor=actor, event=Ev.HEARING_CANCELLED, target=hearing, visibility=Visibility.PUBLIC)
    return hearing
