"""Reads of participation: lists, details, similar initiatives, results, figures' inputs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from maslikhat.directory.models import Area

from .choices import PUBLIC_STATUSES, InitiativeStatus, ProjectStatus
from .models import BudgetProcess, Implementation, Initiative, Project
from .services import phase_of

_HEAVY = (
    "area__boundary",
    "area__boundary_web",
    "body__description_kk",
    "body__description_ru",
    "body__description_en",
)
_WORD = re.compile(r"\w{3,}", re.UNICODE)


def _tokens(text: str) -> set[str]:
    """Words of 3+ letters, cut to 5 letters (a crude stem: Kazakh and Russian endings vary)."""
    return {w[:5] for w in _WORD.findall(text.lower())}


def _area_q(area: Area, prefix: str = "area") -> Q:
    """Rows of the area or of any area below it (the chain is short: up to four levels)."""
    return (
        Q(**{f"{prefix}": area})
        | Q(**{f"{prefix}__parent": area})
        | Q(**{f"{prefix}__parent__parent": area})
        | Q(**{f"{prefix}__parent__parent__parent": area})
    )


def initiative_list(
    *, area: Area | None = None, status: str | None = None, body_id: int | None = None
) -> QuerySet[Initiative]:
    qs = Initiative.objects.filter(status__in=PUBLIC_STATUSES).select_related("body", "area").defer(*_HEAVY)
    if area is not None:
        qs = qs.filter(_area_q(area))
    if status:
        qs = qs.filter(status=status)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    return qs


def initiative_get(*, pk: int) -> Initiative | None:
    return (
        Initiative.objects.filter(pk=pk, status__in=PUBLIC_STATUSES)
        .select_related("body", "area", "place_area")
        .prefetch_related("photos")
        .first()
    )


def similar_initiatives(
    *, text: str, area: Area | None, limit: int = 5, min_score: float = 0.2
) -> list[Initiative]:
    """Initiatives whose words overlap the text (Jaccard over crude stems; the same on SQLite
    and PostgreSQL). Candidates: the area's public initiatives, most recent 500."""
    words = _tokens(text or "")
    if not words:
        return []
    candidates = list(
        initiative_list(area=area).only("id", "title", "text", "status", "area_id", "body_id")[:500]
    )
    scored = []
    for i in candidates:
        other = _tokens(f"{i.title} {i.text}")
        if other:
            score = (
                len(words & other) / len(words | other) if len(words) > 2 else len(words & other) / len(words)
            )
            if score >= min_score:
                scored.append((score, i.pk, i))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    return [i for _s, _pk, i in scored[:limit]]


def overdue_initiatives(*, today: date | None = None) -> list[Initiative]:
    """Initiatives that reached the threshold and whose answer is past due."""
    today = today or timezone.localdate()
    return list(
        Initiative.objects.filter(status=InitiativeStatus.REACHED, answer_due__lt=today).select_related(
            "body"
        )
    )


def process_list(*, area: Area | None = None) -> QuerySet[BudgetProcess]:
    qs = BudgetProcess.objects.select_related("body", "area").defer(*_HEAVY)
    if area is not None:
        qs = qs.filter(_area_q(area))
    return qs


def process_get(*, pk: int) -> BudgetProcess | None:
    """One process, without its area's boundary (read again only by a page that draws it: a
    ballot never does)."""
    return BudgetProcess.objects.select_related("body", "area").defer(*_HEAVY).filter(pk=pk).first()


def project_list(*, process: BudgetProcess, admitted_only: bool = False) -> QuerySet[Project]:
    qs = process.projects.all()
    if admitted_only:
        qs = qs.filter(status=ProjectStatus.FEASIBLE)
    return qs


@dataclass(frozen=True)
class Results:
    process: BudgetProcess
    projects: list[Project]
    winners: list[Project]
    voters: int
    turnout_pct: float | None
    spent: int
    share_pct: float | None
    below_min_share: bool


def results(*, process: BudgetProcess) -> Results | None:
    """The tallied results: every admitted project's votes, the winners, turnout; None before."""
    if process.tallied_at is None:
        return None
    projects = list(process.projects.filter(status=ProjectStatus.FEASIBLE).order_by("-votes", "id"))
    winners = [p for p in projects if p.is_winner]
    spent = sum(p.price for p in winners)
    adults = process.adult_population
    turnout = round(100 * process.voters / adults, 2) if adults else None
    share = round(100 * process.total_amount / process.local_budget, 3) if process.local_budget else None
    below = share is not None and process.min_share_pct is not None and share < float(process.min_share_pct)
    return Results(process, projects, winners, process.voters, turnout, spent, share, below)


def process_phase(process: BudgetProcess, on: date | None = None) -> str:
    return phase_of(process, on)


def implementation_list(*, area: Area | None = None) -> QuerySet[Implementation]:
    qs = Implementation.objects.select_related("initiative", "project__process", "responsible")
    if area is not None:
        qs = qs.filter(_area_q(area, "initiative__area") | _area_q(area, "project__process__area"))
    return qs.order_by("-updated_at", "-id")


def implementation_get(*, pk: int) -> Implementation | None:
    return (
        Implementation.objects.select_related("initiative", "project__process", "responsible")
        .prefetch_related("updates")
        .filter(pk=pk)
        .first()
    )


def initiative_for_staff(*, pk: int) -> Initiative | None:
    """Any initiative (also one awaiting moderation): for its staff and for the actions."""
    return Initiative.objects.select_related("body__area", "area").filter(pk=pk).first()


def has_supported(*, user: Any, initiative: Initiative) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return initiative.support_rows.filter(user=user).exists()


def ballot_choice(*, user: Any, process: BudgetProcess) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    from .models import Ballot

    through = Ballot.projects.through
    return set(
        through.objects.filter(ballot__process=process, ballot__user=user).values_list(
            "project_id", flat=True
        )
    )


def implementation_of_initiative(*, initiative: Initiative) -> Implementation | None:
    return Implementation.objects.filter(initiative=initiative).first()


# ------------------------------------------------------------------ page sections

SECTION_ROWS = 5
# Phases in which a process is "in progress" (shown on the directory's pages).
RUNNING_PHASES = ("applications", "review", "revision", "second_review", "voting", "tally")


@dataclass(frozen=True)
class RunningProcess:
    process: BudgetProcess
    phase: str
    phase_label: str


def open_initiatives(
    *, body_id: int | None = None, area: Area | None = None, limit: int = SECTION_ROWS
) -> list[Initiative]:
    """Initiatives collecting support today (the newest first): one query."""
    today = timezone.localdate()
    qs = Initiative.objects.filter(status=InitiativeStatus.COLLECTING).filter(
        Q(support_until__isnull=True) | Q(support_until__gte=today)
    )
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if area is not None:
        qs = qs.filter(_area_q(area))
    return list(
        qs.only(
            "id",
            "title",
            "threshold",
            "online_supports",
            "paper_supports",
            "support_until",
            "is_demo",
            "status",
        ).order_by("support_until", "-id")[:limit]
    )


def running_processes(
    *, body_id: int | None = None, area: Area | None = None, limit: int = SECTION_ROWS
) -> list[RunningProcess]:
    """Budget processes in progress today (applications open up to the tally), each with its
    phase: one query. For an area: its own and those below it, and the one of the area above
    (a settlement's residents vote in their district's process)."""
    from .choices import Phase

    today = timezone.localdate()
    qs = BudgetProcess.objects.filter(applications_from__lte=today, tallied_at__isnull=True)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if area is not None:
        q = _area_q(area)
        if area.parent_id is not None:
            q |= Q(area_id=area.parent_id)
        qs = qs.filter(q)
    rows = qs.only(*_PROCESS_COLUMNS).order_by("voting_from", "id")[:limit]
    found = []
    for p in rows:
        phase = phase_of(p, today)
        if phase in RUNNING_PHASES:
            found.append(RunningProcess(p, phase, str(Phase(phase).label)))
    return found


_PROCESS_COLUMNS = (
    "id",
    "title",
    "is_demo",
    "tallied_at",
    "applications_from",
    "applications_until",
    "review_until",
    "revision_until",
    "second_review_until",
    "voting_from",
    "voting_until",
    "tally_until",
)


# ------------------------------------------------------------------ agenda items (proceedings)

AGENDA_CHOICES = 60


def agenda_item_choices(*, body_id: int, limit: int = AGENDA_CHOICES) -> list[Any]:
    """The agenda items of the maslikhat's latest sessions (the answer form's choice): one query."""
    from maslikhat.proceedings.models import AgendaItem

    return list(
        AgendaItem.objects.filter(session__body_id=body_id)
        .select_related("session__convocation")
        .order_by("-session__starts_at", "-session_id", "order")[:limit]
    )


def initiative_agenda_item(*, initiative: Initiative) -> Any:
    """The agenda item carrying out the initiative, with its session, or None: one query."""
    from maslikhat.proceedings.models import AgendaItem

    if initiative.agenda_item_id is None:
        return None
    return (
        AgendaItem.objects.select_related("session__convocation").filter(pk=initiative.agenda_item_id).first()
    )


# ------------------------------------------------------------------ the in-person screen


def find_account(*, query: str) -> Any:
    """The active account whose user name or email is exactly `query` (case aside), or None.
    Exact matches only: the screen lists nobody else."""
    from django.contrib.auth import get_user_model

    text = (query or "").strip()
    if not text or len(text) > 254 or "\x00" in text:
        return None
    User = get_user_model()
    found = list(User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text), is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def account_get(*, pk: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk, is_active=True).first()
