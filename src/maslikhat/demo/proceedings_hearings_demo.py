"""Demo standing commission meetings, public hearings and the akim's reports (synthetic, every
row `is_demo`), on top of the demo sessions of `proceedings_demo` (run after it).

For each demo convocation's maslikhat: its first two standing commissions each get a meeting held
a fortnight ago (attendance of the members, the quorum computed, minutes) and one planned next
week that prepares an item of the next convened session; the first three maslikhats get a public
hearing held last month with its record and a coming one with registered speakers; the next
convened session of each gets an akim's report whose materials came late (the page warns).

Everything goes through `proceedings.services`; dates the services would refuse (a hearing that
is over cannot be registered for) are moved back afterwards. Deterministic for a seed; a second
run finds the demo rows and returns 0.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Organization
from maslikhat.proceedings import services
from maslikhat.proceedings.choices import ItemKind, SessionStatus
from maslikhat.proceedings.models import (
    AgendaItem,
    CommissionMeeting,
    Convocation,
    HearingRegistration,
    PublicHearing,
    Session,
)

TZ = ZoneInfo("Asia/Almaty")
HEARING_BODIES = 3
COMMISSIONS_PER_BODY = 2
TOPICS = (
    ("Облыс бюджетінің жобасы", "Проект областного бюджета", "The draft regional budget"),
    (
        "Аумақты абаттандыру қағидалары",
        "Правила благоустройства территории",
        "Rules on the upkeep of the territory",
    ),
    ("Қоғамдық көлік тарифтері", "Тарифы на общественный транспорт", "Public transport fares"),
)


def demo_hearings_present() -> bool:
    return (
        CommissionMeeting.objects.filter(is_demo=True).exists()
        or PublicHearing.objects.filter(is_demo=True).exists()
    )


def _at(day: Any, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _meetings(rng: random.Random, body: Organization, upcoming: Session | None) -> int:
    made = 0
    today = timezone.localdate()
    commissions = list(
        Organization.objects.filter(parent=body, kind=OrganizationKind.STANDING_COMMISSION).order_by("slug")
    )[:COMMISSIONS_PER_BODY]
    items = list(upcoming.items.order_by("order")[:COMMISSIONS_PER_BODY]) if upcoming else []
    for n, commission in enumerate(commissions):
        held = services.commission_meeting_plan(
            actor=None,
            commission=commission,
            starts_at=_at(today - timedelta(days=14 + n), 10),
            place="Мәслихат ғимараты, 2-зал",
            agenda="1. Өткен тоқсандағы жұмыс қорытындысы.\n\n2. Әртүрлі.",
        )
        members = services.commission_members(commission.pk, timezone.localtime(held.starts_at).date())
        if members:
            present = {p: rng.random() < 0.8 for p in members}
            services.commission_attendance_record(
                actor=None,
                meeting=held,
                present=present,
                reasons={p: "іссапар" for p, here in present.items() if not here},
            )
            services.commission_meeting_hold(
                actor=None, meeting=held, minutes="Комиссия мәселелерді қарап, сессияға ұсынды. (Демо.)"
            )
        planned = services.commission_meeting_plan(
            actor=None,
            commission=commission,
            starts_at=_at(today + timedelta(days=7 + n), 15),
            place="Мәслихат ғимараты, 3-зал",
            agenda="Сессияға дайындық.",
            item_ids=[items[n].pk] if n < len(items) else [],
        )
        CommissionMeeting.objects.filter(pk__in=[held.pk, planned.pk]).update(is_demo=True)
        made += 2
    return made


def _hearings(rng: random.Random, body: Organization, index: int, residents: list[Any]) -> int:
    today = timezone.localdate()
    kk, ru, en = TOPICS[index % len(TOPICS)]
    draft = body.draft_decisions.filter(is_demo=True, status__in=("open", "closed", "reported")).first()
    past = services.hearing_announce(
        actor=None,
        body=body,
        topic={"kk": kk, "ru": ru, "en": en},
        starts_at=_at(today + timedelta(days=1), 11),
        place="Әкімдік ғимараты, мәжіліс залы",
        draft=draft,
    )
    for user in residents[:3]:
        services.hearing_register(actor=user, hearing=past, shown_name=user.get_full_name() or user.username)
    PublicHearing.objects.filter(pk=past.pk).update(starts_at=_at(today - timedelta(days=30), 11))
    past.refresh_from_db()
    services.hearing_record_publish(
        actor=None,
        hearing=past,
        record=(
            "Тыңдауға 40 тұрғын қатысты, 3 адам сөз сөйледі; ұсыныстар жобаны пысықтауға жіберілді. (Демо.)"
        ),
    )
    coming = services.hearing_announce(
        actor=None,
        body=body,
        topic={"kk": f"{kk} (2-кезең)", "ru": f"{ru} (2-й этап)", "en": f"{en} (second round)"},
        starts_at=_at(today + timedelta(days=20 + rng.randrange(5)), 11),
        place="Әкімдік ғимараты, мәжіліс залы",
        capacity=20,
    )
    for user in residents[3:5]:
        services.hearing_register(actor=user, hearing=coming, shown_name=(user.first_name or user.username))
    PublicHearing.objects.filter(pk__in=[past.pk, coming.pk]).update(is_demo=True)
    HearingRegistration.objects.filter(hearing__in=[past.pk, coming.pk]).update(is_demo=True)
    return 2 + HearingRegistration.objects.filter(hearing__in=[past.pk, coming.pk]).count()


def _late_report(upcoming: Session | None) -> int:
    if upcoming is None:
        return 0
    day = timezone.localtime(upcoming.starts_at).date()
    services.agenda_item_add(
        actor=None,
        session=upcoming,
        title={
            "kk": "Әкімнің аумақты дамыту бағдарламасының орындалуы туралы есебі",
            "ru": "Отчёт акима об исполнении программы развития территории",
            "en": "The akim's report on the territorial development programme",
        },
        kind=ItemKind.AKIM_REPORT,
        materials_received_on=max(day - timedelta(days=10), timezone.localdate()),
    )
    return 1


def generate_demo_hearings(*, seed: int = 1) -> int:
    """Create the demo commission meetings, hearings and akim's reports once; returns how many
    rows were made (0: already present, or no demo sessions to build on)."""
    if demo_hearings_present():
        return 0
    convocations = list(
        Convocation.objects.filter(is_demo=True).select_related("body").order_by("body__slug")
    )
    residents = list(get_user_model().objects.filter(username__startswith="demo-resident-").order_by("pk"))
    made = 0
    for index, conv in enumerate(convocations):
        rng = random.Random(f"maslikhat-demo:{seed}:hearings:{conv.body.slug}")  # noqa: S311 - demo data
        upcoming = (
            Session.objects.filter(
                convocation=conv, status=SessionStatus.CONVENED, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
        made += _meetings(rng, conv.body, upcoming)
        if index < HEARING_BODIES:
            made += _hearings(rng, conv.body, index, residents)
        made += _late_report(upcoming)
    return made


def delete_demo_hearings() -> int:
    """Delete the demo rows made above (before the demo sessions and directory they point at)."""
    meetings = CommissionMeeting.objects.filter(is_demo=True)
    hearings = PublicHearing.objects.filter(is_demo=True)
    made = meetings.count() + hearings.count()
    meetings.delete()
    hearings.delete()
    AgendaItem.objects.filter(session__is_demo=True, kind=ItemKind.AKIM_REPORT).delete()
    return made
