"""What participation adds to the follows' digests (see maslikhat.core.digests), for the
maslikhats an area, body or deputy follow covers: local initiatives opened for support and
answered in the period, participatory budgets whose voting opened and whose results were tallied
in it; on the follows page, the initiatives collecting support and the budget votes open now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
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

from .choices import ANSWER_STATUSES, InitiativeStatus
from .models import BudgetProcess, Initiative

KINDS = frozenset({AREA, BODY, DEPUTY})
_HEAVY = ("area__boundary", "area__boundary_web", *(f"body__description_{x}" for x in ("kk", "ru", "en")))


def _initiatives(scope: DigestScope) -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(body_id__in=scope.body_ids)
        .select_related("body")
        .defer("text", "answer_text", *(f"body__description_{x}" for x in ("kk", "ru", "en")))
    )


def initiatives_opened(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = _initiatives(scope).exclude(status__in=(InitiativeStatus.SUBMITTED, InitiativeStatus.REFUSED))
    return counted(qs.filter(**in_days("support_from", since, until)).order_by("support_from", "id"))


def initiatives_collecting_now(scope: DigestScope) -> list[Any]:
    if not scope.body_ids:
        return []
    qs = _initiatives(scope).filter(
        status=InitiativeStatus.COLLECTING, support_until__gte=timezone.localdate()
    )
    return list(qs.order_by("support_until", "id")[:DIGEST_LIMIT])


def initiative_opened_item(i: Initiative) -> DigestItem:
    detail = i.body.name
    if i.support_until is not None:
        detail += ", " + gettext("support until %(day)s (%(n)s supports needed)") % {
            "day": date_format(i.support_until, "DATE_FORMAT"),
            "n": i.threshold or "—",
        }
    return DigestItem(
        title=i.title,
        url=reverse("participation:initiative", kwargs={"pk": i.pk}),
        date=i.support_from,
        detail=detail,
    )


def initiatives_answered(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = _initiatives(scope).filter(status__in=ANSWER_STATUSES, **in_days("answered_on", since, until))
    return counted(qs.order_by("-answered_on", "-id"))


def initiative_answered_item(i: Initiative) -> DigestItem:
    return DigestItem(
        title=i.title,
        url=reverse("participation:initiative", kwargs={"pk": i.pk}),
        date=i.answered_on,
        detail=f"{i.body.name}: {i.get_status_display()}",
    )


def _processes(scope: DigestScope) -> QuerySet[BudgetProcess]:
    return (
        BudgetProcess.objects.filter(body_id__in=scope.body_ids).select_related("body", "area").defer(*_HEAVY)
    )


def budgets_voting(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = _processes(scope).filter(**in_days("voting_from", since, until))
    return counted(qs.order_by("voting_until", "id"))


def budgets_voting_now(scope: DigestScope) -> list[Any]:
    if not scope.body_ids:
        return []
    today = timezone.localdate()
    qs = _processes(scope).filter(voting_from__lte=today, voting_until__gte=today, tallied_at__isnull=True)
    return list(qs.order_by("voting_until", "id")[:DIGEST_LIMIT])


def budget_voting_item(p: BudgetProcess) -> DigestItem:
    detail = gettext("%(area)s: voting until %(day)s, up to %(n)s projects each") % {
        "area": p.area.name,
        "day": date_format(p.voting_until, "DATE_FORMAT"),
        "n": p.max_votes,
    }
    return DigestItem(
        title=p.title,
        url=reverse("participation:process", kwargs={"pk": p.pk}),
        date=p.voting_from,
        detail=detail,
    )


def budgets_results(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if not scope.body_ids:
        return 0, []
    qs = _processes(scope).filter(**in_period("tallied_at", since, until))
    return counted(qs.order_by("-tallied_at", "-id"))


def budget_results_item(p: BudgetProcess) -> DigestItem:
    return DigestItem(
        title=p.title,
        url=reverse("participation:process", kwargs={"pk": p.pk}),
        date=timezone.localtime(p.tallied_at).date() if p.tallied_at else None,
        detail=gettext("%(area)s: results published, %(n)s voters") % {"area": p.area.name, "n": p.voters},
    )


SOURCES = (
    DigestSource(
        name="participation.initiatives_opened",
        label=_("Local initiatives open for support"),
        kinds=KINDS,
        read=initiatives_opened,
        item=initiative_opened_item,
        order=50,
        open_now=initiatives_collecting_now,
        open_label=_("Local initiatives collecting support now"),
    ),
    DigestSource(
        name="participation.initiatives_answered",
        label=_("Local initiatives answered"),
        kinds=KINDS,
        read=initiatives_answered,
        item=initiative_answered_item,
        order=51,
    ),
    DigestSource(
        name="participation.budgets_voting",
        label=_("Participatory budgets: voting opened"),
        kinds=KINDS,
        read=budgets_voting,
        item=budget_voting_item,
        order=52,
        open_now=budgets_voting_now,
        open_label=_("Participatory budgets: voting now"),
    ),
    DigestSource(
        name="participation.budgets_results",
        label=_("Participatory budgets: results"),
        kinds=KINDS,
        read=budgets_results,
        item=budget_results_item,
        order=53,
    ),
)
