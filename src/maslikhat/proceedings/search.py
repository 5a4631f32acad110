"""What the proceedings put in the public search (see maslikhat.core.search): sessions once
convened (their agenda), the register of decisions, and drafts once published for comment
(not those in preparation). Comments are not indexed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, each, localized_documents, only, translated

from .choices import PUBLIC_DRAFT_STATUSES, PUBLIC_SESSION_STATUSES
from .models import AgendaItem, Decision, DraftDecision, Session

# The body's area and the body of a session, a decision or a draft.
OF_BODY: dict[str, Any] = {"area": "body.area_id", "organization": "body_id"}


def session_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    sessions = only(Session.objects.filter(status__in=PUBLIC_SESSION_STATUSES), pks).select_related("body")
    sessions = list(sessions.order_by("id"))
    items: dict[int, list[AgendaItem]] = {}
    agenda = (
        AgendaItem.objects.filter(session__in=[s.pk for s in sessions])
        if pks is not None
        else (AgendaItem.objects.filter(session__status__in=PUBLIC_SESSION_STATUSES))
    )
    for item in agenda.order_by("session_id", "order"):
        items.setdefault(item.session_id, []).append(item)
    for session in sessions:

        def title(language: str, session: Session = session) -> str:
            name = getattr(session.body, f"name_{language}", "") or session.body.name_kk
            number = translated(language, lambda: _("Session %(number)s") % {"number": session.number})
            return f"{number} · {name}"

        def text(language: str, session: Session = session) -> str:
            agenda = "\n".join(
                getattr(i, f"title_{language}", "") or i.title_kk for i in items.get(session.pk, [])
            )
            return "\n".join(t for t in [agenda, session.place, session.notice] if t)

        yield from localized_documents(
            session, title=title, body=text, url="proceedings:session", **OF_BODY, date="starts_at"
        )


def _decision_text(decision: Decision, language: str) -> str:
    return f"{decision.number}\n" + (getattr(decision, f"text_{language}", "") or "")


def _draft_text(draft: DraftDecision, language: str) -> str:
    note = draft.explanatory_note if language != "en" else ""
    return "\n".join(t for t in [getattr(draft, f"text_{language}", ""), note] if t)


def decision_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    for decision in each(Decision.objects.select_related("body"), pks):
        yield from localized_documents(
            decision,
            title="title",
            body=partial(_decision_text, decision),
            url="proceedings:decision",
            key="number",
            **OF_BODY,
            date="adopted_on",
            weight=1.2,
        )


def draft_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = DraftDecision.objects.filter(status__in=PUBLIC_DRAFT_STATUSES).select_related("body")
    for draft in each(qs, pks, chunk_size=500):
        yield from localized_documents(
            draft,
            title="title",
            body=partial(_draft_text, draft),
            url="proceedings:draft",
            **OF_BODY,
            date="comment_opens_on",
            weight=1.1,
        )


def _session_of(item: AgendaItem) -> list[int]:
    return [item.session_id]


PROVIDERS = [
    SearchProvider(
        kind="session",
        label=_("Sessions"),
        documents=session_documents,
        watch={"proceedings.Session": None, "proceedings.AgendaItem": _session_of},
        order=70,
    ),
    SearchProvider(
        kind="decision",
        label=_("Decisions"),
        documents=decision_documents,
        watch={"proceedings.Decision": None},
        order=72,
    ),
    SearchProvider(
        kind="draft",
        label=_("Draft decisions"),
        documents=draft_documents,
        watch={"proceedings.DraftDecision": None},
        order=74,
    ),
]
