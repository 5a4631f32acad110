"""Synthetic demo appeals: a few hundred appeals in every state, spread over the last year and
over the real maslikhats (the regional ones and the district and city ones).

Deterministic for a seed. Appeals go through the real services (so numbers, events, deadlines
and the audit log are genuine); afterwards their timestamps are moved back to when the demo
says they happened and the rollups are rebuilt from them. Everything is marked is_demo.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.test.utils import override_settings
from django.utils import timezone

from maslikhat.appeals import services
from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.models import Appeal, AppealEvent, Topic
from maslikhat.core.audit import log_action
from maslikhat.core.calendar import add_working_days, working_days_between
from maslikhat.core.iin import check_digit
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization

TZ = ZoneInfo("Asia/Almaty")
GIVEN = ["Айгерім", "Нұрлан", "Дана", "Ерлан", "Сәуле", "Асхат", "Гүлнар", "Бауыржан", "Мадина", "Қайрат"]
FAMILY = ["Ахметова", "Серікұлы", "Жұмабаева", "Омаров", "Сәрсенова", "Тоқаев", "Исаева", "Байжанов"]
TEXTS: dict[str, dict[str, str]] = {
    "utilities": {
        "kk": "Біздің үйде үш күннен бері ыстық су жоқ. Жөндеу мерзімін хабарлауыңызды сұраймын.",
        "ru": "В нашем доме третий день нет горячей воды. Прошу сообщить сроки ремонта.",
        "en": "Our building has had no hot water for three days. Please tell us when it will be repaired.",
    },
    "roads": {
        "kk": "Көшедегі жол үш жылдан бері жөнделмеген, көктемде шұңқырлар су толады.",
        "ru": "Дорога на нашей улице не ремонтировалась три года, весной ямы заполняются водой.",
        "en": "The road on our street has not been repaired for three years; in spring the potholes flood.",
    },
    "housing": {
        "kk": "Апатты үйден көшіру кезегі туралы ақпарат беруіңізді сұраймын.",
        "ru": "Прошу предоставить информацию об очереди на переселение из аварийного дома.",
        "en": "Please tell me where we stand in the queue for resettlement from a condemned building.",
    },
    "education": {
        "kk": "Мектепте орын жетіспейді, балалар үш ауысыммен оқиды.",
        "ru": "В школе не хватает мест, дети учатся в три смены.",
        "en": "The school is overcrowded; children study in three shifts.",
    },
    "health": {
        "kk": "Ауылдық амбулаторияда дәрігер жоқ, ең жақын емхана 40 шақырым жерде.",
        "ru": "В сельской амбулатории нет врача, ближайшая поликлиника в 40 километрах.",
        "en": "The village clinic has no doctor; the nearest one is 40 km away.",
    },
    "land": {
        "kk": "Жеке тұрғын үй құрылысына жер телімін беру мерзімін нақтылауды сұраймын.",
        "ru": "Прошу уточнить сроки предоставления земельного участка под ИЖС.",
        "en": "Please clarify when the plot for building a family house will be allocated.",
    },
    "social": {
        "kk": "Көпбалалы отбасына берілетін әлеуметтік көмекті ресімдеу тәртібін түсіндіріңіз.",
        "ru": "Разъясните порядок оформления социальной помощи многодетной семье.",
        "en": "Please explain how a large family applies for social support.",
    },
    "ecology": {
        "kk": "Өзен жағасындағы заңсыз қоқыс үйінділерін жоюды сұраймыз.",
        "ru": "Просим ликвидировать несанкционированные свалки на берегу реки.",
        "en": "We ask for the illegal dumps on the river bank to be removed.",
    },
    "other": {
        "kk": "Аулада балалар алаңын орнатуды ұсынамыз.",
        "ru": "Предлагаем установить детскую площадку во дворе.",
        "en": "We propose building a playground in our courtyard.",
    },
}
ANSWERS = {
    "kk": "Сіздің өтінішіңіз қаралды. Мәселе әкімдіктің келесі жылғы жоспарына енгізілді.",
    "ru": "Ваше обращение рассмотрено. Вопрос включён в план работ акимата на следующий год.",
    "en": "Your appeal has been considered. The matter is included in the akimat's plan for next year.",
}


def _iin(rng: random.Random) -> str:
    while True:
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
        century = "3" if born.year < 2000 else "5"
        first = f"{born:%y%m%d}{int(century) + rng.randrange(2)}{rng.randrange(10000):04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)


def _staff_users(bodies: list[Organization]) -> dict[int, Any]:
    """A current staff member of each body's apparatus who has an account (one query)."""
    found: dict[int, Any] = {}
    for m in (
        Membership.objects.current()
        .filter(
            role=PostRole.STAFF,
            organization__parent__in=bodies,
            organization__kind=OrganizationKind.APPARATUS,
        )
        .exclude(person__user__isnull=True)
        .select_related("person__user", "organization")
        .order_by("id")
    ):
        parent_id = m.organization.parent_id
        if parent_id is not None and parent_id not in found:
            found[parent_id] = m.person.user
    return found


def _deputies(bodies: list[Organization]) -> dict[int, list[Any]]:
    """The current constituency deputies of each body (one query)."""
    found: dict[int, list[Any]] = {b.pk: [] for b in bodies}
    for m in (
        Membership.objects.current()
        .filter(organization__in=bodies, role=PostRole.CONSTITUENCY_DEPUTY)
        .select_related("person")
        .order_by("id")
    ):
        found[m.organization_id].append(m.person)
    return found


def _weight(body: Organization) -> int:
    """How often the demo writes to a body: most appeals go to the big cities and the regional
    maslikhats, the rest spread over the 208 district and city maslikhats."""
    if body.area and body.area.code in ("KZ-71", "KZ-75", "KZ-79"):
        return 12
    return 6 if body.kind == OrganizationKind.REGIONAL_MASLIKHAT else 1


def _place(body: Organization) -> str:
    """Where the applicant lives: the area's centre, or the area itself when it has none."""
    if body.area is None:
        return ""
    return body.area.centre or body.area.name


def _backdate(appeal: Appeal, answered_at: datetime | None) -> None:
    """Move the appeal's own events to the time the demo says they happened."""
    events = list(appeal.events.order_by("id"))
    start = appeal.received_at
    end = answered_at or (start + timedelta(days=3))
    for i, event in enumerate(events):
        when = start + (end - start) * (i / max(len(events) - 1, 1))
        AppealEvent.objects.filter(pk=event.pk).update(created_at=min(when, timezone.now()))


def _publish(appeal: Appeal, staff: Any | None, answered_at: datetime) -> None:
    """Most answered appeals whose applicant asked for publication are published a couple of
    days after the answer, with the redaction the product proposes (as staff would approve it).
    A separate generator keyed by the number: the main sequence (and so the rest of the demo)
    stays as it was."""
    if not appeal.publication_requested:
        return
    pick = random.Random(appeal.registration_number)  # noqa: S311 - demo data, not security
    if pick.random() >= 0.8:
        return  # awaiting approval in the inbox
    text, answer = services.publication_proposal(appeal)
    services.appeal_publication_approve(actor=staff, appeal=appeal, text=text, answer_text=answer)
    when = min(answered_at + timedelta(days=pick.randrange(1, 4)), timezone.now())
    Appeal.objects.filter(pk=appeal.pk).update(published_at=when)
    AppealEvent.objects.filter(appeal=appeal, kind="published", data__step="approved").update(created_at=when)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def generate_demo_appeals(*, seed: int = 1, count: int = 400) -> int:
    """Create `count` demo appeals; skipped when demo appeals exist. Returns how many were made."""
    if Appeal.objects.filter(is_demo=True).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    bodies = list(
        Organization.objects.current()
        .filter(kind__in=MASLIKHAT_KINDS)
        .select_related("area")
        .defer("area__boundary", "area__boundary_web")
        .order_by("id")
    )
    if not bodies:
        return 0
    weights = [_weight(b) for b in bodies]
    topics = list(Topic.objects.filter(is_active=True).values_list("code", flat=True))
    staff = _staff_users(bodies)
    deputies = _deputies(bodies)
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    for _ in range(count):
        body = rng.choices(bodies, weights=weights)[0]
        days_ago = int(rng.triangular(0, 365, 40))
        received_at = datetime.combine(
            today - timedelta(days=days_ago), time(rng.randrange(8, 20), rng.randrange(60)), TZ
        )
        received_at = min(received_at, now - timedelta(minutes=5))
        topic = rng.choice(topics)
        language = rng.choices(["kk", "ru", "en"], weights=[45, 50, 5])[0]
        deputy = rng.choice(deputies[body.pk]) if deputies[body.pk] and rng.random() < 0.4 else None
        kind = rng.choices(
            ["application", "complaint", "proposal", "feedback", "report", "request"],
            weights=[40, 15, 20, 5, 10, 10],
        )[0]
        # Each service commits on its own (its transaction is durable, the outermost).
        appeal, _token = services.appeal_submit(
            actor=None,
            body=body,
            deputy=deputy,
            kind=kind,
            topic_code=topic,
            text=TEXTS[topic][language],
            language=language,
            applicant={
                "full_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "iin": _iin(rng),
                "address": f"{body.area.centre if body.area else ''}, {rng.randrange(1, 200)}",
                "phone": f"+7 70{rng.randrange(10)} {rng.randrange(1000000, 9999999)}",
                "email": f"demo{made + 1}@demo.maslikhat.kz",
            },
            is_public=rng.random() < 0.3,
            received_at=received_at,
            is_demo=True,
            notify=False,
        )
        _advance(rng, appeal, staff.get(body.pk), today)
        made += 1
    services.appeal_stats_rebuild(actor=None)
    log_action(actor=None, event="demo.appeals_generated", data={"seed": seed, "count": made})
    return made


def _advance(rng: random.Random, appeal: Appeal, staff: Any | None, today: Any) -> None:
    age = working_days_between(appeal.registered_on, today)
    roll = rng.random()
    if age <= 2:
        return  # just registered
    if staff is not None and rng.random() < 0.7:
        services.appeal_assign(actor=staff, appeal=appeal, assignee=staff)
    if age < 15 and roll < 0.5:
        services.appeal_start(actor=staff, appeal=appeal)
        return
    if roll < 0.04:
        services.appeal_withdraw(actor=None, appeal=appeal)
        _backdate(appeal, None)
        return
    if roll < 0.09:
        services.appeal_refuse(actor=staff, appeal=appeal, reason="The appeal does not state its substance.")
        _backdate(appeal, None)
        return
    if roll < 0.14 and age > 15:
        return  # left unanswered: overdue now
    # answered after k working days (mostly on time, some late)
    k = min(max(1, int(rng.gauss(11, 5))), age)
    answered_on = add_working_days(appeal.registered_on, k)
    services.appeal_answer(actor=staff, appeal=appeal, text=ANSWERS[appeal.language])
    answered_at = datetime.combine(answered_on, time(16, 0), TZ)
    Appeal.objects.filter(pk=appeal.pk).update(
        answered_at=answered_at,
        answered_on=answered_on,
        answer_working_days=k,
        answered_on_time=answered_on <= appeal.due_on,
    )
    appeal.refresh_from_db()
    if rng.random() < 0.5:
        services.appeal_rate(
            actor=None, appeal=appeal, rating=rng.choices([1, 2, 3, 4, 5], weights=[5, 8, 15, 35, 37])[0]
        )
    if rng.random() < 0.4:
        services.appeal_close(actor=staff, appeal=appeal)
    _backdate(appeal, answered_at)
    _publish(appeal, staff, answered_at)
    if (
        appeal.status == AppealStatus.ANSWERED
        and answered_on > today - timedelta(days=80)
        and rng.random() < 0.1
    ):
        services.appeal_complain(actor=None, appeal=appeal, text="The answer does not address the question.")
