"""Proceedings API: a maslikhat's public sessions and their agendas, counted votes with the roll in
Open Civic Data's vote-event shape, drafts put to public comment with their versions and comments,
a signed-in resident's comment, and the decisions register with the links between decisions.

Only what the pages show the public: sessions that have been convened (never a planned one),
drafts that are published, a comment's display name and text (a hidden one shows only the
moderator's published reason), a secret ballot's counts without anyone's vote. Adapters only:
reads through `proceedings.selectors`, the comment through `proceedings.services.comment_post`;
its refusals (`comment_period_closed`, a field error) are answered by the API's DomainError handler.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import SessionAuth

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import ErrorCode
from maslikhat.directory.models import Organization
from maslikhat.proceedings import selectors, services
from maslikhat.proceedings.choices import (
    CommentStatus,
    DecisionStatus,
    DraftStatus,
    InForceRule,
    ItemOutcome,
    LinkKind,
    Response,
    SessionKind,
    SessionStatus,
    VoteMethod,
    VoteOption,
    VoteResult,
)
from maslikhat.proceedings.models import (
    AgendaItem,
    Comment,
    Decision,
    DraftDecision,
    DraftVersion,
    Session,
    Vote,
)

from .auth import bearer
from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import ApiDate, BodyRef, Id, Names, Out, PageQuery, SearchText, Text, body_ref, names

router = Router(tags=["proceedings"])

LIST_ERRORS: dict[int, Any] = {422: ValidationErrorOut}
DETAIL_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

# A paragraph number of a draft (the pages number them from 1).
Paragraph = Annotated[int, Field(ge=1, le=10_000)]


class SignedInSession(SessionAuth):
    """The site's session of a signed-in account, with Django's CSRF check (a browser's form or
    script). Without a signed-in session it gives way, so an anonymous caller gets the 401; a
    presented bearer token is `bearer`'s alone to accept (one it refuses is a 401, not the session)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        presented = request.headers.get("Authorization", "").lower().startswith("bearer ")
        if presented or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if key and request.user.is_authenticated else None


# Writes: a bearer token (`POST /auth/token`) or the site's session.
RESIDENT_AUTH = [bearer, SignedInSession()]


# ------------------------------------------------------------------ filters


class SessionFilters(PageQuery):
    body: Id | None = Field(None, description="id of a maslikhat: its sessions only")
    status: SessionStatus | None = Field(None, description="a planned session is never public")
    kind: SessionKind | None = None
    date_from: ApiDate | None = Field(None, alias="from", description="sessions from this day (local time)")
    date_to: ApiDate | None = Field(None, alias="to", description="sessions until this day, inclusive")


class VoteFilters(PageQuery):
    body: Id | None = Field(None, description="id of a maslikhat: the votes of its sessions")
    session: Id | None = Field(None, description="id of a session: the votes on its agenda")


class DraftFilters(PageQuery):
    body: Id | None = Field(None, description="id of a maslikhat: its drafts only")
    open: bool | None = Field(
        None, description="true: open for comment today; false: the others (period over or not begun)"
    )


class CommentFilters(PageQuery):
    paragraph: Paragraph | None = Field(None, description="comments on this paragraph only")
    language: Literal["kk", "ru"] | None = Field(None, description="comments on the Kazakh or Russian text")


class DecisionFilters(PageQuery):
    body: Id | None = Field(None, description="id of a maslikhat: its register")
    number: SearchText | None = Field(None, description="part of the decision number")
    q: SearchText | None = Field(None, description="words of the title (all of them, any language)")
    status: DecisionStatus | None = None
    date_from: ApiDate | None = Field(None, alias="from", description="adopted on or after this day")
    date_to: ApiDate | None = Field(None, alias="to", description="adopted on or before this day")
    commission: Id | None = Field(None, description="id of the standing commission responsible for the item")


# ------------------------------------------------------------------ output schemas


class ConvocationOut(Out):
    """A maslikhat's convocation (its term)."""

    number: int
    start_date: date
    end_date: date | None = Field(description="exclusive; none while in office")
    seats: int


class SessionOut(Out):
    """A public session of a maslikhat (convened, in progress, closed or cancelled)."""

    id: int
    body: BodyRef
    convocation: ConvocationOut
    number: int = Field(description="number of the session within its convocation")
    kind: SessionKind
    status: SessionStatus
    starts_at: datetime
    place: str
    livestream_url: str
    convened_at: datetime | None = Field(description="when the notice was published")
    sequence: int = Field(description="revision: raised each time the session is moved")
    cancel_reason: str
    agenda_items: int = Field(description="number of agenda items")
    is_demo: bool


class SessionPage(Out):
    items: list[SessionOut]
    count: int


class DecisionRef(Out):
    """A decision of the register, in short."""

    id: int
    number: str
    title: Names
    adopted_on: date
    status: DecisionStatus


class VoteSummary(Out):
    """An agenda item's counted vote, in short (the roll: the vote event)."""

    id: int
    method: VoteMethod
    result: VoteResult
    yes: int
    no: int
    abstain: int
    absent: int


class AgendaItemOut(Out):
    """An item of a session's agenda."""

    id: int
    session_id: int
    order: int
    title: Names
    rapporteur_id: int | None = Field(description="the rapporteur's person id, when in the directory")
    rapporteur_name: str
    commission: BodyRef | None = Field(description="the responsible standing commission")
    draft_id: int | None = Field(description="the published draft decision put to the vote")
    outcome: ItemOutcome
    vote: VoteSummary | None = Field(description="the counted vote (its roll: /proceedings/votes/{id})")
    decision: DecisionRef | None = Field(description="the decision adopted on this item")


class AttendanceOut(Out):
    """A session's attendance as counts (absent is not abstained)."""

    recorded: int = Field(description="deputies whose attendance is recorded")
    present: int
    absent: int


class RescheduleOut(Out):
    """A move of the session after its notice."""

    sequence: int
    old_starts_at: datetime
    new_starts_at: datetime
    old_place: str
    reason: str


class SessionDetailOut(SessionOut):
    """A session with its notice, agenda, attendance counts and decisions."""

    notice: str = Field(description="the notice to deputies and the population")
    attendance: AttendanceOut
    agenda: list[AgendaItemOut]
    decisions: list[DecisionRef]
    reschedules: list[RescheduleOut] = Field(description="moves after the notice, oldest first")


class VoteCountOut(Out):
    """Open Civic Data's vote count: an option and how many chose it."""

    option: VoteOption
    value: int


class PersonVoteOut(Out):
    """Open Civic Data's person vote: one deputy's option."""

    option: VoteOption
    voter_name: str
    voter_id: int = Field(description="the deputy's person id (/people/{id})")


class VoteExtrasOut(Out):
    """What the maslikhat's rules add to the vote event."""

    method: VoteMethod
    result: VoteResult = Field(description="the result computed from the body's rules")
    quorum: bool
    elected: int = Field(description="deputies in office on the session's day")
    present: int = Field(description="deputies recorded present")
    entered_by_operator: bool


class VoteEventOut(Out):
    """Open Civic Data's vote event: the motion, its result, the counts and each person's vote."""

    id: int
    identifier: str = Field(description="convocation-session-item, e.g. 8-5-1")
    motion_text: str = Field(description="the agenda item's title")
    start_date: datetime = Field(description="when the vote was counted")
    result: Literal["pass", "fail"]
    organization: BodyRef
    session_id: int
    agenda_item_id: int
    counts: list[VoteCountOut] = Field(description="yes, no, abstain, absent: they sum to the elected")
    votes: list[PersonVoteOut] = Field(description="the roll, by name; always empty for a secret ballot")
    extras: VoteExtrasOut


class VoteEventPage(Out):
    items: list[VoteEventOut]
    count: int


class DraftOut(Out):
    """A draft decision published for public comment."""

    id: int
    body: BodyRef
    title: Names
    status: DraftStatus
    version: int
    comment_opens_on: date | None
    comment_closes_on: date | None = Field(description="the last day for comments, inclusive")
    open_for_comment: bool = Field(description="comments are accepted today")
    comments: int = Field(description="comments shown (hidden ones are not counted)")
    results_published_at: datetime | None = Field(description="when the results report was published")
    is_demo: bool


class DraftPage(Out):
    items: list[DraftOut]
    count: int


class DraftDetailOut(DraftOut):
    """A published draft with both texts, their paragraphs and the results report."""

    text_kk: str
    text_ru: str
    paragraphs_kk: list[str] = Field(description="the Kazakh text's paragraphs, numbered from 1")
    paragraphs_ru: list[str] = Field(description="the Russian text's paragraphs, numbered from 1")
    explanatory_note: str
    results_text: str = Field(description="the changes made after the comments (the results report)")


class VersionOut(Out):
    """A version of a draft's texts."""

    number: int
    text_kk: str
    text_ru: str
    note: str = Field(description="what changed")
    created_at: datetime


class CommentOut(Out):
    """A public comment as the draft's page shows it (never the author's account or contacts)."""

    id: int
    draft_id: int
    status: CommentStatus
    author_name: str = Field(description="the name shown on the page; empty when hidden")
    language: Literal["kk", "ru"] = Field(description="the text commented on")
    paragraph: int | None = Field(description="the paragraph; none: the whole draft")
    text: str = Field(description="empty when hidden by a moderator")
    moderation_reason: str = Field(description="the published reason for hiding it")
    supports: int
    opposes: int
    response: Response | None = Field(description="the answer in the results report")
    response_reason: str
    created_at: datetime


class CommentPage(Out):
    items: list[CommentOut]
    count: int


class CommentIn(Schema):
    """A resident's comment on the whole draft or on one paragraph of its Kazakh or Russian text."""

    text: Text = Field(..., description="the comment (at most 5,000 characters)")
    paragraph: Paragraph | None = Field(None, description="a paragraph's number; none: the whole draft")
    language: Literal["kk", "ru"] = Field("kk", description="the text the paragraph number refers to")


class DecisionOut(Out):
    """A decision of the register with its links: amends / amended by, repeals / repealed by."""

    id: int
    body: BodyRef
    number: str
    title: Names
    adopted_on: date
    status: DecisionStatus
    is_normative: bool = Field(description="a normative legal act (registered with the justice bodies)")
    registration_number: str
    registered_on: date | None
    published_on: date | None = Field(description="first official publication")
    published_where: str
    in_force_rule: InForceRule
    in_force_on: date | None
    session_id: int
    session_number: int
    agenda_item_id: int | None
    commission: BodyRef | None = Field(description="the standing commission responsible for the item")
    amends: list[DecisionRef]
    amended_by: list[DecisionRef]
    repeals: list[DecisionRef]
    repealed_by: list[DecisionRef]
    is_demo: bool


class DecisionPage(Out):
    items: list[DecisionOut]
    count: int
    csv_path: str | None = Field(
        description="with `body`: the same rows as the register's CSV (formula-safe), same filters"
    )


class StatusChangeOut(Out):
    """A change of a decision's status."""

    at: datetime
    from_status: str
    to_status: str


class DecisionDetailOut(DecisionOut):
    """A decision with its texts and its history."""

    text_kk: str
    text_ru: str
    history: list[StatusChangeOut]


# ------------------------------------------------------------------ mapping (no queries)


def _decision_ref(d: Decision) -> DecisionRef:
    return DecisionRef(
        id=d.pk,
        number=d.number,
        title=names(d, "title"),
        adopted_on=d.adopted_on,
        status=DecisionStatus(d.status),
    )


def _counted(item: AgendaItem) -> Vote | None:
    vote = selectors.vote_of(item)
    return vote if vote is not None and vote.closed_at is not None else None


def _decision_of(item: AgendaItem) -> Decision | None:
    # a missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError
    return getattr(item, "decision", None)


def _session_fields(s: Session) -> dict[str, Any]:
    c = s.convocation
    return {
        "id": s.pk,
        "body": body_ref(s.body),
        "convocation": ConvocationOut(
            number=c.number, start_date=c.start_date, end_date=c.end_date, seats=c.seats
        ),
        "number": s.number,
        "kind": SessionKind(s.kind),
        "status": SessionStatus(s.status),
        "starts_at": s.starts_at,
        "place": s.place,
        "livestream_url": s.livestream_url,
        "convened_at": s.convened_at,
        "sequence": s.sequence,
        "cancel_reason": s.cancel_reason,
        "is_demo": s.is_demo,
    }


def _item_out(i: AgendaItem) -> AgendaItemOut:
    vote = _counted(i)
    decision = _decision_of(i)
    draft = i.draft
    return AgendaItemOut(
        id=i.pk,
        session_id=i.session_id,
        order=i.order,
        title=names(i, "title"),
        rapporteur_id=i.rapporteur_id,
        rapporteur_name=i.rapporteur_name,
        commission=body_ref(i.commission) if i.commission is not None else None,
        draft_id=draft.pk if draft is not None and draft.is_public else None,
        outcome=ItemOutcome(i.outcome),
        vote=(
            VoteSummary(
                id=vote.pk,
                method=VoteMethod(vote.method),
                result=VoteResult(vote.result),
                yes=vote.yes,
                no=vote.no,
                abstain=vote.abstain,
                absent=vote.absent,
            )
            if vote is not None
            else None
        ),
        decision=_decision_ref(decision) if decision is not None else None,
    )


def _vote_event(v: Vote) -> VoteEventOut:
    """The vote in OCD's shape. The roll comes from the ballots (prefetched); a secret ballot has none."""
    item = v.item
    session = item.session
    secret = v.method == VoteMethod.SECRET
    roll = (
        []
        if secret
        else [
            PersonVoteOut(option=VoteOption(b.option), voter_name=b.person.name, voter_id=b.person_id)
            for b in v.ballots.all()
        ]
    )
    counts = [
        VoteCountOut(option=VoteOption.YES, value=v.yes),
        VoteCountOut(option=VoteOption.NO, value=v.no),
        VoteCountOut(option=VoteOption.ABSTAIN, value=v.abstain),
        VoteCountOut(option=VoteOption.ABSENT, value=v.absent),
    ]
    return VoteEventOut(
        id=v.pk,
        identifier=f"{session.convocation.number}-{session.number}-{item.order}",
        motion_text=item.title,
        start_date=v.closed_at or session.starts_at,
        result="pass" if v.result == VoteResult.PASSED else "fail",
        organization=body_ref(session.body),
        session_id=session.pk,
        agenda_item_id=item.pk,
        counts=counts,
        votes=roll,
        extras=VoteExtrasOut(
            method=VoteMethod(v.method),
            result=VoteResult(v.result),
            quorum=v.quorum,
            elected=v.elected,
            present=v.present,
            entered_by_operator=v.entered_by_operator,
        ),
    )


def _draft_fields(d: DraftDecision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "body": body_ref(d.body),
        "title": names(d, "title"),
        "status": DraftStatus(d.status),
        "version": d.version,
        "comment_opens_on": d.comment_opens_on,
        "comment_closes_on": d.comment_closes_on,
        "open_for_comment": services.is_open_for_comment(d),
        "comments": getattr(d, "shown_comments", 0),
        "results_published_at": d.results_published_at,
        "is_demo": d.is_demo,
    }


def _version_out(v: DraftVersion) -> VersionOut:
    return VersionOut(
        number=v.number, text_kk=v.text_kk, text_ru=v.text_ru, note=v.note, created_at=v.created_at
    )


def _comment_out(c: Comment) -> CommentOut:
    """What the page shows: a hidden comment keeps only the moderator's reason."""
    hidden = c.status == CommentStatus.HIDDEN
    return CommentOut(
        id=c.pk,
        draft_id=c.draft_id,
        status=CommentStatus(c.status),
        author_name="" if hidden else c.author_name,
        language="ru" if c.language == "ru" else "kk",
        paragraph=c.paragraph,
        text="" if hidden else c.text,
        moderation_reason=c.moderation_reason if hidden else "",
        supports=getattr(c, "supports", 0),
        opposes=getattr(c, "opposes", 0),
        response=Response(c.response) if c.response else None,
        response_reason=c.response_reason if c.response else "",
        created_at=c.created_at,
    )


def _decision_fields(d: Decision) -> dict[str, Any]:
    """Body, session, item's commission and both link directions must be loaded (selectors.api_decisions)."""
    out: dict[str, list[DecisionRef]] = {"amends": [], "amended_by": [], "repeals": [], "repealed_by": []}
    for link in d.links_out.all():
        out["amends" if link.kind == LinkKind.AMENDS else "repeals"].append(_decision_ref(link.target))
    for link in d.links_in.all():
        out["amended_by" if link.kind == LinkKind.AMENDS else "repealed_by"].append(
            _decision_ref(link.source)
        )
    item = d.item
    return {
        "id": d.pk,
        "body": body_ref(d.body),
        "number": d.number,
        "title": names(d, "title"),
        "adopted_on": d.adopted_on,
        "status": DecisionStatus(d.status),
        "is_normative": d.is_normative,
        "registration_number": d.registration_number,
        "registered_on": d.registered_on,
        "published_on": d.published_on,
        "published_where": d.published_where,
        "in_force_rule": InForceRule(d.in_force_rule),
        "in_force_on": d.in_force_on,
        "session_id": d.session_id,
        "session_number": d.session.number,
        "agenda_item_id": d.item_id,
        "commission": body_ref(item.commission) if item is not None and item.commission is not None else None,
        **out,
        "is_demo": d.is_demo,
    }


# ------------------------------------------------------------------ look-ups


def _body(pk: int | None) -> Organization | None:
    """The maslikhat of a filter; raises nothing (an unknown id gives an empty page)."""
    return selectors.maslikhat_get(pk) if pk is not None else None


def _session(pk: int) -> Session:
    s = selectors.session_get(pk=pk, user=None)
    if s is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No public session with this id."))
    return s


def _draft(pk: int) -> DraftDecision:
    d = selectors.api_public_draft(pk)
    if d is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No published draft decision with this id."))
    return d


# ------------------------------------------------------------------ sessions and agenda


@router.get(
    "/proceedings/sessions",
    response={200: SessionPage, **LIST_ERRORS},
    summary="A maslikhat's sessions (convened, in progress, closed or cancelled), latest first",
)
def proceedings_sessions(request: HttpRequest, f: Query[SessionFilters]) -> SessionPage:
    body = _body(f.body)
    if f.body is not None and body is None:
        return SessionPage(items=[], count=0)
    qs = selectors.api_sessions(
        body=body,
        status=f.status or "",
        kind=f.kind or "",
        date_from=f.date_from,
        date_to=f.date_to,
    )
    items = [
        SessionOut(**_session_fields(s), agenda_items=s.item_count)  # type: ignore[attr-defined]
        for s in qs[f.offset : f.offset + f.limit]
    ]
    return SessionPage(items=items, count=qs.count())


@router.get(
    "/proceedings/sessions/{session_id}",
    response={200: SessionDetailOut, **DETAIL_ERRORS},
    summary="One session: the notice, the agenda with each item's outcome and vote, attendance, decisions",
)
def proceedings_session(request: HttpRequest, session_id: Path[Id]) -> SessionDetailOut:
    record = selectors.session_record(_session(session_id))
    s = record.session
    present = sum(1 for a in record.attendance if a.present)
    return SessionDetailOut(
        **_session_fields(s),
        agenda_items=len(record.items),
        notice=s.notice,
        attendance=AttendanceOut(
            recorded=len(record.attendance), present=present, absent=len(record.attendance) - present
        ),
        agenda=[_item_out(i) for i in record.items],
        decisions=[_decision_ref(d) for d in record.decisions],
        reschedules=[
            RescheduleOut(
                sequence=r.sequence,
                old_starts_at=r.old_starts_at,
                new_starts_at=r.new_starts_at,
                old_place=r.old_place,
                reason=r.reason,
            )
            for r in record.reschedules
        ],
    )


@router.get(
    "/proceedings/sessions/{session_id}/agenda",
    response={200: list[AgendaItemOut], **DETAIL_ERRORS},
    summary="A session's agenda items in order",
)
def proceedings_agenda(request: HttpRequest, session_id: Path[Id]) -> list[AgendaItemOut]:
    return [_item_out(i) for i in selectors.session_record(_session(session_id)).items]


@router.get(
    "/proceedings/agenda-items/{item_id}",
    response={200: AgendaItemOut, **DETAIL_ERRORS},
    summary="One agenda item: rapporteur, commission, draft, outcome, vote and decision",
)
def proceedings_agenda_item(request: HttpRequest, item_id: Path[Id]) -> AgendaItemOut:
    item = selectors.api_item_get(item_id)
    if item is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No agenda item of a public session with this id."))
    return _item_out(item)


# ------------------------------------------------------------------ votes


@router.get(
    "/proceedings/votes",
    response={200: VoteEventPage, **LIST_ERRORS},
    summary="Counted votes as Open Civic Data vote events, with the roll (none for a secret ballot)",
)
def proceedings_votes(request: HttpRequest, f: Query[VoteFilters]) -> VoteEventPage:
    body = _body(f.body)
    session = selectors.session_get(pk=f.session, user=None) if f.session is not None else None
    if (f.body is not None and body is None) or (f.session is not None and session is None):
        return VoteEventPage(items=[], count=0)
    qs = selectors.api_votes(body=body, session=session)
    return VoteEventPage(items=[_vote_event(v) for v in qs[f.offset : f.offset + f.limit]], count=qs.count())


@router.get(
    "/proceedings/votes/{vote_id}",
    response={200: VoteEventOut, **DETAIL_ERRORS},
    summary="One counted vote as an Open Civic Data vote event",
)
def proceedings_vote(request: HttpRequest, vote_id: Path[Id]) -> VoteEventOut:
    vote = selectors.api_vote_get(vote_id)
    if vote is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No counted vote with this id."))
    return _vote_event(vote)


# ------------------------------------------------------------------ drafts and comments


@router.get(
    "/proceedings/drafts",
    response={200: DraftPage, **LIST_ERRORS},
    summary="Draft decisions put to public comment: open now, and past",
)
def proceedings_drafts(request: HttpRequest, f: Query[DraftFilters]) -> DraftPage:
    body = _body(f.body)
    if f.body is not None and body is None:
        return DraftPage(items=[], count=0)
    qs = selectors.api_drafts(body=body, open_now=f.open)
    return DraftPage(
        items=[DraftOut(**_draft_fields(d)) for d in qs[f.offset : f.offset + f.limit]], count=qs.count()
    )


@router.get(
    "/proceedings/drafts/{draft_id}",
    response={200: DraftDetailOut, **DETAIL_ERRORS},
    summary="One published draft: both texts and their paragraphs, the note, the results report",
)
def proceedings_draft(request: HttpRequest, draft_id: Path[Id]) -> DraftDetailOut:
    d = _draft(draft_id)
    return DraftDetailOut(
        **_draft_fields(d),
        text_kk=d.text_kk,
        text_ru=d.text_ru,
        paragraphs_kk=services.paragraphs(d.text_kk),
        paragraphs_ru=services.paragraphs(d.text_ru),
        explanatory_note=d.explanatory_note,
        results_text=d.results_text,
    )


@router.get(
    "/proceedings/drafts/{draft_id}/versions",
    response={200: list[VersionOut], **DETAIL_ERRORS},
    summary="A draft's versions, first to last",
)
def proceedings_draft_versions(request: HttpRequest, draft_id: Path[Id]) -> list[VersionOut]:
    return [_version_out(v) for v in selectors.api_draft_versions(_draft(draft_id))]


@router.get(
    "/proceedings/drafts/{draft_id}/comments",
    response={200: CommentPage, **DETAIL_ERRORS},
    summary="A draft's comments, oldest first (a hidden one shows only the published reason)",
)
def proceedings_comments(request: HttpRequest, draft_id: Path[Id], f: Query[CommentFilters]) -> CommentPage:
    qs = selectors.api_comments(_draft(draft_id), paragraph=f.paragraph, language=f.language or "")
    return CommentPage(items=[_comment_out(c) for c in qs[f.offset : f.offset + f.limit]], count=qs.count())


@router.post(
    "/proceedings/drafts/{draft_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=RESIDENT_AUTH,
    summary=(
        "Comment on a draft open for comment, on the whole text or one paragraph (a signed-in "
        "account: bearer token or the site's session; 422 comment_period_closed after the period)"
    ),
)
def proceedings_comment_create(request: HttpRequest, draft_id: Path[Id], payload: CommentIn) -> Any:
    comment = services.comment_post(
        actor=acting_user(request),
        draft=_draft(draft_id),
        text=payload.text,
        paragraph=payload.paragraph,
        language=payload.language,
    )
    shown = selectors.api_comment(comment)
    return Status(201, _comment_out(shown if shown is not None else comment))


# ------------------------------------------------------------------ decisions


def _register_filter(f: DecisionFilters) -> selectors.RegisterFilter:
    return selectors.RegisterFilter(
        number=f.number or "",
        words=f.q or "",
        status=f.status or "",
        date_from=f.date_from,
        date_to=f.date_to,
        commission=f.commission,
    )


def _csv_path(body: Organization, f: DecisionFilters) -> str:
    query = {
        "number": f.number,
        "q": f.q,
        "status": f.status,
        "from": f.date_from.isoformat() if f.date_from else None,
        "to": f.date_to.isoformat() if f.date_to else None,
        "commission": f.commission,
    }
    given = urlencode({k: str(v) for k, v in query.items() if v})
    path = reverse("proceedings:register_csv", kwargs={"pk": body.pk})
    return f"{path}?{given}" if given else path


@router.get(
    "/proceedings/decisions",
    response={200: DecisionPage, **LIST_ERRORS},
    summary="The decisions register, latest first, with the register page's filters",
    description=(
        "Filters as on the register page: `number`, `from` / `to` (adoption date), `status`, "
        "`commission` and words of the title (`q`). With `body`, `csv_path` is the register's "
        "formula-safe CSV with the same filters (`/{lang}/proceedings/bodies/{body}/decisions.csv`)."
    ),
)
def proceedings_decisions(request: HttpRequest, f: Query[DecisionFilters]) -> DecisionPage:
    body = _body(f.body)
    if f.body is not None and body is None:
        return DecisionPage(items=[], count=0, csv_path=None)
    qs = selectors.api_decisions(body=body, f=_register_filter(f))
    return DecisionPage(
        items=[DecisionOut(**_decision_fields(d)) for d in qs[f.offset : f.offset + f.limit]],
        count=qs.count(),
        csv_path=_csv_path(body, f) if body is not None else None,
    )


@router.get(
    "/proceedings/decisions/{decision_id}",
    response={200: DecisionDetailOut, **DETAIL_ERRORS},
    summary="One decision: texts, registration, publication, entry into force, links both ways, history",
)
def proceedings_decision(request: HttpRequest, decision_id: Path[Id]) -> DecisionDetailOut:
    d = selectors.api_decision_get(decision_id)
    if d is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, _("No decision with this id."))
    return DecisionDetailOut(
        **_decision_fields(d),
        text_kk=d.text_kk,
        text_ru=d.text_ru,
        history=[
            StatusChangeOut(at=e.created_at, from_status=e.from_status, to_status=e.to_status)
            for e in d.events.all()
        ],
    )
