"""Demo sessions and decisions (synthetic, every row `is_demo`).

The eighth convocation (elected in March 2023) of every regional maslikhat that has demo
deputies, and of a handful of district and city ones: closed sessions with agendas, attendance
and roll-call votes (an open vote, and a secret ballot for an election), one convened session
ahead and one planned; decisions in every state of the register (adopted, registered with the
justice bodies, published, in force, amended and repealed, with the links between them); in
Astana's and Talgar's maslikhats two drafts open for comment, with comments on a paragraph and
on the whole, and a finished draft with its published results report.

Everything goes through `proceedings.services`, so numbers, counts, results and events are the
ones the product computes. A regular session can only be convened ahead of time, so a past
session is planned and convened ahead, then its date is moved back (`_backdate`) before it is
held; a finished draft's comment period is moved back the same way before its report. The
times the services stamp (events, the vote's count) are then spread over the session's day.

Deterministic for a seed (each body draws from its own stream, as the directory demo does);
a second run finds the demo convocations and returns 0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization, Person
from maslikhat.proceedings import services
from maslikhat.proceedings.choices import (
    DecisionStatus,
    InForceRule,
    ItemOutcome,
    LinkKind,
    Response,
    SessionStatus,
    Stance,
    VoteMethod,
    VoteOption,
)
from maslikhat.proceedings.models import (
    AgendaItem,
    Attendance,
    Comment,
    CommentSupport,
    Convocation,
    Decision,
    DecisionEvent,
    DecisionLink,
    DraftDecision,
    DraftVersion,
    PersonVote,
    Session,
    SessionEvent,
    Vote,
)

from .names import make_name

TZ = ZoneInfo("Asia/Almaty")
CONVOCATION = 8  # the maslikhats elected on 19 March 2023
TERM_START = date(2023, 3, 29)
LABEL_KK = "Демонстрациялық деректер: нақты құжат емес."
LABEL_RU = "Синтетические демонстрационные данные, не настоящий документ."
# A handful of district and city maslikhats besides the regional ones (KATO codes; those loaded).
LOCAL_BODIES = ("196200000", "352400000")
# The two maslikhats with the whole story: drafts open for comment, a results report.
RICH = ("KZ-71", "196200000")
LOCAL_COUNT = 5
RESIDENTS = 6
EMAIL_DOMAIN = "demo.maslikhat.kz"
PUBLISHED_IN = "«Әділет» нормативтік құқықтық актілердің эталондық бақылау банкі"
ANSWERS = (Response.ACCEPTED, Response.PARTLY, Response.REJECTED, Response.ACCEPTED)
REASONS = {
    Response.ACCEPTED: "Ескерту ескерілді, мәтін түзетілді.",
    Response.PARTLY: "Ішінара ескерілді: есеп жылына бір рет беріледі, бірақ жарияланады.",
    Response.REJECTED: "Заңның талаптарына сәйкес келмейді.",
}
CHANGES = (
    "2-тармаққа жеке тұрғын үйлер туралы бөлім қосылды; орыс тіліндегі аударма түзетілді.\n\n" + LABEL_KK
)
PLACES = ("Мәслихаттың сессиялар залы", "Әкімдік ғимараты, мәжіліс залы")
ABSENCE = ("іссапар", "науқастануына байланысты", "еңбек демалысы", "отбасылық жағдай")

# Agenda items: (key, kk, ru, en, normative). "{y}" is the year of the session.
# fmt: off
ITEMS: dict[str, tuple[str, str, str, bool]] = {
    "plan": ("Мәслихаттың {y} жылға арналған жұмыс жоспары туралы",
             "О плане работы маслихата на {y} год",
             "On the maslikhat's work plan for {y}", False),
    "commissions": ("Мәслихаттың тұрақты комиссияларының құрамы туралы",
                    "О составе постоянных комиссий маслихата",
                    "On the composition of the maslikhat's standing commissions", False),
    "secretary": ("Мәслихаттың тұрақты комиссиясының төрағасын сайлау туралы",
                  "Об избрании председателя постоянной комиссии маслихата",
                  "On electing the chair of a standing commission", False),
    "budget": ("{y1}–{y3} жылдарға арналған бюджет туралы",
               "О бюджете на {y1}–{y3} годы",
               "On the budget for {y1}–{y3}", True),
    "budget_change": ("{y}–{y2} жылдарға арналған бюджет туралы шешімге өзгерістер енгізу туралы",
                      "О внесении изменений в решение о бюджете на {y}–{y2} годы",
                      "On amendments to the decision on the budget for {y}–{y2}", True),
    "akim_report": ("Әкімнің {y0} жылғы бюджеттің атқарылуы туралы есебі туралы",
                    "Об отчёте акима об исполнении бюджета за {y0} год",
                    "On the akim's report on the budget for {y0}", False),
    "improvement": ("Аумақты абаттандыру қағидаларын бекіту туралы",
                    "Об утверждении правил благоустройства территории",
                    "On approving the rules for the improvement of the territory", True),
    "social": ("Жекелеген санаттағы азаматтарға әлеуметтік көмек көрсету қағидаларын бекіту туралы",
               "Об утверждении правил оказания социальной помощи отдельным категориям граждан",
               "On the rules of social assistance to certain categories of citizens", True),
    "pastures": ("Жайылымдарды басқару және пайдалану жоспарын бекіту туралы",
                 "Об утверждении плана по управлению пастбищами и их использованию",
                 "On the plan for managing and using pastures", True),
    "tax": ("Тіркелген салықтың бірыңғай ставкаларын белгілеу туралы",
            "Об установлении единых ставок фиксированного налога",
            "On the single rates of the fixed tax", True),
    "repeal": ("Мәслихаттың кейбір шешімдерінің күші жойылды деп тану туралы",
               "О признании утратившими силу некоторых решений маслихата",
               "On repealing certain decisions of the maslikhat", True),
    "parking": ("Автотұрақтар үшін төлем ставкаларын белгілеу туралы",
                "Об установлении ставок платы за парковку",
                "On the rates of payment for parking", True),
    "pets": ("Үй жануарларын ұстау қағидаларын бекіту туралы",
             "Об утверждении правил содержания домашних животных",
             "On approving the rules for keeping pets", True),
}
# The closed sessions of a maslikhat, in order: the items of each.
CLOSED = (
    ("commissions", "secretary", "plan"),
    ("improvement", "tax", "akim_report"),
    ("budget", "social"),
    ("budget_change", "repeal", "plan"),
)
# The other maslikhats: two sessions (the demo stays fast: each roll call is a row per deputy).
SHORT = (("commissions", "secretary"), ("budget", "akim_report"))
# fmt: on

DRAFT_TEXT_KK = (
    "1. Осы қағидалар {topic} тәртібін белгілейді.\n\n"
    "2. Қағидалар мәслихат аумағындағы барлық жеке және заңды тұлғалар үшін міндетті.\n\n"
    "3. Әкімдік жыл сайын қағидалардың орындалуы туралы мәслихатқа есеп береді.\n\n"
    "4. Осы шешім алғашқы ресми жарияланған күнінен кейін күнтізбелік он күн өткен соң "
    "қолданысқа енгізіледі.\n\n" + LABEL_KK
)
DRAFT_TEXT_RU = (
    "1. Настоящие правила определяют порядок: {topic}.\n\n"
    "2. Правила обязательны для всех физических и юридических лиц на территории.\n\n"
    "3. Акимат ежегодно отчитывается перед маслихатом об исполнении правил.\n\n"
    "4. Настоящее решение вводится в действие по истечении десяти календарных дней после дня "
    "его первого официального опубликования.\n\n" + LABEL_RU
)
DRAFTS = (  # (item key, topic kk, topic ru, note)
    ("pets", "үй жануарларын ұстау", "содержание домашних животных", "open"),
    ("parking", "автотұрақтар үшін төлем", "плата за парковку", "open"),
    ("improvement", "аумақты абаттандыру", "благоустройство территории", "reported"),
)
COMMENTS = (  # (paragraph or None for the whole draft, text)
    (2, "Жеке үйлердің иелеріне бөлек талаптар керек: аула мен көп қабатты үй бірдей емес."),
    (None, "Жоба жалпы дұрыс, бірақ жұртшылықпен кездесу өткізу керек."),
    (3, "Есеп жыл сайын емес, жарты жылда бір рет берілсін."),
    (None, "Орыс тіліндегі мәтінде 2-тармақтың аудармасы дәл емес."),
)


@dataclass
class Body:
    """A maslikhat the demo fills, with what it needs from the directory."""

    org: Organization
    code: str
    deputies: list[int]
    commissions: list[Organization]
    rich: bool
    decisions: list[Decision] = field(default_factory=list)


def demo_proceedings_present() -> bool:
    return Convocation.objects.filter(is_demo=True).exists()


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _texts(key: str, year: int) -> dict[str, str]:
    kk, ru, en, _normative = ITEMS[key]
    values = {"y": year, "y0": year - 1, "y1": year + 1, "y2": year + 2, "y3": year + 3}
    return {"kk": kk.format(**values), "ru": ru.format(**values), "en": en.format(**values)}


def _bodies() -> list[Body]:
    """The regional maslikhats with demo deputies, then a handful of district and city ones
    (Talgar's and Temirtau's, and the first others by KATO code)."""
    rows = list(
        Organization.objects.current()
        .filter(kind__in=MASLIKHAT_KINDS, area__isnull=False, memberships__is_demo=True)
        .exclude(convocations__number=CONVOCATION)
        .select_related("area")
        .distinct()
    )
    code = {o.pk: o.area.code if o.area else o.slug for o in rows}
    regional = sorted(
        (o for o in rows if o.kind == OrganizationKind.REGIONAL_MASLIKHAT), key=lambda o: code[o.pk]
    )
    local = sorted(
        (o for o in rows if o.kind != OrganizationKind.REGIONAL_MASLIKHAT),
        key=lambda o: (code[o.pk] not in LOCAL_BODIES, code[o.pk]),
    )[:LOCAL_COUNT]
    today = timezone.localdate()
    bodies = []
    for org in regional + local:
        deputies = services.deputies_in_office(org.pk, today)
        if len(deputies) < 3:
            continue
        commissions = list(org.children.filter(kind=OrganizationKind.STANDING_COMMISSION).order_by("pk"))
        bodies.append(Body(org, code[org.pk], deputies, commissions, code[org.pk] in RICH))
    return bodies


def _residents(seed: int) -> list[Any]:
    """Synthetic residents who comment (demo accounts that cannot sign in)."""
    User = get_user_model()
    rng = random.Random(f"maslikhat-demo:{seed}:residents")  # noqa: S311 - demo data
    users = []
    for n in range(1, RESIDENTS + 1):
        name = make_name(rng)
        given, _sep, surname = name.kk.partition(" ")
        user = User.objects.filter(username=f"demo-resident-{n}").first()
        if user is None:
            user = User(
                username=f"demo-resident-{n}",
                first_name=given,
                last_name=surname,
                email=f"demo-resident-{n}@{EMAIL_DOMAIN}",
                is_demo=True,
            )
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def _session_days(rng: random.Random, count: int, first: date, today: date) -> list[date]:
    """`count` weekdays between the convocation's start and a month ago, in order."""
    last = today - timedelta(days=30)
    span = max((last - first).days, count)
    days = []
    for i in range(count):
        start = first + timedelta(days=span * i // count + 1)
        day = start + timedelta(days=rng.randrange(0, max(span // count - 14, 1)))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        days.append(min(day, last))
    return days


def _backdate(session: Session, day: date) -> None:
    """Move a session convened ahead back to its real day (the notice two weeks before)."""
    starts = _at(day)
    convened = starts - timedelta(days=14)
    Session.objects.filter(pk=session.pk).update(starts_at=starts, convened_at=convened)
    SessionEvent.objects.filter(session=session).update(created_at=convened)
    session.starts_at, session.convened_at = starts, convened


class Demo:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.today = timezone.localdate()
        self.upcoming = self.today + timedelta(days=21)
        while self.upcoming.weekday() >= 5:
            self.upcoming += timedelta(days=1)
        self.keys: dict[int, str] = {}  # decision id -> its ITEMS key

    def rng(self, key: str) -> random.Random:
        return random.Random(f"maslikhat-demo:{self.seed}:{key}:proceedings")  # noqa: S311 - demo data

    # ------------------------------------------------------------------ sessions
    def plan(
        self,
        conv: Convocation,
        body: Body,
        number: int,
        keys: tuple[str, ...],
        rng: random.Random,
        day: date,
        year: int | None = None,
    ) -> tuple[Session, list[AgendaItem]]:
        session = services.session_plan(
            actor=None, convocation=conv, number=number, starts_at=_at(day), place=rng.choice(PLACES)
        )
        Session.objects.filter(pk=session.pk).update(is_demo=True)
        items = []
        for n, key in enumerate(keys):
            rapporteur = Person.objects.get(pk=rng.choice(body.deputies))
            items.append(
                services.agenda_item_add(
                    actor=None,
                    session=session,
                    title=_texts(key, year or day.year),
                    rapporteur=rapporteur,
                    commission=body.commissions[n % len(body.commissions)] if body.commissions else None,
                )
            )
        return session, items

    @staticmethod
    def notice(session: Session) -> str:
        agenda = "\n".join(f"{i.order}. {i.title_kk}" for i in session.items.all())
        return (
            f"Мәслихаттың VIII шақырылымының {session.number}-сессиясы шақырылады.\n\n"
            f"Күн тәртібі:\n{agenda}\n\n{LABEL_KK}"
        )

    def hold(self, conv: Convocation, body: Body, number: int, keys: tuple[str, ...], day: date) -> Session:
        """A closed session on `day`: agenda, attendance, votes and the decisions they made."""
        rng = self.rng(f"{body.code}:{number}")
        # convened ahead (a regular session's notice comes before it), then moved to its day
        session, items = self.plan(conv, body, number, keys, rng, self.upcoming, year=day.year)
        services.session_convene(actor=None, session=session, notice=self.notice(session))
        _backdate(session, day)
        services.session_start(actor=None, session=session)
        deputies = services.deputies_in_office(body.org.pk, day)
        present = {p: rng.random() < 0.9 for p in deputies}
        reasons = {p: rng.choice(ABSENCE) for p, here in present.items() if not here}
        services.attendance_record(actor=None, session=session, present=present, reasons=reasons)
        here = [p for p, yes in present.items() if yes]
        for item, key in zip(items, keys, strict=True):
            if key == "akim_report":
                services.item_outcome_set(actor=None, item=item, outcome=ItemOutcome.NOTED)
                continue
            if key == "secretary":
                yes = len(here) - rng.randrange(0, 3)
                services.vote_record(
                    actor=None, item=item, method=VoteMethod.SECRET, secret_counts=(yes, len(here) - yes, 0)
                )
            else:
                ballots: dict[int, str] = {}
                for p in here:
                    roll = rng.random()
                    ballots[p] = (
                        VoteOption.YES
                        if roll < 0.86
                        else VoteOption.NO
                        if roll < 0.93
                        else VoteOption.ABSTAIN
                    )
                method = VoteMethod.OPEN if key == "commissions" else VoteMethod.ROLL_CALL
                services.vote_record(actor=None, item=item, method=method, ballots=ballots)
            item.refresh_from_db()
            if item.outcome != ItemOutcome.ADOPTED:
                continue
            normative = ITEMS[key][3]
            rule, on = InForceRule.ON_ADOPTION, None
            if key == "social":  # from the next first of January: stays published until then
                rule, on = InForceRule.ON_DATE, date(self.today.year + 1, 1, 1)
            elif normative:
                rule = InForceRule.AFTER_PUBLICATION
            decision = services.decision_adopt(
                actor=None,
                item=item,
                text_kk=f"{item.title_kk}.\n\n{LABEL_KK}",
                text_ru=f"{item.title_ru}.\n\n{LABEL_RU}",
                is_normative=normative,
                in_force_rule=rule,
                in_force_on=on,
            )
            Decision.objects.filter(pk=decision.pk).update(is_demo=True)
            self.keys[decision.pk] = key
            body.decisions.append(decision)
        services.session_close(actor=None, session=session)
        start = _at(day)
        Vote.objects.filter(item__session=session).update(closed_at=start + timedelta(hours=1))
        SessionEvent.objects.filter(session=session, to_status=SessionStatus.IN_PROGRESS).update(
            created_at=start
        )
        SessionEvent.objects.filter(session=session, to_status=SessionStatus.CLOSED).update(
            created_at=start + timedelta(hours=3)
        )
        return session

    # ------------------------------------------------------------------ the register
    def progress(self, body: Body, rng: random.Random) -> None:
        """Take each decision along the register: a normative act is registered with the justice
        bodies, then published, then in force; the latest session's stay adopted (or registered).
        The budget amendments amend the budget; a repealing decision repeals the tax rates."""
        decisions = body.decisions
        last = max((d.session_id for d in decisions), default=None)
        for d in decisions:
            key = self.keys[d.pk]
            recent = d.session_id == last and key != "budget_change"
            if recent and not d.is_normative:
                continue  # adopted, not yet published
            day = d.adopted_on
            if d.is_normative:
                day += timedelta(days=rng.randrange(5, 15))
                if day > self.today:
                    continue
                services.decision_register(
                    actor=None,
                    decision=d,
                    registration_number=f"{rng.randrange(100, 999)}-{rng.randrange(10000, 99999)}",
                    registered_on=day,
                )
                if recent:
                    continue  # registered, not yet published
            day += timedelta(days=rng.randrange(2, 8))
            if day > self.today:
                continue
            services.decision_publish(actor=None, decision=d, published_on=day, where=PUBLISHED_IN)
            d.refresh_from_db()
            if d.in_force_on is not None and d.in_force_on <= self.today:
                services.decision_enter_into_force(actor=None, decision=d)
        by_key: dict[str, list[Decision]] = {}
        for d in Decision.objects.filter(pk__in=[d.pk for d in decisions]).order_by("adopted_on", "seq"):
            by_key.setdefault(self.keys[d.pk], []).append(d)
        for source_key, target_key, kind in (
            ("budget_change", "budget", LinkKind.AMENDS),
            ("repeal", "tax", LinkKind.REPEALS),
        ):
            for source in by_key.get(source_key, []):
                targets = [
                    t
                    for t in by_key.get(target_key, [])
                    if t.adopted_on < source.adopted_on
                    and t.status in (DecisionStatus.IN_FORCE, DecisionStatus.AMENDED)
                ]
                if targets:
                    services.decision_link(actor=None, source=source, target=targets[-1], kind=kind)
        self.backdate_decisions(decisions)

    @staticmethod
    def backdate_decisions(decisions: list[Decision]) -> None:
        """Each decision's events on the day they happened (the services stamp today)."""
        rows = {d.pk: d for d in Decision.objects.filter(pk__in=[d.pk for d in decisions])}
        links = {
            link.target_id: link.source
            for link in DecisionLink.objects.filter(target__in=list(rows)).select_related("source")
        }
        for event in DecisionEvent.objects.filter(decision__in=list(rows)):
            d = rows[event.decision_id]
            days: dict[str, date | None] = {
                DecisionStatus.ADOPTED: d.adopted_on,
                DecisionStatus.REGISTERED: d.registered_on,
                DecisionStatus.PUBLISHED: d.published_on,
                DecisionStatus.IN_FORCE: d.in_force_on,
            }
            day = days.get(event.to_status) or (links[d.pk].adopted_on if d.pk in links else None)
            if day is not None:
                DecisionEvent.objects.filter(pk=event.pk).update(created_at=_at(day, 12))

    # ------------------------------------------------------------------ drafts
    def drafts(self, body: Body, upcoming: Session, residents: list[Any], rng: random.Random) -> None:
        """Two drafts open for comment, and one whose results report is out and which is now on
        the agenda of the next session."""
        for key, topic_kk, topic_ru, kind in DRAFTS:
            texts = _texts(key, self.today.year)
            text_kk, text_ru = DRAFT_TEXT_KK.format(topic=topic_kk), DRAFT_TEXT_RU.format(topic=topic_ru)
            draft = services.draft_create(
                actor=None,
                body=body.org,
                title=texts,
                text_kk=text_kk,
                text_ru=text_ru,
                explanatory_note=f"Жобаның мақсаты: {topic_kk}. {LABEL_KK}",
            )
            DraftDecision.objects.filter(pk=draft.pk).update(is_demo=True)
            services.draft_publish(actor=None, draft=draft, opens_on=self.today - timedelta(days=4))
            comments = []
            for n, (paragraph, text) in enumerate(COMMENTS if kind == "reported" else COMMENTS[:2]):
                author = residents[(n + rng.randrange(0, 2)) % len(residents)]
                comments.append(
                    services.comment_post(actor=author, draft=draft, text=text, paragraph=paragraph)
                )
            for c in comments:
                others = [r for r in residents if r.pk != c.author_id]
                for other in rng.sample(others, rng.randrange(1, 4)):
                    stance = Stance.SUPPORT if rng.random() < 0.7 else Stance.OPPOSE
                    services.comment_support(actor=other, comment=c, stance=stance)
            Comment.objects.filter(draft=draft).update(is_demo=True)
            if kind != "reported":
                continue
            # the period ran out weeks ago: staff answered every comment and published the report
            opened = self.today - timedelta(days=50)
            DraftDecision.objects.filter(pk=draft.pk).update(
                comment_opens_on=opened, comment_closes_on=opened + timedelta(days=14)
            )
            Comment.objects.filter(draft=draft).update(created_at=_at(opened + timedelta(days=3)))
            for c, response in zip(comments, ANSWERS, strict=False):
                services.comment_answer(actor=None, comment=c, response=response, reason=REASONS[response])
            services.draft_results_publish(actor=None, draft=draft, changes=CHANGES)
            services.draft_revise(
                actor=None,
                draft=draft,
                text_kk=text_kk.replace("міндетті.", "міндетті; жеке тұрғын үйлерге бөлек бөлім бар."),
                text_ru=text_ru.replace("территории.", "территории; для частных домов — отдельный раздел."),
                note="Қоғамдық талқылаудың нәтижелері бойынша.",
            )
            services.agenda_item_add(
                actor=None,
                session=upcoming,
                title=texts,
                rapporteur=Person.objects.get(pk=rng.choice(body.deputies)),
                commission=body.commissions[0] if body.commissions else None,
                draft=draft,
            )

    # ------------------------------------------------------------------ one maslikhat
    def fill(self, body: Body, residents: list[Any]) -> None:
        rng = self.rng(body.code)
        first = max(TERM_START, body.org.founding_date)
        conv = services.convocation_create(
            actor=None, body=body.org, number=CONVOCATION, start_date=first, seats=body.org.seats or 0
        )
        Convocation.objects.filter(pk=conv.pk).update(is_demo=True)
        plan: tuple[tuple[str, ...], ...] = CLOSED if body.rich else SHORT
        number = 0
        for keys, day in zip(plan, _session_days(rng, len(plan), first, self.today), strict=True):
            number += 1 + (rng.randrange(0, 3) if number else 0)
            self.hold(conv, body, number, keys, day)
        self.progress(body, rng)
        # one session convened ahead, and one planned after it
        upcoming, _items = self.plan(conv, body, number + 1, ("budget_change", "plan"), rng, self.upcoming)
        if body.rich:
            self.drafts(body, upcoming, residents, rng)
        services.session_convene(actor=None, session=upcoming, notice=self.notice(upcoming))
        self.plan(conv, body, number + 2, ("budget",), rng, self.upcoming + timedelta(days=49))


def _count(conv_ids: list[int], draft_ids: list[int]) -> int:
    sessions = Session.objects.filter(convocation__in=conv_ids)
    votes = Vote.objects.filter(item__session__in=sessions)
    return sum(
        (
            len(conv_ids),
            sessions.count(),
            AgendaItem.objects.filter(session__in=sessions).count(),
            Attendance.objects.filter(session__in=sessions).count(),
            votes.count(),
            PersonVote.objects.filter(vote__in=votes).count(),
            Decision.objects.filter(convocation__in=conv_ids).count(),
            DecisionLink.objects.filter(source__convocation__in=conv_ids).count(),
            len(draft_ids),
            DraftVersion.objects.filter(draft__in=draft_ids).count(),
            Comment.objects.filter(draft__in=draft_ids).count(),
            CommentSupport.objects.filter(comment__draft__in=draft_ids).count(),
        )
    )


# No transaction around the whole: each proceedings service commits on its own (durable).
def generate_demo_proceedings(*, seed: int = 1) -> int:
    """Create the demo sessions and decisions once; returns how many rows were made (0: already present)."""
    if demo_proceedings_present():
        return 0
    bodies = _bodies()
    if not bodies:
        return 0
    demo = Demo(seed)
    residents = _residents(seed) if any(b.rich for b in bodies) else []
    for body in bodies:
        demo.fill(body, residents)
    conv_ids = list(Convocation.objects.filter(is_demo=True).values_list("pk", flat=True))
    draft_ids = list(DraftDecision.objects.filter(is_demo=True).values_list("pk", flat=True))
    return _count(conv_ids, draft_ids)


def delete_demo_proceedings() -> int:
    """Delete every demo row of the proceedings (before the demo directory they point at)."""
    conv_ids = list(Convocation.objects.filter(is_demo=True).values_list("pk", flat=True))
    draft_ids = list(DraftDecision.objects.filter(is_demo=True).values_list("pk", flat=True))
    made = _count(conv_ids, draft_ids)
    DecisionLink.objects.filter(source__convocation__in=conv_ids).delete()
    Decision.objects.filter(convocation__in=conv_ids).delete()
    Session.objects.filter(convocation__in=conv_ids).delete()
    DraftDecision.objects.filter(pk__in=draft_ids).delete()
    Convocation.objects.filter(pk__in=conv_ids).delete()
    return made
