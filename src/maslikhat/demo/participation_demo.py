"""Demo participation (synthetic, every row `is_demo`): verified demo residents of five real
maslikhats' areas, 30 local initiatives in every state, a city participatory budget (Astana) in
its voting phase and a district one (Talgar) finished, with results and implementation records.

Goes through the real services (moderation, supports, paper signatures, answers, projects,
expert review, ballots, tally, implementation updates), so the events, the audit log and the
counters are genuine. The services stamp today's date; the demo then moves a process's phase
dates (so that the next step is open) and backdates what happened earlier, as a real history
would read. Deterministic for a seed; a second run finds the demo rows and returns 0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from maslikhat.core.errors import DomainError
from maslikhat.core.iin import check_digit
from maslikhat.directory.choices import AreaKind
from maslikhat.directory.models import Area, Organization
from maslikhat.participation import services
from maslikhat.participation.choices import ImplementationStatus, InitiativeStatus, TallyMethod
from maslikhat.participation.models import (
    Ballot,
    BudgetProcess,
    Implementation,
    Initiative,
    Project,
    ResidentRecord,
    Verification,
)

from .accounts import create_demo_accounts

DEMO_SOURCE = "demo: synthetic residents list"
DEMO_NOTE = "Синтетические демонстрационные данные / synthetic demo data."


@dataclass
class Locality:
    """One maslikhat of the demo, its staff account, where its residents live, a map point."""

    key: str  # the maslikhat's slug prefix (kz-71) or KATO code (196200000)
    point: tuple[float, float]
    residents: int
    body: Organization | None = None
    staff: Any = None
    places: list[Area] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)

    @property
    def area(self) -> Area:
        if self.body is None or self.body.area is None:  # pragma: no cover - filtered out in _localities
            raise LookupError(self.key)
        return self.body.area


LOCALITIES = [
    Locality("kz-71", (51.128, 71.430), 12),  # Astana city
    Locality("kz-75", (43.238, 76.889), 5),  # Almaty city
    Locality("kz-79", (42.315, 69.586), 4),  # Shymkent city
    Locality("196200000", (43.304, 77.240), 15),  # Talgar district, Almaty region
    Locality("352400000", (50.059, 72.965), 4),  # Temirtau city, Karaganda region
]

# (title, text, category); an "excluded" one mentions a published excluded topic.
IDEAS = [
    (
        "Освещение дороги к школе",
        "На улице от остановки до школы нет фонарей; дети идут в темноте.",
        "utilities",
    ),
    ("Детская площадка во дворе", "Во дворе домов нет ни одной площадки для детей до семи лет.", "yards"),
    ("Пешеходный переход у поликлиники", "Пожилым людям опасно переходить дорогу к поликлинике.", "roads"),
    ("Баяндама: саябақта орындықтар", "Саябақта отыратын орын жоқ, қарттарға орындық қажет.", "yards"),
    (
        "Раздельный сбор мусора",
        "Поставить контейнеры для пластика и бумаги в каждом квартале.",
        "environment",
    ),
    ("Ремонт крыши дома культуры", "Крыша сельского дома культуры протекает, кружки закрыты.", "social"),
    ("Велодорожка вдоль набережной", "Соединить микрорайоны велодорожкой вдоль реки.", "roads"),
    ("Водопровод на новой улице", "Дома на новой улице получают воду из привозных цистерн.", "utilities"),
    ("Спортивная площадка у колледжа", "Студентам негде заниматься спортом после занятий.", "social"),
    ("Озеленение бульвара", "Высадить деревья вдоль бульвара и наладить полив.", "environment"),
    ("Остановка с навесом", "На конечной остановке автобуса нет навеса от солнца и снега.", "roads"),
    ("Аулда кітапхана ашу", "Ауылда кітапхана жоқ, балалар кітапты қаладан алады.", "social"),
]
EXCLUDED = [
    (
        "Пересмотр решения суда по земельному спору",
        "Просим маслихат отменить court decision по участку.",
        "other",
    ),
    (
        "Отставка руководства по вопросам national defence",
        "Требуем обсудить national defence на сессии.",
        "other",
    ),
    ("Пересчёт голосов: election results", "Считаем, что election results района неверны.", "other"),
]

# How many initiatives end in each state (30 in all).
PLAN = [
    (InitiativeStatus.SUBMITTED, 3),
    (InitiativeStatus.REFUSED, 3),
    (InitiativeStatus.COLLECTING, 8),
    (InitiativeStatus.REACHED, 4),
    (InitiativeStatus.ACCEPTED, 3),
    (InitiativeStatus.PARTLY, 3),
    (InitiativeStatus.REJECTED, 3),
    (InitiativeStatus.NOT_REACHED, 3),
]

CITY_PROJECTS = [
    ("Сквер на месте пустыря", "ул. Кенесары, 40", 180_000_000, "yards"),
    ("Освещение парка Жетісу", "парк Жетісу", 90_000_000, "utilities"),
    ("Спортплощадка с покрытием", "мкр. Самал, 12", 120_000_000, "social"),
    ("Пандусы у поликлиник", "поликлиники № 4, 7, 9", 60_000_000, "social"),
    ("Велопарковки у метро и вузов", "пр. Туран", 40_000_000, "roads"),
    ("Фонтан во дворе", "ул. Иманова, 3", 150_000_000, "yards"),
    ("Игровой городок", "мкр. Шұғыла", 200_000_000, "yards"),
    ("Аллея памяти", "ул. Сарыарка", 70_000_000, "environment"),
]
DISTRICT_PROJECTS = [
    ("Уличное освещение в селе Бесагаш", "с. Бесагаш, ул. Абая", 25_000_000, "utilities"),
    ("Детская площадка в Талгаре", "г. Талгар, ул. Кунаева, 5", 18_000_000, "yards"),
    ("Ремонт тротуара к школе № 2", "г. Талгар, школа № 2", 15_000_000, "roads"),
    ("Спортзал сельской школы", "с. Кайнар, школа", 30_000_000, "social"),
    ("Остановки с навесом", "трасса Алматы — Талгар", 12_000_000, "roads"),
    ("Парк у реки", "г. Талгар, набережная", 40_000_000, "environment"),
]


def demo_participation_present() -> bool:
    return (
        Initiative.objects.filter(is_demo=True).exists()
        or BudgetProcess.objects.filter(is_demo=True).exists()
    )


def _iins(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    for _ in range(20 * n):  # bounded: about one in eleven has no check digit
        if len(out) == n:
            break
        first = f"{rng.randrange(60, 99):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        first += f"{rng.choice('3456')}{rng.randrange(0, 10000):04d}"
        digit = check_digit(first)
        if digit is not None and f"{first}{digit}" not in out:
            out.append(f"{first}{digit}")
    return out


def _places(area: Area) -> list[Area]:
    """Where the residents live: the area's settlements or city districts, else the area."""
    below = list(
        Area.objects.filter(parent__parent=area, kind=AreaKind.SETTLEMENT).order_by("code")[:6]
    ) or list(
        Area.objects.filter(parent=area, kind__in=[AreaKind.CITY_DISTRICT, AreaKind.SETTLEMENT]).order_by(
            "code"
        )[:6]
    )
    return below or [area]


def _staff_for(body: Organization) -> Any:
    user_model = get_user_model()
    key = body.slug.removesuffix("-maslikhat")
    return user_model.objects.filter(username=f"staff-{key}").first()


def _localities() -> list[Locality]:
    localities = []
    for spec in LOCALITIES:
        loc = Locality(spec.key, spec.point, spec.residents)
        loc.body = Organization.objects.filter(slug=f"{spec.key}-maslikhat").select_related("area").first()
        if loc.body is None or loc.body.area is None:
            continue
        loc.staff = _staff_for(loc.body)
        loc.places = _places(loc.body.area)
        localities.append(loc)
    return localities


def _mark(model: type[Model], ids: list[int]) -> None:
    model._default_manager.filter(pk__in=ids).update(is_demo=True)


def _residents(rng: random.Random, localities: list[Locality]) -> int:
    """Demo accounts verified as residents: in person by the staff for most, through the
    synthetic residents list (IIN matched) for the settlements that have a KATO code."""
    user_model = get_user_model()
    password = "!demo-resident-without-password"  # noqa: S105 - an unusable password: no login
    made = 0
    n = 0
    for loc in localities:
        users = []
        for _i in range(loc.residents):
            n += 1
            users.append(
                user_model(
                    username=f"demo-resident-{n:03d}",
                    email=f"demo-resident-{n:03d}@demo.maslikhat.invalid",
                    password=password,
                    is_demo=True,
                    preferred_language=rng.choice(["kk", "ru"]),
                )
            )
        names = [u.username for u in users]
        # a reset demo (`demo-data --reset`) deletes the synthetic rows but may keep the accounts
        existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
        fresh = [u for u in users if u.username not in existing]
        user_model.objects.bulk_create(fresh)
        loc.people = list(user_model.objects.filter(username__in=names).order_by("username"))
        Verification.objects.filter(user__in=loc.people).delete()
        made += len(fresh)
        listed = [(p, loc.places[i % len(loc.places)]) for i, p in enumerate(loc.people)]
        by_list = [(p, a) for i, (p, a) in enumerate(listed) if i % 3 == 2 and len(a.kato_code or "") == 9]
        iins = _iins(rng, len(by_list))
        if by_list:
            added, _bad = services.residents_import(
                actor=loc.staff,
                rows=[(iin, a.kato_code) for iin, (_p, a) in zip(iins, by_list, strict=True)],
                source=DEMO_SOURCE,
            )
            made += added
        for iin, (person, area) in zip(iins, by_list, strict=True):
            services.residency_by_list(actor=person, iin=iin, area=area)
        listed_ids = {p.pk for p, _a in by_list}
        for person, area in listed:
            if person.pk not in listed_ids:
                services.residency_in_person(
                    actor=loc.staff, user=person, area=area, document_note="Удостоверение личности (демо)"
                )
    ResidentRecord.objects.filter(source=DEMO_SOURCE).update(is_demo=True)
    Verification.objects.filter(user__is_demo=True, user__username__startswith="demo-resident-").update(
        is_demo=True
    )
    return made


def _backdate(initiative: Initiative, start: date, **dates: date | None) -> None:
    Initiative.objects.filter(pk=initiative.pk).update(**dates)
    created = timezone.make_aware(datetime.combine(start, time(10, 0)))
    Initiative.objects.filter(pk=initiative.pk).update(created_at=created)


def _initiatives(rng: random.Random, localities: list[Locality]) -> int:
    today = timezone.localdate()
    made = 0
    ideas = list(IDEAS)
    rng.shuffle(ideas)
    excluded = list(EXCLUDED)
    n = 0
    for status, count in PLAN:
        for _i in range(count):
            loc = localities[n % len(localities)]
            n += 1
            if status == InitiativeStatus.REFUSED:
                title, text, category = excluded.pop(0)
            else:
                title, text, category = ideas[n % len(ideas)]
            author = loc.people[n % len(loc.people)]
            lat, lon = loc.point
            initiative = services.initiative_create(
                actor=author,
                area=loc.area,
                title=title,
                text=f"{text}\n\n{DEMO_NOTE}",
                category=category,
                lat=round(lat + rng.uniform(-0.04, 0.04), 5),
                lon=round(lon + rng.uniform(-0.05, 0.05), 5),
                co_authors=loc.people[n % len(loc.people) + 1 :][:1],
            )
            Initiative.objects.filter(pk=initiative.pk).update(is_demo=True)
            initiative.is_demo = True
            made += 1
            made += _advance(rng, loc, initiative, status, today)
    return made


def _advance(rng: random.Random, loc: Locality, initiative: Initiative, status: str, today: date) -> int:
    """Take one initiative from moderation to `status`; returns the rows made on the way."""
    made = 0
    ages: dict[str, int] = {
        InitiativeStatus.SUBMITTED: rng.randrange(1, 5),
        InitiativeStatus.REFUSED: rng.randrange(5, 40),
        InitiativeStatus.COLLECTING: rng.randrange(3, 60),
        InitiativeStatus.REACHED: rng.randrange(40, 80),
        InitiativeStatus.NOT_REACHED: rng.randrange(100, 160),
    }
    age = ages.get(status, rng.randrange(120, 300))
    start = today - timedelta(days=age)
    if status == InitiativeStatus.SUBMITTED:
        _backdate(initiative, start)
        return 0
    if status == InitiativeStatus.REFUSED:
        try:
            services.initiative_moderate(actor=loc.staff, initiative=initiative, publish=True)
        except DomainError:  # an excluded topic cannot pass: refused with the published reason
            topic = services.excluded_topic_of(f"{initiative.title}\n{initiative.text}")
            services.initiative_moderate(
                actor=loc.staff,
                initiative=initiative,
                publish=False,
                reason=f"Тема из опубликованного перечня исключённых: «{topic}» (демо).",
            )
        _backdate(initiative, start)
        return 0
    initiative = services.initiative_moderate(actor=loc.staff, initiative=initiative, publish=True)
    supporters = rng.sample(loc.people, min(len(loc.people), rng.randrange(2, 7)))
    for person in supporters:
        made += int(services.initiative_support(actor=person, initiative=initiative))
    initiative.refresh_from_db()
    threshold = initiative.threshold or 1
    reach = status not in (InitiativeStatus.COLLECTING, InitiativeStatus.NOT_REACHED)
    if reach:
        missing = max(1, threshold - initiative.supports)
        first = missing // 3
        for count, note in (
            (first, "Подписные листы, 1-я партия (демо)"),
            (missing - first, "2-я партия (демо)"),
        ):
            if count > 0:
                services.paper_signatures_add(actor=loc.staff, initiative=initiative, count=count, note=note)
                made += 1
    elif rng.random() < 0.7:
        count = max(1, int(threshold * rng.uniform(0.05, 0.6)))
        services.paper_signatures_add(
            actor=loc.staff, initiative=initiative, count=count, note="Подписные листы (демо)"
        )
        made += 1
    support_days = (initiative.support_until - initiative.support_from).days  # type: ignore[operator]
    if status == InitiativeStatus.COLLECTING:
        _backdate(initiative, start, support_from=start, support_until=start + timedelta(days=support_days))
        return made
    if status == InitiativeStatus.NOT_REACHED:
        Initiative.objects.filter(pk=initiative.pk).update(
            support_from=start, support_until=start + timedelta(days=support_days)
        )
        services.initiatives_close_expired(actor=None, today=today)
        _backdate(initiative, start - timedelta(days=2))
        return made
    reached_on = start + timedelta(days=rng.randrange(10, 30))
    answer_due = services.answer_due_for(reached_on)
    if status in (InitiativeStatus.ACCEPTED, InitiativeStatus.PARTLY, InitiativeStatus.REJECTED):
        made += _answer(rng, loc, initiative, status, today)
        answered = min(answer_due - timedelta(days=rng.randrange(0, 8)), today)
        if rng.random() < 0.25:  # some answers come late (the clock is public)
            answered = min(answer_due + timedelta(days=rng.randrange(2, 10)), today)
        Initiative.objects.filter(pk=initiative.pk).update(answered_on=answered)
    _backdate(
        initiative,
        start - timedelta(days=2),
        support_from=start,
        support_until=start + timedelta(days=support_days),
        reached_on=reached_on,
        answer_due=answer_due,
    )
    return made


ANSWERS = {
    InitiativeStatus.ACCEPTED: "Инициатива принята: работы включены в план на следующий год (демо).",
    InitiativeStatus.PARTLY: "Принята частично: первая очередь работ за счёт местного бюджета, "
    "остальное — после экспертизы проекта (демо).",
    InitiativeStatus.REJECTED: "Отклонена: объект находится на частной земле; маслихат предлагает "
    "авторам альтернативный участок (демо).",
}
UPDATES = [
    (ImplementationStatus.PLANNED, 0, 0.0, "Работы включены в план, объявлен конкурс (демо)."),
    (ImplementationStatus.IN_PROGRESS, 35, 0.3, "Подрядчик определён, работы начаты (демо)."),
    (ImplementationStatus.IN_PROGRESS, 70, 0.65, "Выполнена основная часть работ (демо)."),
    (ImplementationStatus.DONE, 100, 0.95, "Объект сдан, акт приёмки подписан (демо)."),
]


def _answer(rng: random.Random, loc: Locality, initiative: Initiative, status: str, today: date) -> int:
    services.initiative_answer(
        actor=loc.staff,
        initiative=initiative,
        outcome=status,
        text=ANSWERS[status],  # type: ignore[index]
        plan_reference=(
            f"Сессия маслихата, пункт повестки {rng.randrange(2, 9)} (демо)"
            if status != InitiativeStatus.REJECTED
            else ""
        ),
    )
    record = Implementation.objects.filter(initiative=initiative).first()
    if record is None:
        return 0
    return 1 + _implementation_updates(rng, loc, record, budget=rng.randrange(5, 60) * 1_000_000, today=today)


def _implementation_updates(
    rng: random.Random, loc: Locality, record: Implementation, *, budget: int, today: date
) -> int:
    steps = rng.randrange(2, len(UPDATES) + 1)
    start = today - timedelta(days=30 * steps + rng.randrange(0, 20))
    for k, (status, progress, share, text) in enumerate(UPDATES[:steps]):
        services.implementation_update(
            actor=loc.staff,
            implementation=record,
            on=min(start + timedelta(days=30 * k), today),
            text=text,
            progress=progress,
            spent=int(budget * share),
            status=status,
        )
    return steps


# ------------------------------------------------------------------ participatory budgets


def _phases_around(today: date, phase: str, shift: int = 0) -> dict[str, date]:
    """Phase dates (Almaty's 2025 shape) placing `today` in `phase`."""
    lengths = [
        ("applications_from", 0),
        ("applications_until", 29),
        ("review_until", 12),
        ("revision_until", 7),
        ("second_review_until", 7),
        ("voting_from", 1),
        ("voting_until", 13),
        ("tally_until", 7),
    ]
    offsets: dict[str, int] = {}
    total = 0
    for name, days in lengths:
        total += days
        offsets[name] = total
    anchor = {
        "applications": 5,
        "voting": offsets["voting_from"] + 4,
        "finished": offsets["tally_until"] + 60,
    }
    base = today - timedelta(days=anchor[phase] + shift)
    return {name: base + timedelta(days=off) for name, off in offsets.items()}


def _process(
    rng: random.Random,
    loc: Locality,
    *,
    title: str,
    total: int,
    limit: int,
    projects: list[tuple[str, str, int, str]],
    adults: int,
    method: str,
    finished: bool,
) -> int:
    today = timezone.localdate()
    area = loc.area
    process = services.process_create(
        actor=loc.staff,
        area=area,
        title=title,
        total_amount=total,
        cost_limit=limit,
        dates=_phases_around(today, "applications"),
        method=method,
        categories=sorted({p[3] for p in projects}),
        adult_population=adults,
        local_budget=total * 100,
        min_share_pct="1.00",
    )
    BudgetProcess.objects.filter(pk=process.pk).update(is_demo=True)
    made = 1
    submitted = []
    for k, (ptitle, obj, cost, category) in enumerate(projects):
        author = loc.people[k % len(loc.people)]
        submitted.append(
            services.project_submit(
                actor=author,
                process=process,
                title=ptitle,
                text=f"{ptitle}: {obj}. {DEMO_NOTE}",
                object_ref=obj,
                cost=cost,
                category=category,
            )
        )
        made += 1
    for k, project in enumerate(submitted):
        if k == len(submitted) - 1:  # the last one is not admitted, with the published reason
            services.project_review(
                actor=loc.staff,
                project=project,
                feasible=False,
                legal=True,
                estimate=None,
                reason="Объект не в коммунальной собственности: работы невозможны (демо).",
            )
        else:
            estimate = project.cost if k % 3 else int(project.cost * 0.9)
            services.project_review(
                actor=loc.staff,
                project=project,
                feasible=True,
                legal=True,
                estimate=min(estimate, process.cost_limit),
                reason="Реализуемо; смета экспертизы (демо)." if k % 3 == 0 else "",
            )
    Project.objects.filter(process=process).update(is_demo=True)  # after the reviews' saves
    # the voting phase opens
    dates = _phases_around(today, "voting")
    BudgetProcess.objects.filter(pk=process.pk).update(**dates)
    process.refresh_from_db()
    admitted = [p.pk for p in Project.objects.filter(process=process, status="feasible").order_by("id")]
    weights = [len(admitted) - i + rng.random() * 3 for i in range(len(admitted))]
    voters = loc.people if finished else loc.people[: len(loc.people) * 2 // 3]
    for person in voters:
        choice = _choose(rng, admitted, weights, process.max_votes, process, submitted)
        services.ballot_cast(actor=person, process=process, project_ids=choice)
        made += 1
    for _k in range(6 if finished else 3):
        choice = _choose(rng, admitted, weights, process.max_votes, process, submitted)
        services.paper_ballot_enter(actor=loc.staff, process=process, project_ids=choice)
        made += 1
    if finished:
        made += _paper_crowd(rng, process, admitted, weights, submitted, n=240)
    Ballot.objects.filter(process=process).update(is_demo=True)
    if not finished:
        return made
    # the vote closes, the staff count it; then the whole history moves two months back
    BudgetProcess.objects.filter(pk=process.pk).update(
        voting_until=today - timedelta(days=1), tally_until=today + timedelta(days=6)
    )
    process.refresh_from_db()
    services.process_tally(actor=loc.staff, process=process)
    past = _phases_around(today, "finished")
    tallied = timezone.make_aware(datetime.combine(past["tally_until"] - timedelta(days=2), time(11, 0)))
    BudgetProcess.objects.filter(pk=process.pk).update(**past, tallied_at=tallied)
    for record in Implementation.objects.filter(project__process=process).select_related("project"):
        made += 1 + _implementation_updates(
            rng,
            loc,
            record,
            budget=record.project.price if record.project else 0,
            today=today,
        )
    return made


def _choose(
    rng: random.Random,
    admitted: list[int],
    weights: list[float],
    limit: int,
    process: BudgetProcess,
    projects: list[Project],
) -> list[int]:
    prices = {p.pk: (p.review_estimate or p.cost) for p in projects}
    wanted = rng.randrange(1, limit + 1)
    chosen: list[int] = []
    for _ in range(20):  # bounded
        if len(chosen) >= wanted:
            break
        pick = rng.choices(admitted, weights=weights)[0]
        if pick not in chosen and sum(prices[c] for c in chosen) + prices[pick] <= process.total_amount:
            chosen.append(pick)
    return chosen or admitted[:1]


def _paper_crowd(
    rng: random.Random,
    process: BudgetProcess,
    admitted: list[int],
    weights: list[float],
    projects: list[Project],
    *,
    n: int,
) -> int:
    """The bulk of a finished process's paper ballots (entered at polling points): written in
    bulk, as an import would, marked with the staff account that entered the batch."""
    staff = Ballot.objects.filter(process=process, paper=True).values_list("entered_by", flat=True).first()
    ballots = Ballot.objects.bulk_create(
        [Ballot(process=process, paper=True, entered_by_id=staff, is_demo=True) for _ in range(n)]
    )
    through = Ballot.projects.through
    rows = []
    for ballot in ballots:
        for pk in _choose(rng, admitted, weights, process.max_votes, process, projects):
            rows.append(through(ballot_id=ballot.pk, project_id=pk))
    through.objects.bulk_create(rows)
    return n


def _budgets(rng: random.Random, localities: list[Locality]) -> int:
    by_key = {loc.key: loc for loc in localities}
    made = 0
    city = by_key.get("kz-71")
    if city is not None:
        made += _process(
            rng,
            city,
            title="Бюджет народного участия города Астаны 2027",
            total=600_000_000,
            limit=200_000_000,
            projects=CITY_PROJECTS,
            adults=1_050_000,
            method=TallyMethod.GREEDY,
            finished=False,
        )
    # Talgar district when the country is loaded; with the regions only, Almaty city
    district = by_key.get("196200000") or by_key.get("kz-75")
    if district is not None:
        made += _process(
            rng,
            district,
            title=(
                "Бюджет народного участия Талгарского района 2026"
                if district.key == "196200000"
                else "Бюджет народного участия города Алматы 2026"
            ),
            total=80_000_000,
            limit=40_000_000,
            projects=DISTRICT_PROJECTS,
            adults=140_000,
            method=TallyMethod.EQUAL_SHARES,
            finished=True,
        )
    return made


def generate_demo_participation(*, seed: int = 1) -> int:
    """Create the demo participation once; returns how many rows were made (0: already present)."""
    if demo_participation_present():
        return 0
    localities = _localities()
    if localities and any(loc.staff is None for loc in localities):
        create_demo_accounts()
        localities = _localities()
    localities = [loc for loc in localities if loc.staff is not None]
    if not localities:
        return 0
    rng = random.Random(seed)
    made = _residents(rng, localities)
    made += _initiatives(rng, localities)
    made += _budgets(rng, localities)
    return made
