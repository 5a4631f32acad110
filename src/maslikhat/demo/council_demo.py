"""Synthetic demo work of the national council: later meetings, proposals from maslikhats in
every state, recommendations and the maslikhats' reports on them. Everything is marked is_demo.

Goes through the real services (events, audit log, report duties are genuine); deterministic
for a seed; a second run finds the demo meetings and returns 0.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.test.utils import override_settings
from django.utils import timezone

from maslikhat.council import services
from maslikhat.council.choices import MeetingKind, PolicyArea, ProposalStatus, SentTo
from maslikhat.council.models import Meeting, Proposal, ProposalEvent
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization

TZ = ZoneInfo("Asia/Almaty")

MEETINGS: list[dict[str, Any]] = [
    {
        "held_on": date(2023, 5, 24),
        "kind": MeetingKind.REGULAR,
        "title": {
            "kk": "Мәслихаттардың азаматтардың өтініштерімен жұмысы",
            "ru": "Работа маслихатов с обращениями граждан",
            "en": "How maslikhats handle citizens' appeals",
        },
    },
    {
        "held_on": date(2024, 4, 17),
        "kind": MeetingKind.EXTENDED,
        "title": {
            "kk": "Бюджет процесі және азаматтардың қатысуы",
            "ru": "Бюджетный процесс и участие граждан",
            "en": "The budget process and citizens' participation",
        },
    },
    {
        "held_on": date(2025, 10, 22),
        "kind": MeetingKind.EXTENDED,
        "title": {
            "kk": "Мәслихаттар жұмысын бағалау: бірінші жыл",
            "ru": "Оценка работы маслихатов: первый год",
            "en": "Assessing the maslikhats' work: the first year",
        },
    },
    {
        "held_on": date(2026, 9, 16),
        "kind": MeetingKind.EXTENDED,
        "title": {
            "kk": "Жаңа Конституциядан кейінгі мәслихаттар",
            "ru": "Маслихаты после новой Конституции",
            "en": "Maslikhats after the new Constitution",
        },
    },
]
UPCOMING = {
    "held_on": date(2026, 12, 16),
    "kind": MeetingKind.REGULAR,
    "title": {
        "kk": "Сайлаушылармен кездесулер туралы есеп",
        "ru": "Отчёт о встречах с избирателями",
        "en": "Report on meetings with voters",
    },
}
RECOMMENDATIONS = [
    (
        {"ru": "Публиковать ответы на обращения в открытом виде", "en": "Publish answers to appeals openly"},
        {
            "ru": "Маслихатам рекомендуется с согласия заявителей публиковать ответы на обращения.",
            "en": "Maslikhats are recommended to publish answers to appeals with the applicants' consent.",
        },
    ),
    (
        {"ru": "Ежемесячные приёмы граждан депутатами", "en": "Monthly receptions of citizens by deputies"},
        {
            "ru": "Каждый депутат проводит приём граждан в своём округе не реже раза в месяц.",
            "en": "Every deputy receives citizens in their constituency at least once a month.",
        },
    ),
    (
        {"ru": "Разъяснять бюджет народного участия", "en": "Explain the participatory budget"},
        {
            "ru": "Разъяснять жителям правила бюджета народного участия на сессиях и встречах.",
            "en": "Explain the rules of the participatory budget to residents at sessions and meetings.",
        },
    ),
]
PROPOSALS = [
    ("budget", "Закрепить за районными маслихатами часть местных сборов", "Budget Code"),
    ("local_government", "Отчёт акима перед маслихатом дважды в год", "Law on local government"),
    ("housing", "Упростить передачу бесхозных сетей в коммунальную собственность", ""),
    ("land", "Публичные слушания по изъятию пастбищ", "Land Code"),
    ("elections", "Единый день отчётов депутатов перед избирателями", ""),
    ("social", "Местные надбавки молодым учителям в сёлах", ""),
    ("infrastructure", "Софинансирование ремонта сельских дорог", ""),
    ("environment", "Участие маслихатов в согласовании полигонов ТБО", "Environmental Code"),
]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=TZ)


def demo_council_present() -> bool:
    return Meeting.objects.filter(is_demo=True).exists()


# No transaction around the whole: each council service commits on its own (durable).
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def generate_demo_council(*, seed: int = 1) -> int:
    """Create the demo meetings, proposals, recommendations and reports; returns how many
    objects were made (0 when already present)."""
    if demo_council_present():
        return 0
    rng = random.Random(seed)
    regional = list(
        Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
        .current()
        .order_by("area__iso_code")
    )
    local = list(
        Organization.objects.filter(kind__in=MASLIKHAT_KINDS)
        .exclude(kind=OrganizationKind.REGIONAL_MASLIKHAT)
        .current()
        .order_by("pk")
    )
    if not regional:
        return 0
    made = 0
    meetings: list[Meeting] = []
    for spec in [*MEETINGS, UPCOMING]:
        meeting = services.meeting_create(
            actor=None,
            held_on=spec["held_on"],
            kind=spec["kind"],
            title=spec["title"],
            place={"kk": "Астана", "ru": "Астана", "en": "Astana"},
            summary={"en": "Synthetic demo meeting.", "ru": "Синтетическое демонстрационное заседание."},
            agenda=[spec["title"]],
            is_demo=True,
        )
        meetings.append(meeting)
        made += 1
    # Proposals: spread over the years before each meeting, in every state.
    proposals: list[Proposal] = []
    for i, (area, title, law) in enumerate(PROPOSALS * 3):
        day = date(2023, 1, 16) + timedelta(days=rng.randrange(0, 1400))
        day = min(day, date(2026, 11, 20))
        body = rng.choice([b for b in regional + local if b.in_force(day)])
        proposal = services.proposal_submit(
            actor=None,
            body=body,
            title=title if i < len(PROPOSALS) else f"{title} ({i // len(PROPOSALS) + 1})",
            text=f"{title}. Синтетическое демонстрационное предложение маслихата.",
            language="ru",
            policy_area=area if area in PolicyArea.values else PolicyArea.OTHER,
            law_concerned=law,
            submitted_at=_at(day),
            is_demo=True,
        )
        for other in rng.sample(regional, rng.randrange(0, 3)):
            if other.pk != body.pk:
                services.proposal_back(actor=None, proposal=proposal, body=other)
        proposals.append(proposal)
        made += 1
    for n, meeting in enumerate(meetings[:-1]):
        before = [
            p
            for p in proposals
            if p.council_id == meeting.council_id
            and p.submitted_on < meeting.held_on
            and p.status == ProposalStatus.SUBMITTED
        ]
        for p in before:
            services.proposal_review(actor=None, proposal=p)
            p.refresh_from_db()
        chosen = [p for p in before if rng.random() < 0.5]
        for p in before:
            if p not in chosen and rng.random() < 0.3:
                services.proposal_decline(
                    actor=None, proposal=p, reason="Вопрос уже урегулирован законом (демо)."
                )
        rec_title, rec_text = RECOMMENDATIONS[n % len(RECOMMENDATIONS)]
        addressees = None if n % 2 else regional
        due = meeting.held_on + timedelta(days=90)
        rec = services.recommendation_adopt(
            actor=None,
            meeting=meeting,
            title=rec_title,
            text=rec_text,
            due_on=due,
            addressees=addressees,
            proposals=chosen,
            is_demo=True,
        )
        services.meeting_publish(actor=None, meeting=meeting, notify=False)
        made += 1
        for report in rec.reports.all():
            roll = rng.random()
            if roll < 0.6:
                when = meeting.held_on + timedelta(days=rng.randrange(20, 88))
            elif roll < 0.8:
                when = due + timedelta(days=rng.randrange(1, 40))
            else:
                continue
            if when <= date(2026, 11, 28):
                services.report_file(
                    actor=None, report=report, text="Выполнено (демонстрационный отчёт).", filed_at=_at(when)
                )
        for p in chosen:
            p.refresh_from_db()
            if rng.random() < 0.7:
                services.proposal_send_on(
                    actor=None,
                    proposal=p,
                    to=rng.choice([SentTo.GOVERNMENT, SentTo.PARLIAMENT]),
                    on=meeting.held_on + timedelta(days=14),
                )
                if meeting.held_on.year < 2026 and rng.random() < 0.7:
                    services.proposal_record_outcome(
                        actor=None,
                        proposal=p,
                        outcome=rng.choice(
                            [
                                ProposalStatus.IMPLEMENTED,
                                ProposalStatus.PARTLY_IMPLEMENTED,
                                ProposalStatus.NOT_IMPLEMENTED,
                            ]
                        ),
                        note="Демо.",
                    )
    # The upcoming draft meeting has proposals waiting on its agenda.
    upcoming = meetings[-1]
    for p in proposals:
        p.refresh_from_db()
        if (
            p.council_id == upcoming.council_id
            and p.status == ProposalStatus.SUBMITTED
            and rng.random() < 0.5
        ):
            services.proposal_review(actor=None, proposal=p)
            services.proposal_put_on_agenda(actor=None, proposal=p, meeting=upcoming)
    _backdate_events(proposals)
    return made


def _backdate_events(proposals: list[Proposal]) -> None:
    """The services stamp events with the time the demo was generated; spread each proposal's
    steps from its submission to its last known date instead, so its history reads as it would."""
    now = timezone.now()
    for p in proposals:
        p.refresh_from_db()
        last = p.sent_on or p.decided_on or (p.agenda_meeting.held_on if p.agenda_meeting else None)
        end = _at(last) + timedelta(days=30) if last else p.submitted_at + timedelta(days=10)
        end = min(max(end, p.submitted_at + timedelta(hours=1)), now)
        events = list(ProposalEvent.objects.filter(proposal=p).order_by("id"))
        step = (end - p.submitted_at) / max(len(events) - 1, 1)
        for i, event in enumerate(events):
            ProposalEvent.objects.filter(pk=event.pk).update(created_at=p.submitted_at + step * i)
