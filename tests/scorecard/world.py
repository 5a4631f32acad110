"""The scorecard's world builder (not a test module): appeal, proposal and report rows as the
services leave them, varied data over 2024-2025 (`build_world`) and every figure computed straight
from the rows (`direct`). The scorecard and API tests use it through the `scorecard_world`
fixture of tests/conftest.py."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from maslikhat.appeals.choices import OPEN_STATUSES, AppealKind, AppealStatus
from maslikhat.appeals.models import Appeal, Topic
from maslikhat.appeals.services import appeal_stats_rebuild
from maslikhat.council.choices import ACCEPTED_STATUSES, ProposalStatus, ReportStatus
from maslikhat.council.models import Meeting, Proposal, Recommendation, RecommendationReport
from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.models import Area, Organization
from tests.factories import AreaFactory, OrganizationFactory

TODAY = date(2025, 11, 20)
# On PostgreSQL the table runs in a savepoint with JIT off: SAVEPOINT, SET LOCAL, RELEASE.
PG_EXTRA = 3 if connection.vendor == "postgresql" else 0
# The queries of the later domains' sources in one table, whatever the number of bodies: four
# each for proceedings, participation and deputies.
DOMAIN_QUERIES = 12
COUNCIL_SLUG = "senate-council-on-maslikhats"
ALMATY = ZoneInfo("Asia/Almaty")
_seq = iter(range(1, 10**9))


# ------------------------------------------------------------------ data builders


def make_appeal(
    body: Organization,
    *,
    registered_on: date,
    kind: str = AppealKind.APPLICATION,
    topic: Topic | None = None,
    status: str = AppealStatus.REGISTERED,
    days: int | None = None,
    on_time: bool | None = None,
    rating: int | None = None,
    due_on: date | None = None,
) -> Appeal:
    """One appeal row as the services leave it (answered ones carry their answer figures)."""
    n = next(_seq)
    answered = days is not None
    return Appeal.objects.create(
        registration_number=f"T-{n:08d}",
        body=body,
        kind=kind,
        topic=topic or Topic.objects.get(code="roads"),
        text="text",
        language="ru",
        applicant_name="A",
        applicant_iin="000000000000",
        applicant_address="addr",
        applicant_phone="1",
        applicant_email="a@example.org",
        token_hash=f"{n:064d}",
        status=status,
        received_at=datetime(registered_on.year, registered_on.month, registered_on.day, 4, tzinfo=UTC),
        registered_on=registered_on,
        due_on=due_on or registered_on + timedelta(days=21),
        original_due_on=due_on or registered_on + timedelta(days=21),
        answered_on=registered_on + timedelta(days=(days or 0)) if answered else None,
        answered_at=datetime.now(UTC) if answered else None,
        answer_working_days=days,
        answered_on_time=on_time,
        rating=rating,
    )


def council_org() -> Organization:
    return Organization.objects.get(slug=COUNCIL_SLUG)


def make_proposal(body: Organization, *, submitted_on: date, status: str) -> Proposal:
    return Proposal.objects.create(
        council=council_org(),
        body=body,
        title="Proposal",
        text="text",
        language="ru",
        policy_area="budget",
        status=status,
        submitted_at=datetime(submitted_on.year, submitted_on.month, submitted_on.day, 6, tzinfo=UTC),
        submitted_on=submitted_on,
        decline_reason="no" if status == ProposalStatus.DECLINED else "",
    )


def make_recommendation(*, due_on: date) -> Recommendation:
    meeting = Meeting.objects.create(council=council_org(), held_on=due_on - timedelta(days=60))
    return Recommendation.objects.create(
        council=council_org(),
        meeting=meeting,
        number=1,
        adopted_on=meeting.held_on,
        due_on=due_on,
    )


def make_report(rec: Recommendation, body: Organization, *, filed_on: date | None) -> RecommendationReport:
    filed = filed_on is not None
    return RecommendationReport.objects.create(
        recommendation=rec,
        body=body,
        status=ReportStatus.FILED if filed else ReportStatus.PENDING,
        filed_at=datetime(filed_on.year, filed_on.month, filed_on.day, 6, tzinfo=UTC) if filed_on else None,
        filed_on=filed_on,
        on_time=(filed_on <= rec.due_on) if filed_on else None,
    )


def district(region_code: str, code: str, *, population: int | None = 50_000) -> Organization:
    """A district maslikhat of a region, on an area under the region."""
    region = Area.objects.get(code=region_code)
    regional = Organization.objects.get(slug=f"{region_code.lower()}-maslikhat")
    area = AreaFactory(code=code, kind=AreaKind.DISTRICT, parent=region, population=population)
    org = OrganizationFactory(kind=OrganizationKind.DISTRICT_MASLIKHAT, parent=regional, area=area)
    return cast(Organization, org)


def regional(code: str) -> Organization:
    return Organization.objects.get(slug=f"{code.lower()}-maslikhat")


@dataclass
class World:
    bodies: list[Organization]
    districts: list[Organization]


def build_world(seed: int = 7) -> World:
    """Varied appeals over 2024-2025 for four regional and two district maslikhats, proposals in
    every status and reports filed early, late and not at all; then the rollups are rebuilt by
    the service (live maintenance is checked separately)."""
    cache.clear()  # the histograms of earlier tests' bodies (ids are reused)
    rnd = random.Random(seed)
    bodies = [regional(c) for c in ("KZ-71", "KZ-75", "KZ-79", "KZ-11")]
    districts = [district("KZ-11", "KZ-11-D1"), district("KZ-11", "KZ-11-D2", population=None)]
    topics = list(Topic.objects.all()[:3])
    kinds = [AppealKind.APPLICATION, AppealKind.COMPLAINT, AppealKind.PROPOSAL]
    for i, body in enumerate([*bodies, *districts]):
        for _ in range(25 + 6 * i):
            day = date(2024, 1, 1) + timedelta(days=rnd.randrange(0, 700))
            roll = rnd.random()
            if roll < 0.6:
                days = rnd.randrange(1, 25)
                make_appeal(
                    body,
                    registered_on=day,
                    kind=rnd.choice(kinds),
                    topic=rnd.choice(topics),
                    status=rnd.choice([AppealStatus.ANSWERED, AppealStatus.CLOSED]),
                    days=days,
                    on_time=days <= 15,
                    rating=rnd.choice([None, 1, 2, 3, 4, 5]),
                )
            elif roll < 0.85:
                make_appeal(
                    body,
                    registered_on=day,
                    kind=rnd.choice(kinds),
                    topic=rnd.choice(topics),
                    status=rnd.choice(OPEN_STATUSES),
                    due_on=day + timedelta(days=rnd.randrange(0, 40)),
                )
            else:
                make_appeal(
                    body,
                    registered_on=day,
                    topic=rnd.choice(topics),
                    status=rnd.choice([AppealStatus.FORWARDED, AppealStatus.WITHDRAWN]),
                )
        for _ in range(i + 2):
            make_proposal(
                body,
                submitted_on=date(2024, 1, 1) + timedelta(days=rnd.randrange(0, 700)),
                status=rnd.choice(list(ProposalStatus.values)),
            )
    for due in (date(2024, 6, 30), date(2025, 3, 31), date(2025, 9, 30), date(2025, 12, 31)):
        rec = make_recommendation(due_on=due)
        for body in [*bodies, *districts]:
            choice = rnd.random()
            if choice < 0.5:
                make_report(rec, body, filed_on=due - timedelta(days=rnd.randrange(0, 20)))
            elif choice < 0.8:
                make_report(rec, body, filed_on=due + timedelta(days=rnd.randrange(1, 20)))
            else:
                make_report(rec, body, filed_on=None)
    for i, body in enumerate([*bodies, *districts]):
        make_domain_rows(body, random.Random(seed * 100 + i))
    appeal_stats_rebuild(actor=None)
    return World(bodies=bodies, districts=districts)


def _moment(rnd: random.Random) -> datetime:
    """A moment in 2024-2025 at any hour (some local dates differ from the UTC ones)."""
    day = date(2024, 1, 1) + timedelta(days=rnd.randrange(0, 730))
    return datetime(day.year, day.month, day.day, rnd.randrange(0, 24), tzinfo=UTC)


def make_domain_rows(body: Organization, rnd: random.Random) -> None:
    """Rows of the later domains as their services leave them: sessions with attendance and
    decisions, drafts with comments; initiatives, budget votes, implementation; deputies with
    receptions, reports to voters and inquiries."""
    from maslikhat.deputies.models import Inquiry, ReceptionSchedule, ReceptionSlot, VoterReport
    from maslikhat.participation.models import BudgetProcess, Implementation, Initiative
    from maslikhat.proceedings.models import (
        Attendance,
        Comment,
        Convocation,
        Decision,
        DraftDecision,
        Session,
    )
    from tests.factories import MembershipFactory, PersonFactory

    deputies: list[Any] = []
    for _ in range(4):
        person = PersonFactory()
        start = rnd.choice([date(2023, 3, 29), date(2024, 9, 1), date(2025, 4, 1)])
        end = rnd.choice([None, None, None, date(2025, 2, 1)])
        MembershipFactory(
            person=person, organization=body, start_date=start, end_date=end if end and end > start else None
        )
        deputies.append(person)
    conv = Convocation.objects.create(body=body, number=8, start_date=date(2023, 3, 29), seats=4)
    seq = 0
    for number in range(1, 7):
        status = rnd.choice(["closed", "closed", "closed", "cancelled", "in_progress"])
        session = Session.objects.create(
            convocation=conv,
            body=body,
            number=number,
            status=status,
            starts_at=_moment(rnd),
            notice="Notice.",
        )
        if status == "cancelled":
            continue
        for person in deputies:
            Attendance.objects.create(session=session, person=person, present=rnd.random() < 0.8)
        adopted = timezone.localtime(session.starts_at).date()
        for _ in range(rnd.randrange(0, 3)):
            seq += 1
            normative = rnd.random() < 0.4
            registered = (
                adopted + timedelta(days=rnd.randrange(0, 20)) if normative and rnd.random() < 0.7 else None
            )
            can_publish = registered is not None or not normative
            published = (
                (registered or adopted) + timedelta(days=rnd.randrange(0, 25))
                if can_publish and rnd.random() < 0.7
                else None
            )
            Decision.objects.create(
                body=body,
                convocation=conv,
                session=session,
                seq=seq,
                number=f"{number}-{seq}",
                adopted_on=adopted,
                is_normative=normative,
                status="published" if published else ("registered" if registered else "adopted"),
                registration_number="R" if registered else "",
                registered_on=registered,
                published_on=published,
            )
    for _ in range(4):
        opens = _moment(rnd).date()
        status = rnd.choice(["preparing", "open", "closed", "reported"])
        draft = DraftDecision.objects.create(
            body=body,
            title_kk="Жоба",
            title_ru="Проект",
            text_kk="Мәтін.",
            text_ru="Текст.",
            status=status,
            comment_opens_on=None if status == "preparing" else opens,
            comment_closes_on=None if status == "preparing" else opens + timedelta(days=13),
            results_published_at=datetime.now(UTC) if status == "reported" else None,
        )
        if status == "preparing":
            continue
        for _ in range(rnd.randrange(0, 4)):
            hidden = rnd.random() < 0.2
            answered = status == "reported" or rnd.random() < 0.4
            Comment.objects.create(
                draft=draft,
                author_name="Resident",
                text="Comment.",
                status="hidden" if hidden else "shown",
                moderation_reason="Off topic." if hidden else "",
                response="accepted" if answered and not hidden else "",
                response_reason="Why." if answered and not hidden else "",
            )
    area = body.area
    assert area is not None
    for _ in range(5):
        created = _moment(rnd)
        reached = created.date() + timedelta(days=rnd.randrange(5, 60)) if rnd.random() < 0.7 else None
        due = reached + timedelta(days=28) if reached else None
        answered_on = due + timedelta(days=rnd.randrange(-20, 10)) if due and rnd.random() < 0.6 else None
        status = (
            rnd.choice(["accepted", "partly", "rejected"])
            if answered_on
            else ("reached" if reached else "collecting")
        )
        row = Initiative.objects.create(
            body=body,
            area=area,
            title="Initiative",
            text="Text.",
            category="roads",
            status=status,
            answer_text="Answer." if answered_on else "",
            reached_on=reached,
            answer_due=due,
            answered_on=answered_on,
        )
        Initiative.objects.filter(pk=row.pk).update(created_at=created)
        if status in ("accepted", "partly"):
            Implementation.objects.create(initiative=row, responsible=body, progress=rnd.randrange(0, 101))
    for _ in range(2):
        until = _moment(rnd).date()
        d = until - timedelta(days=14)
        BudgetProcess.objects.create(
            body=body,
            area=area,
            title="Budget",
            total_amount=1000,
            cost_limit=500,
            applications_from=d - timedelta(days=50),
            applications_until=d - timedelta(days=40),
            review_until=d - timedelta(days=30),
            revision_until=d - timedelta(days=20),
            second_review_until=d - timedelta(days=10),
            voting_from=d,
            voting_until=until,
            tally_until=until + timedelta(days=7),
            tallied_at=datetime.now(UTC) if rnd.random() < 0.8 else None,
            voters=rnd.randrange(0, 500),
            adult_population=rnd.choice([None, 5000, 20_000]),
        )
    for n, person in enumerate(deputies):
        schedule = ReceptionSchedule.objects.create(
            deputy=person,
            body=body,
            place="Akimat",
            mode="in_person",
            recurrence="single",
            start_time=datetime.min.time(),
            duration_minutes=60,
            capacity=3,
            first_date=date(2024, 1, 1),
        )
        for _ in range(3):
            starts = _moment(rnd)
            ReceptionSlot.objects.create(
                schedule=schedule,
                deputy=person,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                capacity=3,
                status=rnd.choice(["open", "open", "cancelled"]),
            )
        for _ in range(rnd.randrange(0, 3)):
            is_published = rnd.random() < 0.7
            VoterReport.objects.create(
                deputy=person,
                body=body,
                meeting_at=_moment(rnd),
                place="School",
                status="published" if is_published else "announced",
                published_at=datetime.now(UTC) if is_published else None,
            )
        for k in range(2):
            sent = _moment(rnd).date()
            status = rnd.choice(["sent", "answered", "answered", "withdrawn"])
            Inquiry.objects.create(
                body=body,
                number=f"{body.pk}-{n}-{k}-{next(_seq)}",
                deputy=person,
                addressee="Akimat",
                subject="Subject",
                text="Text.",
                sent_on=sent,
                due_on=sent + timedelta(days=21),
                status=status,
                answer="Answer." if status == "answered" else "",
                answered_on=sent + timedelta(days=rnd.randrange(1, 35)) if status == "answered" else None,
            )


# ------------------------------------------------------------------ the direct computation


def direct(body: Organization, start: date, end: date, today: date = TODAY) -> dict[str, Any]:
    """Every figure computed straight from the rows, the slow obvious way."""
    appeals = list(Appeal.objects.filter(body=body, registered_on__gte=start, registered_on__lt=end))
    answered = [a for a in appeals if a.answered_on is not None]
    on_time = [a for a in answered if a.answered_on_time]
    rated = [a.rating for a in appeals if a.rating is not None]
    population = body.area.population if body.area else None
    proposals = list(Proposal.objects.filter(body=body, submitted_on__gte=start, submitted_on__lt=end))
    reports = [
        r
        for r in RecommendationReport.objects.filter(body=body).select_related("recommendation")
        if start <= r.recommendation.due_on < end and r.recommendation.due_on <= today
    ]
    filed_on_time = [r for r in reports if r.filed_on is not None and r.filed_on <= r.recommendation.due_on]
    return {
        "appeals_received": len(appeals),
        "appeals_per_10k": round(len(appeals) * 10000 / population, 1) if population else None,
        "appeals_answered": len(answered),
        "appeals_answered_on_time_pct": round(100 * len(on_time) / len(answered), 1) if answered else None,
        "appeals_median_answer_days": (
            float(statistics.median(a.answer_working_days for a in answered)) if answered else None
        ),
        "appeals_overdue_now": Appeal.objects.filter(
            body=body, status__in=OPEN_STATUSES, due_on__lt=today
        ).count(),
        "appeals_average_rating": round(sum(rated) / len(rated), 2) if rated else None,
        "appeals_followup_satisfied_pct": direct_followup(appeals),
        "proposals_submitted": len(proposals),
        "proposals_accepted": len([p for p in proposals if p.status in ACCEPTED_STATUSES]),
        "proposals_implemented": len(
            [
                p
                for p in proposals
                if p.status in (ProposalStatus.IMPLEMENTED, ProposalStatus.PARTLY_IMPLEMENTED)
            ]
        ),
        "reports_due": len(reports),
        "reports_on_time_pct": round(100 * len(filed_on_time) / len(reports), 1) if reports else None,
        **direct_proceedings(body, start, end, today),
        **direct_participation(body, start, end, today),
        **direct_deputies(body, start, end, today),
    }


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def direct_proceedings(body: Organization, start: date, end: date, today: date) -> dict[str, Any]:
    """The proceedings figures straight from the sessions, drafts, comments and decisions."""
    from maslikhat.proceedings.models import Attendance, Comment, Decision, DraftDecision, Session

    held = [s for s in Session.objects.filter(body=body, status="closed") if start <= _day(s.starts_at) < end]
    roll = list(Attendance.objects.filter(session__in=held))
    drafts = [
        d
        for d in DraftDecision.objects.filter(body=body).exclude(status="preparing")
        if d.comment_opens_on and start <= d.comment_opens_on < end
    ]
    comments = [
        c
        for c in Comment.objects.filter(draft__body=body, status="shown").select_related("draft")
        if c.draft.comment_closes_on
        and start <= c.draft.comment_closes_on < end
        and c.draft.comment_closes_on < today
    ]
    decisions = []
    for d in Decision.objects.filter(body=body, adopted_on__gte=start, adopted_on__lt=end):
        base = d.registered_on if d.is_normative else d.adopted_on
        if base is not None and (d.published_on is not None or base + timedelta(days=10) < today):
            decisions.append(d.published_on is not None and d.published_on <= base + timedelta(days=10))
    return {
        "sessions_held": len(held),
        "sessions_attendance_pct": _pct(sum(a.present for a in roll), len(roll)),
        "drafts_put_to_comment": len(drafts),
        "comments_answered_pct": _pct(
            sum(1 for c in comments if c.draft.status == "reported" and c.response), len(comments)
        ),
        "decisions_published_on_time_pct": _pct(sum(decisions), len(decisions)),
    }


def direct_participation(body: Organization, start: date, end: date, today: date) -> dict[str, Any]:
    """The participation figures straight from the initiatives, votes and implementation."""
    from maslikhat.participation.models import BudgetProcess, Implementation, Initiative

    initiatives = list(Initiative.objects.filter(body=body))
    due = [
        i
        for i in initiatives
        if i.answer_due and start <= i.answer_due < end and (i.answer_due < today or i.answered_on)
    ]
    on_time = [i for i in due if i.answered_on and i.status in ("accepted", "partly", "rejected")]
    votes = [
        p
        for p in BudgetProcess.objects.filter(body=body, tallied_at__isnull=False)
        if start <= p.voting_until < end and p.adult_population
    ]
    progress = [
        r.progress
        for r in Implementation.objects.select_related("initiative", "project__process")
        if (r.initiative.body_id if r.initiative else r.project.process.body_id) == body.pk
    ]
    return {
        "initiatives_received": sum(1 for i in initiatives if start <= _day(i.created_at) < end),
        "initiatives_answered_on_time_pct": _pct(
            sum(1 for i in on_time if i.answered_on <= i.answer_due),
            len(due),
        ),
        "budget_turnout_pct": _pct(sum(p.voters for p in votes), sum(p.adult_population or 0 for p in votes)),
        "implementation_progress_pct": round(sum(progress) / len(progress), 1) if progress else None,
    }


def direct_deputies(body: Organization, start: date, end: date, today: date) -> dict[str, Any]:
    """The deputies figures straight from the receptions, memberships, reports and inquiries."""
    from dateutil.relativedelta import relativedelta

    from maslikhat.deputies.models import Inquiry, ReceptionSlot, VoterReport
    from maslikhat.directory.choices import DEPUTY_ROLES
    from maslikhat.directory.models import Membership

    begun = min(
        timezone.now(), datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=ALMATY)
    )
    held = [
        s
        for s in ReceptionSlot.objects.filter(schedule__body=body, status="open")
        if start <= _day(s.starts_at) < end and s.starts_at < begun
    ]
    inquiries = [
        q
        for q in Inquiry.objects.filter(body=body).exclude(status="withdrawn")
        if start <= q.due_on < end and (q.due_on < today or q.status == "answered")
    ]
    answered = [
        q for q in inquiries if q.status == "answered" and q.answered_on and q.answered_on <= q.due_on
    ]
    on_time: float | None = None
    if start <= today:
        day = min(end - timedelta(days=1), today)
        mandates: dict[int, date] = {}
        for m in Membership.objects.filter(organization=body, role__in=DEPUTY_ROLES):
            if m.start_date <= day and (m.end_date is None or m.end_date > day):
                mandates[m.person_id] = min(m.start_date, mandates.get(m.person_id, m.start_date))
        ok = 0
        for person_id, mandate in mandates.items():
            met = [
                _day(r.meeting_at)
                for r in VoterReport.objects.filter(deputy_id=person_id, status="published")
                if _day(r.meeting_at) <= day
            ]
            ok += (max(met) if met else mandate) + relativedelta(months=12) >= day
        on_time = _pct(ok, len(mandates))
    return {
        "receptions_held": len(held),
        "voter_reports_on_time_pct": on_time,
        "inquiries_answered_on_time_pct": _pct(len(answered), len(inquiries)),
    }


def direct_followup(appeals: list[Appeal]) -> float | None:
    """The share of "yes" among the answered follow-up questions of these appeals."""
    from maslikhat.appeals.models import AppealFollowup

    answers = [f.answer for f in AppealFollowup.objects.filter(appeal__in=appeals).exclude(answer="")]
    return _pct(answers.count("yes"), len(answers))
