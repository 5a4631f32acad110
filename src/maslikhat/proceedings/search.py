"""What the proceedings put in the public search (see maslikhat.core.search): sessions once
convened (their agenda), the register of decisions, and drafts once published for comment
(not those in preparation). Comments are not indexed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import (
    LANGUAGES,
    Document,
    SearchProvider,
    localized_documents,
    translated,
    url_for,
    url_in,
)

from .choices import PUBLIC_DRAFT_STATUSES, PUBLIC_SESSION_STATUSES
from .models import AgendaItem, Decision, DraftDecision, Session


def _only(qs: Any, pks: Iterable[int] | None) -> Any:
    return qs if pks is None else qs.filter(pk__in=list(pks))


def session_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    sessions = _only(Session.objects.filter(status__in=PUBLIC_SESSION_STATUSES), pks).select_related("body")
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
        body = session.body
        for language in LANGUAGES:
            name = getattr(body, f"name_{language}", "") or body.name_kk
            title = translated(language, lambda s=session: _("Session %(number)s") % {"number": s.number})
            agenda_text = "\n".join(
                getattr(i, f"title_{language}", "") or i.title_kk for i in items.get(session.pk, [])
            )
            yield Document(
                pk=session.pk,
                language=language,
                title=f"{title} · {name}",
                body="\n".join(t for t in [agenda_text, session.place, session.notice] if t),
                url=url_in(language, "proceedings:session", session.pk),
                area_id=body.area_id,
                body_id=body.pk,
                date=session.starts_at,
                weight=1.0,
            )


def _decision_text(decision: Decision, language: str) -> str:
    return f"{decision.number}\n" + (getattr(decision, f"text_{language}", "") or "")


def _draft_text(draft: DraftDecision, language: str) -> str:
    note = draft.explanatory_note if language != "en" else ""
    return "\n".join(t for t in [getattr(draft, f"text_{language}", ""), note] if t)


def decision_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = _only(Decision.objects.all(), pks).select_related("body")
    for decision in qs.order_by("id").iterator(chunk_size=1000):
        yield from localized_documents(
            decision,
            title="title",
            body=partial(_decision_text, decision),
            url=url_for("proceedings:decision", decision.pk),
            key=decision.number,
            area_id=decision.body.area_id,
            body_id=decision.body_id,
            date=decision.adopted_on,
            weight=1.2,
        )


def draft_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = _only(DraftDecision.objects.filter(status__in=PUBLIC_DRAFT_STATUSES), pks).select_related("body")
    for draft in qs.order_by("id").iterator(chunk_size=500):
        yield from localized_documents(
            draft,
            title="title",
            body=partial(_draft_text, draft),
            url=url_for("proceedings:draft", draft.pk),
            area_id=draft.body.area_id,
            body_id=draft.body_id,
            date=draft.comment_opens_on,
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
