"""What the proceedings add to the follows' digests (see maslikhat.core.digests), for the
maslikhats an area, body or deputy follow covers: sessions convened in the period (the notice
published), drafts whose public comment period opened in it (and, on the follows page, the
drafts open for comment now), and decisions entered in the register in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maslikhat.core.digests import (
    AREA,
    BODY,
    DEPUTY,
    DIGEST_LIMIT,
    DigestItem,
    DigestScope,
    DigestSource,
    counted,
    in_days,
    in_period,
)

from .choices import PUBLIC_DRAFT_STATUSES, PUBLIC_SESSION_STATUSES, DraftStatus, SessionStatus
from .models import Decision, DraftDecision, Session
from .services import is_open_for_comment

KINDS = frozenset({AREA, BODY, DEPUTY})


def _heavy(prefix: str = "body") -> tuple[str, ...]:
    return tuple(f"{prefix}__description_{lang}" for lang in ("kk", "ru", "en"))


def sessions(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = (
        Session.objects.filter(
            body_id__in=scope.body_ids,
            status__in=PUBLIC_SESSION_STATUSES,
            **in_period("convened_at", since, until),
        )
        .select_related("convocation", "body")
        .defer(*_heavy())
        .order_by("starts_at", "id")
    )
    return counted(qs)


def session_item(s: Session) -> DigestItem:
    title = gettext("Session %(number)s, convocation %(convocation)s") % {
        "number": s.number,
        "convocation": s.convocation.number,
    }
    detail = ", ".join(x for x in (s.body.name, s.get_kind_display(), s.place) if x)
    if s.status == SessionStatus.CANCELLED:
        detail = f"{detail} ({s.get_status_display()})"
    return DigestItem(
        title=title,
        url=reverse("proceedings:session", kwargs={"pk": s.pk}),
        date=timezone.localtime(s.starts_at),
        detail=detail,
    )


def drafts(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = (
        DraftDecision.objects.filter(
            body_id__in=scope.body_ids,
            status__in=PUBLIC_DRAFT_STATUSES,
            **in_days("comment_opens_on", since, until),
        )
        .select_related("body")
        .defer("text_kk", "text_ru", "explanatory_note", "results_text", *_heavy())
        .order_by("comment_closes_on", "id")
    )
    return counted(qs)


def drafts_open_now(scope: DigestScope) -> list[Any]:
    """The drafts open for comment today (one query)."""
    if not scope.body_ids:
        return []
    today = timezone.localdate()
    qs = (
        DraftDecision.objects.filter(
            body_id__in=scope.body_ids,
            status=DraftStatus.OPEN,
            comment_opens_on__lte=today,
            comment_closes_on__gte=today,
        )
        .select_related("body")
        .defer("text_kk", "text_ru", "explanatory_note", "results_text", *_heavy())
        .order_by("comment_closes_on", "id")
    )
    return [d for d in qs[:DIGEST_LIMIT] if is_open_for_comment(d, today)]


def draft_item(d: DraftDecision) -> DigestItem:
    until = d.comment_closes_on
    detail = d.body.name
    if until is not None:
        day = date_format(until, "DATE_FORMAT")
        detail = f"{detail}, " + gettext("comments until %(day)s") % {"day": day}
    return DigestItem(
        title=d.title,
        url=reverse("proceedings:draft", kwargs={"pk": d.pk}),
        date=d.comment_opens_on,
        detail=detail,
    )


def decisions(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = (
        Decision.objects.filter(body_id__in=scope.body_ids, **in_period("created_at", since, until))
        .select_related("body")
        .defer("text_kk", "text_ru", *_heavy())
        .order_by("-adopted_on", "-seq")
    )
    return counted(qs)


def decision_item(d: Decision) -> DigestItem:
    return DigestItem(
        title=f"№{d.number} {d.title}",
        url=reverse("proceedings:decision", kwargs={"pk": d.pk}),
        date=d.adopted_on,
        detail=d.body.name,
    )


SOURCES = (
    DigestSource(
        name="proceedings.sessions",
        label=_("Sessions convened"),
        kinds=KINDS,
        read=sessions,
        item=session_item,
        order=40,
    ),
    DigestSource(
        name="proceedings.drafts",
        label=_("Draft decisions opened for public comment"),
        kinds=KINDS,
        read=drafts,
        item=draft_item,
        order=41,
        open_now=drafts_open_now,
        open_label=_("Draft decisions open for public comment now"),
    ),
    DigestSource(
        name="proceedings.decisions",
        label=_("Decisions adopted"),
        kinds=KINDS,
        read=decisions,
        item=decision_item,
        order=42,
    ),
)
