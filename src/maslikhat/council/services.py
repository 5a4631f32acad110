"""Writes for the national council: meetings, recommendations and reports, proposals.

Each use case is one function, writing event rows where the object has a lifecycle and one
ActionLog row (`events.CouncilLogEvent`); emails to the maslikhats go out only after commit.

Transactions: every public use case is `@transaction.atomic(durable=True)`, the outermost
transaction: when it returns, its work is committed and its emails handed over. Adapters open no
transaction of their own, and one use case never calls another: shared steps are the private
helpers (`_proposal_transition`, `_proposal_event`, `_participants`, ...), which run inside their
caller's transaction. A proposal's status changes only in `_proposal_transition`, through
`PROPOSAL_TRANSITIONS` (also when a cancelled meeting sends its agenda back to review).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.actors import user_or_none
from maslikhat.core.audit import log_action
from maslikhat.core.background import after_commit
from maslikhat.core.errors import ErrorCode, FieldErrors, NotAllowed
from maslikhat.core.i18n import CONTENT_LANGUAGES
from maslikhat.core.models import Visibility
from maslikhat.core.uploads import UploadLike, check_uploads
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization, Person

from .choices import (
    INCLUDABLE_STATUSES,
    MEETING_TRANSITIONS,
    OUTCOME_STATUSES,
    PROPOSAL_TRANSITIONS,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PolicyArea,
    ProposalEventKind,
    ProposalStatus,
    ReportStatus,
    SentTo,
)
from .error_codes import CouncilErrorCode
from .events import PROPOSAL_STATUS_EVENTS, CouncilLogEvent
from .models import (
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    Proposal,
    ProposalBacker,
    ProposalDocument,
    ProposalEvent,
    Recommendation,
    RecommendationReport,
)
from .permissions import is_co_signable
from .selectors import council_in_force, maslikhats_in_force

MAX_TITLE = 300
MAX_TEXT = 50000
Texts = dict[str, str]


def _clean_texts(value: Texts | None, *, limit: int) -> Texts:
    value = value or {}
    return {code: (value.get(code) or "").strip()[:limit] for code in CONTENT_LANGUAGES}


def _require_one(texts: Texts, field: str, message: Any, errors: list[tuple[str, str, Any]]) -> None:
    if not any(texts.values()):
        errors.append((field, ErrorCode.REQUIRED, message))


def _too_long(texts: Texts | None, limit: int) -> bool:
    return any(len(v or "") > limit for v in (texts or {}).values())


# ---------------------------------------------------------------- meetings


def _participants(meeting: Meeting, *, invite_regional_chairs: bool, others: list[str]) -> None:
    """Council members in office on the meeting's date; for an extended meeting (or when asked)
    the chairs (secretaries before 2023) of the regional maslikhats; then named guests."""
    rows: list[MeetingParticipant] = []
    seen: set[int] = set()
    members = (
        Membership.objects.current(meeting.held_on)
        .filter(organization=meeting.council, role__in=[PostRole.COUNCIL_CHAIR, PostRole.COUNCIL_MEMBER])
        .select_related("person")
        .order_by("role", "person__sort_name")
    )
    for m in members:
        seen.add(m.person_id)
        rows.append(
            MeetingParticipant(
                meeting=meeting,
                person_id=m.person_id,
                organization=meeting.council,
                role=ParticipantRole.MEMBER,
            )
        )
    if invite_regional_chairs:
        regional = (
            Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
            .current(meeting.held_on)
            .select_related("area")
            .order_by("area__iso_code")
        )
        leaders = {
            m.organization_id: m
            for m in Membership.objects.current(meeting.held_on).filter(
                organization__in=regional, role__in=[PostRole.CHAIR, PostRole.SECRETARY]
            )
        }
        for body in regional:
            leader = leaders.get(body.pk)
            if leader is not None and leader.person_id in seen:
                continue
            rows.append(
                MeetingParticipant(
                    meeting=meeting,
                    person_id=leader.person_id if leader else None,
                    organization=body,
                    role=ParticipantRole.MASLIKHAT_CHAIR,
                )
            )
    for name in others:
        if name.strip():
            rows.append(
                MeetingParticipant(meeting=meeting, name=name.strip()[:300], role=ParticipantRole.INVITED)
            )
    for i, row in enumerate(rows):
        row.position = i
    MeetingParticipant.objects.bulk_create(rows)


def _set_texts(obj: Any, field: str, texts: Texts | None, limit: int) -> None:
    if texts is None:
        return
    for code, value in _clean_texts(texts, limit=limit).items():
        setattr(obj, f"{field}_{code}", value)


@transaction.atomic(durable=True)
def meeting_create(
    *,
    actor: Any,
    held_on: date,
    kind: str,
    title: Texts,
    council: Organization | None = None,
    place: Texts | None = None,
    summary: Texts | None = None,
    agenda: list[Texts] | None = None,
    chair: Person | None = None,
    chair_title: Texts | None = None,
    invite_regional_chairs: bool | None = None,
    other_participants: list[str] | None = None,
    source: str = "",
    is_demo: bool = False,
) -> Meeting:
    """Prepare a meeting (a draft, visible to the council's staff until published)."""
    errors: list[tuple[str, str, Any]] = []
    if kind not in MeetingKind.values:
        errors.append(("kind", ErrorCode.INVALID_CHOICE, _("Choose a regular or an extended meeting.")))
    titles = _clean_texts(title, limit=MAX_TITLE)
    _require_one(titles, "title", _("Give the meeting a title in at least one language."), errors)
    if _too_long(title, MAX_TITLE):
        errors.append(("title", ErrorCode.TOO_LONG, _("A title is at most 300 characters.")))
    body = council or council_in_force(held_on)
    if body is None or body.kind != OrganizationKind.NATIONAL_COUNCIL or not body.in_force(held_on):
        errors.append(
            ("held_on", CouncilErrorCode.NO_COUNCIL, _("No national council was in office on that date."))
        )
    if errors:
        raise FieldErrors(errors)
    meeting = Meeting(
        council=body, kind=kind, held_on=held_on, chair=chair, source=source[:300], is_demo=is_demo
    )
    _set_texts(meeting, "title", title, MAX_TITLE)
    _set_texts(meeting, "place", place, MAX_TITLE)
    _set_texts(meeting, "summary", summary, MAX_TEXT)
    _set_texts(meeting, "chair_title", chair_title, MAX_TITLE)
    meeting.save()
    for i, item in enumerate(agenda or []):
        texts = _clean_texts(item, limit=500)
        if any(texts.values()):
            AgendaItem.objects.create(
                meeting=meeting, position=i, **{f"title_{k}": v for k, v in texts.items()}
            )
    invite = kind == MeetingKind.EXTENDED if invite_regional_chairs is None else invite_regional_chairs
    _participants(meeting, invite_regional_chairs=invite, others=other_participants or [])
    log_action(actor=actor, event=CouncilLogEvent.MEETING_CREATED, target=meeting, data={"kind": kind})
    return meeting


@transaction.atomic(durable=True)
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    title: Texts | None = None,
    place: Texts | None = None,
    summary: Texts | None = None,
    minutes: Texts | None = None,
    outcomes: Texts | None = None,
    held_on: date | None = None,
) -> Meeting:
    """Edit a meeting's texts; after it is held the minutes and outcomes are added this way."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise NotAllowed(CouncilErrorCode.MEETING_CANCELLED, _("A cancelled meeting cannot be changed."))
    errors: list[tuple[str, str, Any]] = []
    if title is not None:
        _require_one(
            _clean_texts(title, limit=MAX_TITLE),
            "title",
            _("Give the meeting a title in at least one language."),
            errors,
        )
    for field, texts in (("minutes", minutes), ("outcomes", outcomes), ("summary", summary)):
        if _too_long(texts, MAX_TEXT):
            errors.append((field, ErrorCode.TOO_LONG, _("A text is at most 50,000 characters.")))
    if held_on is not None and meeting.status != MeetingStatus.DRAFT:
        errors.append(
            ("held_on", CouncilErrorCode.PUBLISHED, _("The date of a published meeting cannot change."))
        )
    if errors:
        raise FieldErrors(errors)
    _set_texts(meeting, "title", title, MAX_TITLE)
    _set_texts(meeting, "place", place, MAX_TITLE)
    _set_texts(meeting, "summary", summary, MAX_TEXT)
    _set_texts(meeting, "minutes", minutes, MAX_TEXT)
    _set_texts(meeting, "outcomes", outcomes, MAX_TEXT)
    if held_on is not None:
        meeting.held_on = held_on
    meeting.save()
    log_action(actor=actor, event=CouncilLogEvent.MEETING_UPDATED, target=meeting)
    return meeting


def _meeting_transition(meeting: Meeting, to: str) -> None:
    if to not in MEETING_TRANSITIONS[meeting.status]:
        raise NotAllowed(
            CouncilErrorCode.TRANSITION_NOT_ALLOWED,
            _("A meeting that is %(status)s cannot become %(to)s.")
            % {"status": MeetingStatus(meeting.status).label, "to": MeetingStatus(to).label},
        )


@transaction.atomic(durable=True)
def meeting_publish(*, actor: Any, meeting: Meeting, notify: bool = True) -> Meeting:
    """Make a meeting public with its recommendations; the addressed maslikhats are told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _meeting_transition(meeting, MeetingStatus.PUBLISHED)
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at", "updated_at"])
    log_action(
        actor=actor, event=CouncilLogEvent.MEETING_PUBLISHED, target=meeting, visibility=Visibility.PUBLIC
    )
    if notify:
        for rec_id in meeting.recommendations.values_list("pk", flat=True):
            after_commit("council.recommendation", rec_id)
    return meeting


@transaction.atomic(durable=True)
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not reason.strip():
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("Say why the meeting is cancelled."))])
    _meeting_transition(meeting, MeetingStatus.CANCELLED)
    if meeting.recommendations.exists():
        raise NotAllowed(
            CouncilErrorCode.HAS_RECOMMENDATIONS,
            _("A meeting that adopted recommendations cannot be cancelled."),
        )
    was_public = meeting.status == MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    if meeting.published_at is None:
        meeting.published_at = timezone.now()
    meeting.outcomes_en = meeting.outcomes_en or reason.strip()
    meeting.save()
    # Proposals waiting on its agenda go back to review, each through the transition map (an
    # event, a log row and the maslikhats' email, as any other step).
    for proposal in Proposal.objects.select_for_update().filter(
        agenda_meeting=meeting, status=ProposalStatus.ON_AGENDA
    ):
        _proposal_transition(
            proposal,
            ProposalStatus.UNDER_REVIEW,
            actor=actor,
            text=reason.strip(),
            data={"meeting": meeting.pk},
        )
    log_action(
        actor=actor,
        event=CouncilLogEvent.MEETING_CANCELLED,
        target=meeting,
        visibility=Visibility.PUBLIC if was_public else Visibility.INTERNAL,
        data={"reason": reason.strip()[:500]},
    )
    return meeting


@transaction.atomic(durable=True)
def meeting_add_document(
    *, actor: Any, meeting: Meeting, upload: UploadLike, title: str, kind: str = DocumentKind.OTHER
) -> MeetingDocument:
    errors: list[tuple[str, str, Any]] = []
    if not title.strip():
        errors.append(("title", ErrorCode.REQUIRED, _("Give the document a title.")))
    if kind not in DocumentKind.values:
        errors.append(("kind", ErrorCode.INVALID_CHOICE, _("Unknown kind of document.")))
    if errors:
        raise FieldErrors(errors)
    (checked,) = check_uploads([upload])
    doc = MeetingDocument(
        meeting=meeting,
        kind=kind,
        title=title.strip()[:300],
        content_type=checked.content_type,
        size=checked.size,
    )
    doc.file.save(checked.name, File(checked.upload, name=checked.name), save=False)  # type: ignore[arg-type]
    doc.save()
    log_action(actor=actor, event=CouncilLogEvent.DOCUMENT_ADDED, target=meeting, data={"document": doc.pk})
    return doc


# ---------------------------------------------------------------- recommendations and reports


@transaction.atomic(durable=True)
def recommendation_adopt(
    *,
    actor: Any,
    meeting: Meeting,
    title: Texts,
    text: Texts,
    due_on: date,
    addressees: list[Organization] | None = None,
    proposals: list[Proposal] | None = None,
    is_demo: bool = False,
) -> Recommendation:
    """Record a recommendation adopted at a meeting, addressed to all maslikhats in office on the
    meeting's date (`addressees=None`) or to some; each addressee owes an implementation report."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    errors: list[tuple[str, str, Any]] = []
    titles = _clean_texts(title, limit=MAX_TITLE)
    texts = _clean_texts(text, limit=MAX_TEXT)
    _require_one(titles, "title", _("Give the recommendation a title in at least one language."), errors)
    _require_one(texts, "text", _("Write the recommendation in at least one language."), errors)
    if _too_long(title, MAX_TITLE) or _too_long(text, MAX_TEXT):
        errors.append(("text", ErrorCode.TOO_LONG, _("A title is at most 300 characters and a text 50,000.")))
    if due_on < meeting.held_on:
        errors.append(
            ("due_on", CouncilErrorCode.BEFORE_MEETING, _("Reports cannot be due before the meeting."))
        )
    bodies = addressees if addressees is not None else maslikhats_in_force(meeting.held_on)
    if addressees is not None and not addressees:
        errors.append(
            ("addressees", ErrorCode.REQUIRED, _("Address the recommendation to at least one maslikhat."))
        )
    if any(b.kind not in MASLIKHAT_KINDS or not b.in_force(meeting.held_on) for b in bodies):
        errors.append(
            (
                "addressees",
                CouncilErrorCode.NOT_A_MASLIKHAT,
                _("Recommendations are addressed to maslikhats in office."),
            )
        )
    chosen = list(proposals or [])
    if any(p.council_id != meeting.council_id or p.status not in INCLUDABLE_STATUSES for p in chosen):
        errors.append(
            (
                "proposals",
                CouncilErrorCode.NOT_INCLUDABLE,
                _("Only proposals under review or on the agenda can be included."),
            )
        )
    if errors:
        raise FieldErrors(errors)
    if meeting.status == MeetingStatus.CANCELLED:
        raise NotAllowed(CouncilErrorCode.MEETING_CANCELLED, _("A cancelled meeting adopts nothing."))
    number = (meeting.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    rec = Recommendation(
        council_id=meeting.council_id,
        meeting=meeting,
        number=number,
        adopted_on=meeting.held_on,
        due_on=due_on,
        addressed_to_all=addressees is None,
        is_demo=is_demo,
    )
    for code in CONTENT_LANGUAGES:
        setattr(rec, f"title_{code}", titles[code])
        setattr(rec, f"text_{code}", texts[code])
    rec.save()
    RecommendationReport.objects.bulk_create(
        [RecommendationReport(recommendation=rec, body=b) for b in {b.pk: b for b in bodies}.values()]
    )
    for proposal in chosen:
        _proposal_transition(proposal, ProposalStatus.INCLUDED, actor=actor, data={"recommendation": rec.pk})
        Proposal.objects.filter(pk=proposal.pk).update(recommendation=rec, decided_on=meeting.held_on)
        proposal.recommendation = rec
    log_action(
        actor=actor,
        event=CouncilLogEvent.RECOMMENDATION_ADOPTED,
        target=rec,
        visibility=Visibility.PUBLIC if meeting.is_public else Visibility.INTERNAL,
        data={"meeting": meeting.pk, "addressees": len(bodies)},
    )
    if meeting.status == MeetingStatus.PUBLISHED:
        after_commit("council.recommendation", rec.pk)
    return rec


@transaction.atomic(durable=True)
def report_file(
    *, actor: Any, report: RecommendationReport, text: str, filed_at: datetime | None = None
) -> RecommendationReport:
    """A maslikhat reports how it implemented a recommendation. It may amend the report later;
    whether it was on time is decided by the first filing."""
    report = (
        RecommendationReport.objects.select_for_update()
        .select_related("recommendation__meeting")
        .get(pk=report.pk)
    )
    if not text.strip():
        raise FieldErrors([("text", ErrorCode.REQUIRED, _("Write what the maslikhat has done."))])
    if len(text) > MAX_TEXT:
        raise FieldErrors([("text", ErrorCode.TOO_LONG, _("A text is at most 50,000 characters."))])
    if not report.recommendation.meeting.is_public:
        raise NotAllowed(CouncilErrorCode.NOT_PUBLISHED, _("The recommendation is not published yet."))
    amended = report.status == ReportStatus.FILED
    report.text = text.strip()
    if not amended:
        when = filed_at or timezone.now()
        report.status = ReportStatus.FILED
        report.filed_at = when
        report.filed_on = timezone.localtime(when).date()
        report.on_time = report.filed_on <= report.recommendation.due_on
        report.filed_by = user_or_none(actor)
    report.save()
    log_action(
        actor=actor,
        event=CouncilLogEvent.REPORT_AMENDED if amended else CouncilLogEvent.REPORT_FILED,
        target=report.recommendation,
        visibility=Visibility.PUBLIC,
        data={"body": report.body_id, "on_time": report.on_time},
    )
    return report


# ---------------------------------------------------------------- proposals


def _proposal_event(
    proposal: Proposal,
    *,
    actor: Any,
    kind: str = ProposalEventKind.STATUS,
    from_status: str = "",
    to_status: str = "",
    text: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=user_or_none(actor),
        from_status=from_status,
        to_status=to_status,
        text=text,
        public=public,
        data=data or {},
    )


def _notify_proposal(proposal: Proposal) -> None:
    after_commit("council.proposal_status", proposal.pk)


def _proposal_transition(
    proposal: Proposal,
    to: str,
    *,
    actor: Any,
    text: str = "",
    data: dict[str, Any] | None = None,
    also_save: tuple[str, ...] = (),
) -> Proposal:
    if to not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise NotAllowed(
            CouncilErrorCode.TRANSITION_NOT_ALLOWED,
            _("A proposal that is %(status)s cannot become %(to)s.")
            % {"status": ProposalStatus(proposal.status).label, "to": ProposalStatus(to).label},
        )
    before = proposal.status
    proposal.status = to
    if to == ProposalStatus.UNDER_REVIEW and proposal.agenda_meeting_id is not None:
        # back to review is off the agenda (the meeting was cancelled, or the council took it off)
        proposal.agenda_meeting = None
        also_save = (*also_save, "agenda_meeting")
    proposal.save(update_fields=["status", "updated_at", *also_save])
    _proposal_event(proposal, actor=actor, from_status=before, to_status=to, text=text, data=data)
    log_action(
        actor=actor,
        event=PROPOSAL_STATUS_EVENTS[to],
        target=proposal,
        visibility=Visibility.PUBLIC,
        data={"from": before, **(data or {})},
    )
    _notify_proposal(proposal)
    return proposal


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic(durable=True)
def proposal_submit(
    *,
    actor: Any,
    body: Organization,
    title: str,
    text: str,
    language: str,
    policy_area: str,
    law_concerned: str = "",
    files: list[UploadLike] | None = None,
    submitted_at: datetime | None = None,
    is_demo: bool = False,
) -> Proposal:
    """A maslikhat sends a proposal to the national council in office."""
    when = submitted_at or timezone.now()
    day = timezone.localtime(when).date()
    errors: list[tuple[str, str, Any]] = []
    if not title.strip():
        errors.append(("title", ErrorCode.REQUIRED, _("Give the proposal a title.")))
    elif len(title) > MAX_TITLE:
        errors.append(("title", ErrorCode.TOO_LONG, _("A title is at most 300 characters.")))
    if not text.strip():
        errors.append(("text", ErrorCode.REQUIRED, _("Write the proposal.")))
    elif len(text) > MAX_TEXT:
        errors.append(("text", ErrorCode.TOO_LONG, _("A text is at most 50,000 characters.")))
    if language not in CONTENT_LANGUAGES:
        errors.append(("language", ErrorCode.INVALID_CHOICE, _("Choose Kazakh, Russian or English.")))
    if policy_area not in PolicyArea.values:
        errors.append(("policy_area", ErrorCode.INVALID_CHOICE, _("Choose the area of policy concerned.")))
    if len(law_concerned) > 300:
        errors.append(("law_concerned", ErrorCode.TOO_LONG, _("At most 300 characters.")))
    if body.kind not in MASLIKHAT_KINDS or not body.in_force(day):
        errors.append(
            ("body", CouncilErrorCode.NOT_A_MASLIKHAT, _("Proposals are sent by a maslikhat in office."))
        )
    council = council_in_force(day)
    if council is None:
        errors.append(("body", CouncilErrorCode.NO_COUNCIL, _("No national council is in office.")))
    if errors or council is None:
        raise FieldErrors(errors)
    checked = check_uploads(list(files or []))
    proposal = Proposal.objects.create(
        council=council,
        body=body,
        title=title.strip(),
        text=text.strip(),
        language=language,
        policy_area=policy_area,
        law_concerned=law_concerned.strip(),
        submitted_at=when,
        submitted_on=day,
        submitted_by=user_or_none(actor),
        is_demo=is_demo,
    )
    for c in checked:
        doc = ProposalDocument(
            proposal=proposal, original_name=c.name, content_type=c.content_type, size=c.size
        )
        doc.file.save(c.name, File(c.upload, name=c.name), save=False)  # type: ignore[arg-type]
        doc.save()
    _proposal_event(proposal, actor=actor, to_status=ProposalStatus.SUBMITTED)
    log_action(
        actor=actor,
        event=CouncilLogEvent.PROPOSAL_SUBMITTED,
        target=proposal,
        visibility=Visibility.PUBLIC,
        data={"body": body.pk, "council": council.pk},
    )
    return proposal


@transaction.atomic(durable=True)
def proposal_back(*, actor: Any, proposal: Proposal, body: Organization) -> ProposalBacker:
    """Another maslikhat co-signs a proposal while the council has not decided on it."""
    proposal = _lock(proposal)
    if body.pk == proposal.body_id:
        raise NotAllowed(
            CouncilErrorCode.OWN_PROPOSAL, _("The proposing maslikhat does not co-sign its own proposal.")
        )
    if body.kind not in MASLIKHAT_KINDS or not body.in_force():
        raise FieldErrors(
            [("body", CouncilErrorCode.NOT_A_MASLIKHAT, _("Only a maslikhat in office can co-sign."))]
        )
    if not is_co_signable(proposal):
        raise NotAllowed(CouncilErrorCode.DECIDED, _("The council has already decided on this proposal."))
    if ProposalBacker.objects.filter(proposal=proposal, body=body).exists():
        raise NotAllowed(
            CouncilErrorCode.ALREADY_BACKED, _("This maslikhat has already co-signed the proposal.")
        )
    backer = ProposalBacker.objects.create(proposal=proposal, body=body)
    _proposal_event(proposal, actor=actor, kind=ProposalEventKind.BACKED, data={"body": body.pk})
    log_action(
        actor=actor,
        event=CouncilLogEvent.PROPOSAL_BACKED,
        target=proposal,
        visibility=Visibility.PUBLIC,
        data={"body": body.pk},
    )
    _notify_proposal(proposal)
    return backer


@transaction.atomic(durable=True)
def proposal_review(*, actor: Any, proposal: Proposal) -> Proposal:
    return _proposal_transition(_lock(proposal), ProposalStatus.UNDER_REVIEW, actor=actor)


@transaction.atomic(durable=True)
def proposal_put_on_agenda(*, actor: Any, proposal: Proposal, meeting: Meeting) -> Proposal:
    proposal = _lock(proposal)
    if meeting.council_id != proposal.council_id or meeting.status == MeetingStatus.CANCELLED:
        raise FieldErrors(
            [
                (
                    "meeting",
                    CouncilErrorCode.INVALID_MEETING,
                    _("Choose a meeting of the same council that is not cancelled."),
                )
            ]
        )
    if meeting.held_on < proposal.submitted_on:
        raise FieldErrors(
            [
                (
                    "meeting",
                    CouncilErrorCode.BEFORE_SUBMISSION,
                    _("The meeting is before the proposal was submitted."),
                )
            ]
        )
    _proposal_transition(proposal, ProposalStatus.ON_AGENDA, actor=actor, data={"meeting": meeting.pk})
    proposal.agenda_meeting = meeting
    proposal.save(update_fields=["agenda_meeting"])
    return proposal


@transaction.atomic(durable=True)
def proposal_include(*, actor: Any, proposal: Proposal, recommendation: Recommendation) -> Proposal:
    proposal = _lock(proposal)
    if recommendation.council_id != proposal.council_id:
        raise FieldErrors(
            [
                (
                    "recommendation",
                    CouncilErrorCode.INVALID_RECOMMENDATION,
                    _("Choose a recommendation of the same council."),
                )
            ]
        )
    _proposal_transition(
        proposal, ProposalStatus.INCLUDED, actor=actor, data={"recommendation": recommendation.pk}
    )
    proposal.recommendation = recommendation
    proposal.decided_on = recommendation.adopted_on
    proposal.save(update_fields=["recommendation", "decided_on"])
    return proposal


@transaction.atomic(durable=True)
def proposal_decline(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    proposal = _lock(proposal)
    if not reason.strip():
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("Say why the proposal is declined."))])
    proposal.decline_reason = reason.strip()[:MAX_TEXT]
    proposal.decided_on = timezone.localdate()
    return _proposal_transition(
        proposal,
        ProposalStatus.DECLINED,
        actor=actor,
        text=proposal.decline_reason,
        also_save=("decline_reason", "decided_on"),
    )


@transaction.atomic(durable=True)
def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    return _proposal_transition(_lock(proposal), ProposalStatus.WITHDRAWN, actor=actor)


@transaction.atomic(durable=True)
def proposal_send_on(*, actor: Any, proposal: Proposal, to: str, on: date | None = None) -> Proposal:
    proposal = _lock(proposal)
    if to not in SentTo.values:
        raise FieldErrors([("to", ErrorCode.INVALID_CHOICE, _("Choose the Government or Parliament."))])
    day = on or timezone.localdate()
    if proposal.decided_on and day < proposal.decided_on:
        raise FieldErrors(
            [("on", CouncilErrorCode.BEFORE_DECISION, _("It cannot be sent on before the council decided."))]
        )
    _proposal_transition(
        proposal, ProposalStatus.SENT_ON, actor=actor, data={"to": to, "on": day.isoformat()}
    )
    proposal.sent_to = to
    proposal.sent_on = day
    proposal.save(update_fields=["sent_to", "sent_on"])
    return proposal


@transaction.atomic(durable=True)
def proposal_record_outcome(*, actor: Any, proposal: Proposal, outcome: str, note: str = "") -> Proposal:
    proposal = _lock(proposal)
    if outcome not in OUTCOME_STATUSES:
        raise FieldErrors(
            [
                (
                    "outcome",
                    ErrorCode.INVALID_CHOICE,
                    _("Choose implemented, partly implemented or not implemented."),
                )
            ]
        )
    if len(note) > MAX_TEXT:
        raise FieldErrors([("note", ErrorCode.TOO_LONG, _("A text is at most 50,000 characters."))])
    proposal.outcome_note = note.strip()
    _proposal_transition(proposal, outcome, actor=actor, text=proposal.outcome_note)
    proposal.save(update_fields=["outcome_note"])
    return proposal


@transaction.atomic(durable=True)
def proposal_add_note(*, actor: Any, proposal: Proposal, text: str) -> ProposalEvent:
    if not text.strip():
        raise FieldErrors([("text", ErrorCode.REQUIRED, _("Write the note."))])
    event = _proposal_event(
        proposal, actor=actor, kind=ProposalEventKind.NOTE, text=text.strip()[:MAX_TEXT], public=False
    )
    log_action(actor=actor, event=CouncilLogEvent.PROPOSAL_NOTE, target=proposal)
    return event
