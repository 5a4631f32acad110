"""Demo deputies' receptions, reports to voters and inquiries (synthetic, every row `is_demo`).

Two demo deputies in each of a few maslikhats (Astana's first, with the deputy of its
constituency No. 1, who has the demo account `deputy-kz-71-1`; then other regional ones and a
district or city one when loaded) get:

- receptions: a weekly Saturday morning one in person and a weekly evening one by phone or
  online, four weeks ahead, with bookings (the second deputy's first Saturday full, with a
  waiting list); and two past receptions (an evening and a morning one) with the visits
  recorded, the questions raised, a no-show and a walk-in; in Astana one question became an
  appeal;
- reports to voters: the first deputy published one five months ago, answering the questions
  collected before the meeting, and announced the next one; the second deputy's last report is
  fifteen months old (overdue) and their latest meeting has no report yet;
- inquiries in every state: answered on time, answered late, waiting, overdue and withdrawn,
  one written with a co-author, and one linked to the appeal.

Everything goes through `deputies.services`. The services refuse to book or schedule in the
past, so a past reception is scheduled and booked ahead, then moved back (`_backdate`) before
its visits are recorded; a report's questions are collected before its meeting, which is then
moved back before the report is published. Deterministic for a seed; a second run finds the
demo schedules and returns 0."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from maslikhat.core.audit import log_action
from maslikhat.core.iin import check_digit
from maslikhat.deputies import services
from maslikhat.deputies.models import (
    Booking,
    Inquiry,
    ReceptionSchedule,
    ReceptionSlot,
    ReportQuestion,
    Visit,
    VoterReport,
)
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization, Person

from .names import make_name

TZ = ZoneInfo("Asia/Almaty")
ASTANA = "kz-71-maslikhat"
REGIONAL_BODIES = 3  # Astana's and two other regional maslikhats
LOCAL_BODIES = 1  # and one district or city maslikhat, when the directory has one
DEPUTIES_PER_BODY = 2
LABEL = "Синтетические демонстрационные данные."
EVENT = "demo.deputies_generated"

PLACES = (
    "Общественная приёмная партии, ул. Абая, 12, каб. 3",
    "Здание акимата, малый зал",
    "Дом культуры, кабинет 5",
    "Школа-гимназия № 7, библиотека",
)
QUESTIONS = (
    "Во дворе дома не работает уличное освещение с осени.",
    "Просим установить пешеходный переход у школы.",
    "Когда отремонтируют дорогу по нашей улице?",
    "Аулда ауыз су кестемен беріледі, мәселені шешуді сұраймыз.",
    "Нет места в детском саду для ребёнка трёх лет.",
    "Просим проверить начисления за отопление.",
    "Аялдамада күту павильоны жоқ.",
    "Ямы на тротуаре у поликлиники, пожилым людям опасно ходить.",
)
ANSWERS = (
    "Направлен запрос в акимат; работы включены в план на весну.",
    "Вопрос рассмотрен на комиссии маслихата, средства предусмотрены в бюджете.",
    "Дан ответ заявителю; выезд на место состоялся.",
)
INQUIRIES = (
    ("Аппарат акима города", "О ремонте внутриквартальных дорог"),
    ("Управление образования", "О нехватке мест в детских садах"),
    ("Управление энергетики и ЖКХ", "О подаче питьевой воды по графику"),
    ("Акимат района", "Об освещении улиц в новых микрорайонах"),
    ("Управление пассажирского транспорта", "Об остановочных павильонах"),
)


def demo_deputies_present() -> bool:
    return ReceptionSchedule.objects.filter(is_demo=True).exists()


def _iin(rng: random.Random) -> str:
    while True:
        born = date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
        first = f"{born:%y%m%d}{3 + rng.randrange(2)}{rng.randrange(10000):04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)


def _phone(rng: random.Random) -> str:
    return f"+7{rng.choice(('701', '702', '705', '707', '747', '777'))}{rng.randrange(1000000, 9999999)}"


def _bodies() -> list[Organization]:
    """Astana's maslikhat, then other regional ones and local ones with demo deputies."""
    rows = list(
        Organization.objects.current()
        .filter(kind__in=MASLIKHAT_KINDS, memberships__is_demo=True, memberships__end_date__isnull=True)
        .select_related("area")
        .distinct()
    )
    key = {o.pk: (o.slug != ASTANA, o.area.code if o.area else o.slug) for o in rows}
    rows.sort(key=lambda o: key[o.pk])
    regional = [o for o in rows if o.kind == OrganizationKind.REGIONAL_MASLIKHAT][:REGIONAL_BODIES]
    local = [o for o in rows if o.kind != OrganizationKind.REGIONAL_MASLIKHAT][:LOCAL_BODIES]
    return regional + local


def _deputies(body: Organization) -> list[Person]:
    """The body's first constituency deputies (by constituency number), demo ones only."""
    members = (
        Membership.objects.current()
        .filter(organization=body, role=PostRole.CONSTITUENCY_DEPUTY, person__is_demo=True)
        .select_related("person")
        .order_by(F("post__area__number").asc(nulls_last=True), "id")
    )
    seen: list[Person] = []
    for m in members:
        if all(p.pk != m.person_id for p in seen):
            seen.append(m.person)
        if len(seen) == DEPUTIES_PER_BODY:
            break
    return seen


def _backdate(slot: ReceptionSlot, starts_at: datetime) -> ReceptionSlot:
    delta = slot.starts_at - starts_at
    ReceptionSlot.objects.filter(pk=slot.pk).update(
        starts_at=F("starts_at") - delta, ends_at=F("ends_at") - delta
    )
    ReceptionSchedule.objects.filter(pk=slot.schedule_id).update(first_date=starts_at.date())
    return ReceptionSlot.objects.get(pk=slot.pk)


class _Demo:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.today = timezone.localdate()
        self.tomorrow = self.today + timedelta(days=1)
        self.appeals: list[Any] = []

    def rng(self, person: Person) -> random.Random:
        return random.Random(f"{self.seed}:deputies:{person.pk}")

    def book(self, rng: random.Random, slot: ReceptionSlot, n: int) -> list[Booking]:
        made = []
        for _ in range(n):
            booking, _token = services.booking_create(
                actor=None,
                slot=slot,
                name=make_name(rng).ru,
                phone=_phone(rng),
                topic=rng.choice(QUESTIONS)[:120],
                is_demo=True,
            )
            made.append(booking)
        return made

    def schedules(self, rng: random.Random, deputy: Person, body: Organization, full: bool) -> None:
        settlement = body.area
        saturday = services.schedule_create(
            actor=None,
            deputy=deputy,
            place=rng.choice(PLACES),
            settlement=settlement,
            mode="in_person",
            recurrence="weekly",
            weekday=5,
            start_time=time(10, 0),
            duration_minutes=180,
            capacity=4,
            first_date=self.tomorrow,
            weeks=4,
            is_demo=True,
        )
        evening = services.schedule_create(
            actor=None,
            deputy=deputy,
            place="Телефон общественной приёмной: +7 7172 55 00 00",
            mode=rng.choice(("phone", "online")),
            recurrence="weekly",
            weekday=rng.choice((1, 3)),
            start_time=time(18, 30),
            duration_minutes=90,
            capacity=4,
            first_date=self.tomorrow,
            weeks=4,
            is_demo=True,
        )
        first_saturday, second_saturday = list(saturday.slots.order_by("starts_at")[:2])
        self.book(rng, first_saturday, 5 if full else 2)  # full: 4 booked, 1 waiting
        self.book(rng, second_saturday, 1)
        self.book(rng, evening.slots.order_by("starts_at").first(), 1)  # type: ignore[arg-type]

    def past_receptions(self, rng: random.Random, deputy: Person, body: Organization, appeal: bool) -> None:
        for n, (days_ago, hour) in enumerate(((75, 18), (12, 10))):
            schedule = services.schedule_create(
                actor=None,
                deputy=deputy,
                place=rng.choice(PLACES),
                settlement=body.area,
                mode="in_person",
                recurrence="single",
                start_time=time(hour, 0),
                duration_minutes=120,
                capacity=5,
                first_date=self.tomorrow,
                is_demo=True,
            )
            slot = schedule.slots.get()
            bookings = self.book(rng, slot, 2)
            day = self.today - timedelta(days=days_ago)
            slot = _backdate(slot, datetime.combine(day, time(hour, 0), tzinfo=TZ))
            came, missed = bookings[:1], bookings[1]
            visits = [
                services.visit_record(
                    actor=None,
                    slot=slot,
                    booking=b,
                    notes=LABEL,
                    questions=[rng.choice(QUESTIONS)],
                    is_demo=True,
                )
                for b in came
            ]
            services.booking_mark(actor=None, booking=missed, attended=False)
            services.visit_record(
                actor=None,
                slot=slot,
                name=make_name(rng).ru,
                phone=_phone(rng),
                notes="Пришёл без записи. " + LABEL,
                questions=[rng.choice(QUESTIONS), rng.choice(QUESTIONS)],
                is_demo=True,
            )
            if appeal and n == 1:  # the latest reception
                question = visits[0].questions.order_by("id").first()
                name = visits[0].name
                town = body.area.name_ru if body.area else ""
                self.appeals.append(
                    services.question_to_appeal(
                        actor=None,
                        question=question,  # type: ignore[arg-type]
                        applicant={
                            "full_name": name,
                            "iin": _iin(rng),
                            "address": f"{town}, ул. Абая, {rng.randrange(1, 90)}",
                            "phone": visits[0].phone,
                            "email": f"reception-{question.pk}@demo.maslikhat.kz",  # type: ignore[union-attr]
                        },
                        topic_code="utilities",
                        language="ru",
                        is_demo=True,
                    )
                )

    def report(
        self, rng: random.Random, deputy: Person, days_ago: int, *, questions: int, publish: bool
    ) -> VoterReport:
        """A meeting announced ahead with questions collected, then moved back and reported."""
        report = services.report_announce(
            actor=None,
            deputy=deputy,
            meeting_at=datetime.combine(self.tomorrow, time(17, 0), tzinfo=TZ),
            place=rng.choice(PLACES),
            is_demo=True,
        )
        asked = [
            services.report_question_ask(
                actor=None,
                report=report,
                text=rng.choice(QUESTIONS),
                asker_name=make_name(rng).ru,
                is_demo=True,
            )
            for _ in range(questions)
        ]
        meeting = datetime.combine(self.today - timedelta(days=days_ago), time(17, 0), tzinfo=TZ)
        VoterReport.objects.filter(pk=report.pk).update(meeting_at=meeting)
        if publish:
            text = (
                "Отчёт депутата перед избирателями округа: работа в комиссиях маслихата, приёмы "
                "граждан, депутатские запросы и ответы на вопросы избирателей.\n\n" + LABEL
            )
            services.report_publish(
                actor=None,
                report=report,
                text=text,
                answers={q.pk: rng.choice(ANSWERS) for q in asked},
            )
            VoterReport.objects.filter(pk=report.pk).update(published_at=meeting + timedelta(days=3))
        report.refresh_from_db()
        return report

    def reports(self, rng: random.Random, deputy: Person, first: bool) -> None:
        if first:
            self.report(rng, deputy, 150, questions=3, publish=True)
            coming = services.report_announce(
                actor=None,
                deputy=deputy,
                meeting_at=datetime.combine(self.today + timedelta(days=24), time(18, 0), tzinfo=TZ),
                place=rng.choice(PLACES),
                is_demo=True,
            )
            services.report_question_ask(
                actor=None,
                report=coming,
                text=rng.choice(QUESTIONS),
                asker_name=make_name(rng).ru,
                is_demo=True,
            )
        else:
            self.report(rng, deputy, 460, questions=2, publish=True)  # the last report: overdue now
            self.report(rng, deputy, 20, questions=1, publish=False)  # held, its report not out yet

    def inquiries(self, rng: random.Random, deputies: list[Person], appeals: list[Any]) -> None:
        first, second = (deputies * 2)[:2]
        picks = rng.sample(INQUIRIES, len(INQUIRIES))

        def register(deputy: Person, pick: int, days_ago: int, **extra: Any) -> Inquiry:
            addressee, subject = picks[pick]
            return services.inquiry_register(
                actor=None,
                deputy=deputy,
                addressee=addressee,
                subject=subject,
                text=f"Прошу рассмотреть вопрос «{subject.lower()}» и сообщить о принятых мерах. {LABEL}",
                sent_on=self.today - timedelta(days=days_ago),
                is_demo=True,
                **extra,
            )

        on_time = register(first, 0, 70, co_authors=[second] if second.pk != first.pk else None)
        services.inquiry_answer(
            actor=None,
            inquiry=on_time,
            answer=rng.choice(ANSWERS),
            answered_on=on_time.due_on - timedelta(days=2),
        )
        register(first, 1, 2, appeals=appeals or None)  # waiting, not due yet
        late = register(second, 2, 80)
        services.inquiry_answer(
            actor=None, inquiry=late, answer=rng.choice(ANSWERS), answered_on=late.due_on + timedelta(days=6)
        )
        register(second, 3, 60)  # overdue: no answer
        withdrawn = register(second, 4, 50)
        services.inquiry_withdraw(actor=None, inquiry=withdrawn)


def _count() -> int:
    models = (ReceptionSchedule, ReceptionSlot, Booking, Visit, VoterReport, ReportQuestion, Inquiry)
    return sum(m.objects.filter(is_demo=True).count() for m in models)


def generate_demo_deputies(*, seed: int = 1) -> int:
    """Create the demo receptions, reports and inquiries once; returns how many rows were made
    (0: already present)."""
    if demo_deputies_present():
        return 0
    demo = _Demo(seed)
    for b, body in enumerate(_bodies()):
        deputies = _deputies(body)
        for d, deputy in enumerate(deputies):
            rng = demo.rng(deputy)
            demo.schedules(rng, deputy, body, full=d == 1)
            demo.past_receptions(rng, deputy, body, appeal=b == 0 and d == 0)
            demo.reports(rng, deputy, first=d == 0)
        if deputies:
            appeals = demo.appeals if b == 0 else []
            demo.inquiries(random.Random(f"{seed}:inquiries:{body.pk}"), deputies, appeals)
    made_appeals = len(demo.appeals)
    made = _count() + made_appeals
    if made:
        log_action(actor=None, event=EVENT, data={"seed": seed, "rows": made})
    return made
