"""Reads for the proceedings pages, feeds and API: each owns its joins and prefetches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization, Person

from .choices import (
    PUBLIC_DRAFT_STATUSES,
    PUBLIC_SESSION_STATUSES,
    CommentStatus,
    DecisionStatus,
    DraftStatus,
)
from .models import (
    AgendaItem,
    Attendance,
    Comment,
    Decision,
    DecisionLink,
    DraftDecision,
    PersonVote,
    Session,
    Vote,
)
from .permissions import can_manage_proceedings
from .services import deputies_in_office, is_open_for_comment, paragraphs

MAX_QUERY = 200


def maslikhat_get(pk: Any) -> Organization | None:
    try:
        return Organization.objects.filter(kind__in=MASLIKHAT_KINDS).select_related("area").get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, Organization.DoesNotExist):
        return None


def _int(value: Any) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return n if 0 < n < 2**31 else None


def sessions_of(*, body: Organization, user: Any) -> QuerySet[Session]:
    qs = Session.objects.filter(body=body).select_related("convocation")
    if not can_manage_proceedings(user, body):
        qs = qs.filter(status__in=PUBLIC_SESSION_STATUSES)
    return qs


def session_split(*, body: Organization, user: Any) -> tuple[list[Session], list[Session]]:
    """Upcoming (soonest first) and past (latest first) sessions."""
    now = timezone.now()
    qs = sessions_of(body=body, user=user)
    upcoming = list(qs.filter(starts_at__gte=now).order_by("starts_at")[:50])
    past = list(qs.filter(starts_at__lt=now).order_by("-starts_at")[:100])
    return upcoming, past


def public_sessions(*, body: Organization | None = None) -> QuerySet[Session]:
    qs = Session.objects.filter(status__in=PUBLIC_SESSION_STATUSES).select_related("convocation", "body")
    return qs.filter(body=body) if body is not None else qs


def session_get(*, pk: Any, user: Any) -> Session | None:
    n = _int(pk)
    if n is None:
        return None
    session = Session.objects.select_related("convocation", "body").filter(pk=n).first()
    if session is None or not (session.is_public or can_manage_proceedings(user, session.body)):
        return None
    return session


@dataclass
class SessionRecord:
    session: Session
    items: list[AgendaItem]
    attendance: list[Any]
    decisions: list[Decision]
    reschedules: list[Any]


def session_record(session: Session) -> SessionRecord:
    """The session page: agenda with each vote and its roll, attendance, decisions (fixed queries)."""
    ballots = PersonVote.objects.select_related("person").order_by("person__sort_name", "person_id")
    related = ("rapporteur", "commission", "draft", "vote", "decision")
    items = list(
        session.items.select_related(*related).prefetch_related(Prefetch("vote__ballots", queryset=ballots))
    )
    attendance = list(session.attendance.select_related("person").order_by("-present", "person__sort_name"))
    decisions = list(session.decisions.order_by("seq"))
    return SessionRecord(session, items, attendance, decisions, list(session.reschedules.all()))


def vote_of(item: AgendaItem) -> Vote | None:
    try:
        return item.vote
    except Vote.DoesNotExist:
        return None


@dataclass(frozen=True)
class RegisterFilter:
    number: str = ""
    words: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    commission: int | None = None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def register_filter(params: Any) -> RegisterFilter:
    """The register's filters from query parameters (anything odd is ignored)."""

    def text(name: str) -> str:
        return str(params.get(name, "") or "").replace("\x00", "").strip()[:MAX_QUERY]

    status = text("status")
    return RegisterFilter(
        number=text("number"),
        words=text("q"),
        status=status if status in DecisionStatus.values else "",
        date_from=_date(params.get("from")),
        date_to=_date(params.get("to")),
        commission=_int(params.get("commission")),
    )


def register(*, body: Organization | None, f: RegisterFilter) -> QuerySet[Decision]:
    qs = Decision.objects.select_related("session", "convocation")
    if body is not None:
        qs = qs.filter(body=body)
    if f.number:
        qs = qs.filter(number__icontains=f.number)
    if f.words:
        for word in f.words.split()[:8]:
            words = Q(title_kk__icontains=word) | Q(title_ru__icontains=word) | Q(title_en__icontains=word)
            qs = qs.filter(words)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.date_from:
        qs = qs.filter(adopted_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(adopted_on__lte=f.date_to)
    if f.commission:
        qs = qs.filter(item__commission_id=f.commission)
    return qs.order_by("-adopted_on", "-seq")


def decision_get(pk: Any) -> Decision | None:
    n = _int(pk)
    if n is None:
        return None
    return (
        Decision.objects.select_related("body", "session__convocation", "item__vote")
        .prefetch_related(
            Prefetch("links_out", queryset=DecisionLink.objects.select_related("target")),
            Prefetch("links_in", queryset=DecisionLink.objects.select_related("source")),
            "events",
        )
        .filter(pk=n)
        .first()
    )


def draft_get(*, pk: Any, user: Any) -> DraftDecision | None:
    n = _int(pk)
    if n is None:
        return None
    draft = DraftDecision.objects.select_related("body").filter(pk=n).first()
    if draft is None or not (draft.is_public or can_manage_proceedings(user, draft.body)):
        return None
    return draft


def comment_get(pk: Any) -> Comment | None:
    n = _int(pk)
    return Comment.objects.select_related("draft__body").filter(pk=n).first() if n else None


@dataclass
class Paragraph:
    number: int
    text: str
    comments: list[Comment]


def draft_comments(draft: DraftDecision) -> list[Comment]:
    return list(
        draft.comments.annotate(
            supports=Count("stances", filter=Q(stances__stance="support")),
            opposes=Count("stances", filter=Q(stances__stance="oppose")),
        ).order_by("created_at", "id")
    )


def draft_paragraphs(draft: DraftDecision, language: str, comments: list[Comment]) -> list[Paragraph]:
    text = draft.text_ru if language == "ru" else draft.text_kk
    lang = "ru" if language == "ru" else "kk"
    return [
        Paragraph(i, p, [c for c in comments if c.paragraph == i and c.language == lang])
        for i, p in enumerate(paragraphs(text), start=1)
    ]


def open_drafts(*, body: Organization | None = None) -> list[DraftDecision]:
    today = timezone.localdate()
    qs = DraftDecision.objects.filter(
        status=DraftStatus.OPEN, comment_opens_on__lte=today, comment_closes_on__gte=today
    ).select_related("body")
    if body is not None:
        qs = qs.filter(body=body)
    return [d for d in qs.order_by("comment_closes_on", "id")[:50] if is_open_for_comment(d, today)]


def public_drafts(*, body: Organization | None = None) -> QuerySet[DraftDecision]:
    qs = DraftDecision.objects.filter(status__in=PUBLIC_DRAFT_STATUSES).select_related("body")
    return qs.filter(body=body) if body is not None else qs


def shown_comment_count(draft: DraftDecision) -> int:
    return draft.comments.filter(status=CommentStatus.SHOWN).count()


@dataclass
class DeputyRecord:
    sessions: int
    present: int
    votes: list[PersonVote]


def deputy_record(person: Person, *, limit: int = 20) -> DeputyRecord:
    """A deputy's attendance (sessions recorded, present) and latest votes (two queries)."""
    counts = Attendance.objects.filter(person=person).aggregate(
        n=Count("id"), present=Count("id", filter=Q(present=True))
    )
    votes = list(
        PersonVote.objects.filter(person=person)
        .select_related("vote__item__session__body", "vote__item__decision")
        .order_by("-vote__item__session__starts_at", "-vote__item__order")[:limit]
    )
    return DeputyRecord(counts["n"], counts["present"], votes)


def commissions_of(body: Organization) -> list[Organization]:
    return list(body.children.filter(kind=OrganizationKind.STANDING_COMMISSION).order_by("name_kk"))


def deputies_of(session: Session) -> list[Person]:
    """The deputies in office on the session's day, in name order."""
    ids = deputies_in_office(session.body_id, timezone.localtime(session.starts_at).date())
    return list(Person.objects.filter(pk__in=ids).order_by("sort_name", "id"))


# ---------------------------------------------------------------- the API's reads (api/proceedings.py)


def _ballots() -> QuerySet[PersonVote]:
    return PersonVote.objects.select_related("person").order_by("person__sort_name", "person_id")


def api_sessions(
    *,
    body: Organization | None = None,
    status: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Session]:
    """Public sessions (never a planned one), latest first, with their number of agenda items."""
    qs = public_sessions(body=body).annotate(item_count=Count("items"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(starts_at__date__lte=date_to)
    return qs.order_by("-starts_at", "-id")


def api_item_get(pk: Any) -> AgendaItem | None:
    """One agenda item of a public session, with its vote, the roll and the decision."""
    n = _int(pk)
    if n is None:
        return None
    return (
        AgendaItem.objects.filter(pk=n, session__status__in=PUBLIC_SESSION_STATUSES)
        .select_related("session__body", "session__convocation", "commission", "draft", "vote", "decision")
        .prefetch_related(Prefetch("vote__ballots", queryset=_ballots()))
        .first()
    )


def api_votes(*, body: Organization | None = None, session: Session | None = None) -> QuerySet[Vote]:
    """Counted votes of public sessions, latest session first, with the roll (three queries a page)."""
    qs = Vote.objects.filter(
        closed_at__isnull=False, item__session__status__in=PUBLIC_SESSION_STATUSES
    ).select_related("item__session__body", "item__session__convocation")
    if body is not None:
        qs = qs.filter(item__session__body=body)
    if session is not None:
        qs = qs.filter(item__session=session)
    qs = qs.prefetch_related(Prefetch("ballots", queryset=_ballots()))
    return qs.order_by("-item__session__starts_at", "item__session_id", "item__order", "id")


def api_drafts(*, body: Organization | None = None, open_now: bool | None = None) -> QuerySet[DraftDecision]:
    """Published drafts with their number of shown comments; `open_now`: open for comment today
    (True) or not (False: the period is over, or has not begun)."""
    today = timezone.localdate()
    qs = public_drafts(body=body).annotate(
        shown_comments=Count("comments", filter=Q(comments__status=CommentStatus.SHOWN))
    )
    is_open = Q(status=DraftStatus.OPEN, comment_opens_on__lte=today, comment_closes_on__gte=today)
    if open_now is True:
        qs = qs.filter(is_open)
    elif open_now is False:
        qs = qs.exclude(is_open)
    return qs.order_by("-comment_opens_on", "-id")


def api_public_draft(pk: Any) -> DraftDecision | None:
    """A published draft (never one in preparation) with its number of shown comments."""
    n = _int(pk)
    if n is None:
        return None
    return api_drafts().filter(pk=n).first()


def api_draft_versions(draft: DraftDecision) -> list[Any]:
    return list(draft.versions.order_by("number"))


def api_comments(
    draft: DraftDecision, *, paragraph: int | None = None, language: str = ""
) -> QuerySet[Comment]:
    """A draft's comments, hidden ones included (their reason is public), with support counts."""
    qs = draft.comments.annotate(
        supports=Count("stances", filter=Q(stances__stance="support")),
        opposes=Count("stances", filter=Q(stances__stance="oppose")),
    )
    if paragraph is not None:
        qs = qs.filter(paragraph=paragraph)
    if language:
        qs = qs.filter(language=language)
    return qs.order_by("created_at", "id")


def api_comment(comment: Comment) -> Comment | None:
    """One comment as the list shows it (with its support counts)."""
    return api_comments(comment.draft).filter(pk=comment.pk).first()


def _with_links(qs: QuerySet[Decision]) -> QuerySet[Decision]:
    return qs.select_related("body", "session", "item__commission").prefetch_related(
        Prefetch("links_out", queryset=DecisionLink.objects.select_related("target").order_by("id")),
        Prefetch("links_in", queryset=DecisionLink.objects.select_related("source").order_by("id")),
    )


def api_decisions(*, body: Organization | None, f: RegisterFilter) -> QuerySet[Decision]:
    """The register with the page's filters, each decision with its links both ways."""
    return _with_links(register(body=body, f=f))


def api_decision_get(pk: Any) -> Decision | None:
    n = _int(pk)
    if n is None:
        return None
    return _with_links(Decision.objects.filter(pk=n)).prefetch_related("events").first()


def api_vote_get(pk: Any) -> Vote | None:
    """One counted vote of a public session, with the roll."""
    n = _int(pk)
    return api_votes().filter(pk=n).first() if n is not None else None


# ---------------------------------------------------------------- standing commissions (helper G)


def commission_get(pk: Any) -> Organization | None:
    """A standing commission of a maslikhat, with its parent."""
    n = _int(pk)
    if n is None:
        return None
    return (
        Organization.objects.filter(
            kind=OrganizationKind.STANDING_COMMISSION, parent__kind__in=MASLIKHAT_KINDS, pk=n
        )
        .select_related("parent")
        .first()
    )


def commission_meetings(*, commission: Organization, limit: int = 100) -> list[Any]:
    from .models import CommissionMeeting

    return list(CommissionMeeting.objects.filter(commission=commission).order_by("-starts_at", "-id")[:limit])


def upcoming_commission_meetings(*, body: Organization, limit: int = 20) -> list[Any]:
    """The maslikhat's commissions' meetings from today on, soonest first (one query)."""
    from datetime import timedelta

    from .models import CommissionMeeting

    start = timezone.now() - timedelta(hours=12)
    return list(
        CommissionMeeting.objects.filter(body=body, starts_at__gte=start)
        .select_related("commission")
        .order_by("starts_at", "id")[:limit]
    )


def commission_meeting_get(pk: Any) -> Any:
    """One meeting with its commission, maslikhat, prepared items and attendance."""
    from .models import CommissionAttendance, CommissionMeeting

    n = _int(pk)
    if n is None:
        return None
    people = CommissionAttendance.objects.select_related("person").order_by("-present", "person__sort_name")
    return (
        CommissionMeeting.objects.select_related("commission", "body")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("session").order_by("session__starts_at", "order"),
            ),
            Prefetch("attendance", queryset=people),
        )
        .filter(pk=n)
        .first()
    )


def commission_members_of(meeting: Any) -> list[Person]:
    from .services import commission_members

    ids = commission_members(meeting.commission_id, timezone.localtime(meeting.starts_at).date())
    return list(Person.objects.filter(pk__in=ids).order_by("sort_name", "id"))


def open_agenda_items(body: Organization) -> list[AgendaItem]:
    """Agenda items of the maslikhat's sessions not yet held (what a commission prepares)."""
    return list(
        AgendaItem.objects.filter(session__body=body, session__status__in=("planned", "convened"))
        .select_related("session")
        .order_by("session__starts_at", "order")[:200]
    )


# ---------------------------------------------------------------- public hearings (helper G)


def hearings_of(*, body: Organization, limit: int = 50) -> list[Any]:
    """The maslikhat's hearings, latest first, with their number of registered speakers."""
    from .models import PublicHearing

    return list(
        PublicHearing.objects.filter(body=body)
        .annotate(speakers=Count("registrations"))
        .order_by("-starts_at", "-id")[:limit]
    )


def hearing_get(pk: Any) -> Any:
    from .models import PublicHearing

    n = _int(pk)
    if n is None:
        return None
    return PublicHearing.objects.select_related("body", "draft").filter(pk=n).first()


def hearing_registrations(hearing: Any) -> list[Any]:
    return list(hearing.registrations.order_by("created_at", "id"))


def body_hearings_for_calendar(*, body: Organization, limit: int = 100) -> list[Any]:
    from .models import PublicHearing

    return list(PublicHearing.objects.filter(body=body).select_related("body").order_by("-starts_at")[:limit])


# ---------------------------------------------------------------- the akim's reports (helper G)

# An akim's report on the plan, programme or budget rejected this many times in a convocation
# gives the maslikhat grounds for a vote of no confidence.
REJECTIONS_FOR_NO_CONFIDENCE = 2


def no_confidence_grounds(*, body: Organization, convocation: Any = None) -> list[AgendaItem]:
    """The akim's reports rejected in the convocation (the body's latest one by default) when
    there are at least two of them, else []: the one reader behind the maslikhat's proceedings
    page and the staff agenda form."""
    from .choices import ItemKind, ItemOutcome
    from .models import Convocation

    conv = convocation or Convocation.objects.filter(body=body).order_by("-number").first()
    if conv is None:
        return []
    rejected = list(
        AgendaItem.objects.filter(
            session__convocation=conv, kind=ItemKind.AKIM_REPORT, outcome=ItemOutcome.REJECTED
        )
        .select_related("session")
        .order_by("session__starts_at", "order")
    )
    return rejected if len(rejected) >= REJECTIONS_FOR_NO_CONFIDENCE else []


@dataclass
class LateMaterials:
    item: AgendaItem
    deadline: date


def late_materials(session: Session, items: list[AgendaItem]) -> list[LateMaterials]:
    """The session's akim's reports and budget items whose report and draft reached the
    commissions less than the body's lead time (21 days by default) before it."""
    from .services import materials_deadline, materials_late, rules_for

    lead = rules_for(session.body).report_lead_days
    deadline = materials_deadline(session, lead)
    return [LateMaterials(i, deadline) for i in items if materials_late(i, session, lead)]
