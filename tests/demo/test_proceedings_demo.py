"""The synthetic sessions and decisions of the demo: every state present, labelled, made by the
services (counts and results agree with the rolls), idempotent, and its pages render."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from maslikhat.demo.directory_demo import reset_demo
from maslikhat.demo.proceedings_demo import delete_demo_proceedings, generate_demo_proceedings
from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Organization
from maslikhat.proceedings.choices import DecisionStatus, DraftStatus, LinkKind, SessionStatus, VoteMethod
from maslikhat.proceedings.models import (
    Comment,
    Convocation,
    Decision,
    DecisionLink,
    DraftDecision,
    PersonVote,
    Session,
    Vote,
)
from tests.demo.two_regions import REGIONS, build_directory
from tests.hostile.world import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(reference_snapshot: Any, django_db_blocker: Any) -> Iterator[int]:
    """The demo directory of Astana and Almaty region, with Talgar's district maslikhat (the
    reference data here has no districts: it is added, without a boundary).
    Built once per module, inside a transaction rolled back after it (each test runs in its own
    savepoint on top: what a test writes is undone after it)."""
    with django_db_blocker.unblock(), rolled_back():
        build_directory(reference_snapshot)
        started = time.perf_counter()
        made = generate_demo_proceedings(seed=1)
        print(f"proceedings demo: {made} rows in {time.perf_counter() - started:.1f} s")  # noqa: T201
        yield made


def test_demo_proceedings_cover_every_state_and_a_second_run_makes_nothing(demo: int) -> None:
    # given the demo directory of two regions, when the proceedings demo runs
    assert demo > 0
    # then the regional maslikhats and some district ones have the 2023 convocation
    convs = Convocation.objects.select_related("body")
    kinds = {c.body.kind for c in convs}
    assert OrganizationKind.REGIONAL_MASLIKHAT in kinds
    assert kinds & {OrganizationKind.DISTRICT_MASLIKHAT, OrganizationKind.CITY_MASLIKHAT}
    assert set(
        Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT, area__code__in=REGIONS)
    ) <= {c.body for c in convs}
    assert all(c.number == 8 and c.start_date.year == 2023 for c in convs)
    # closed sessions in the past, one convened ahead and one planned for every maslikhat
    now = timezone.now()
    for conv in convs:
        sessions = list(conv.sessions.all())
        closed = [s for s in sessions if s.status == SessionStatus.CLOSED]
        assert len(closed) >= 2 and all(s.starts_at < now for s in closed)
        assert [s.status for s in sessions if s.starts_at > now] == [
            SessionStatus.PLANNED,
            SessionStatus.CONVENED,
        ]
        assert all(s.items.exists() for s in sessions)
    # roll-call votes whose counts are the roll's (the service's), a ballot for every deputy
    roll_calls = Vote.objects.filter(method=VoteMethod.ROLL_CALL).annotate(n=Count("ballots"))
    assert roll_calls.count() >= 10
    for vote in roll_calls:
        assert vote.n == vote.elected == vote.yes + vote.no + vote.abstain + vote.absent
        assert vote.present == vote.item.session.attendance.filter(present=True).count()
        assert PersonVote.objects.filter(vote=vote, option="yes").count() == vote.yes
    assert Vote.objects.filter(method=VoteMethod.SECRET, ballots__isnull=True).exists()
    # decisions in every state, with amendments and repeals linked both ways
    assert set(Decision.objects.values_list("status", flat=True)) == set(DecisionStatus.values)
    assert {k for k in DecisionLink.objects.values_list("kind", flat=True)} == {
        LinkKind.AMENDS,
        LinkKind.REPEALS,
    }
    for link in DecisionLink.objects.all():
        assert link.target.status == (DecisionStatus.REPEALED if link.kind == LinkKind.REPEALS else "amended")
    numbers = list(Decision.objects.values_list("convocation", "seq"))
    assert len(numbers) == len(set(numbers))
    assert not Decision.objects.filter(status="registered", registration_number="").exists()
    # two drafts open for comment with comments on a paragraph and on the whole, per rich maslikhat
    open_drafts = DraftDecision.objects.filter(status=DraftStatus.OPEN)
    assert open_drafts.count() == 4
    for draft in open_drafts:
        assert draft.comments.filter(paragraph__isnull=False).exists()
        assert draft.comments.filter(paragraph__isnull=True).exists()
    reported = DraftDecision.objects.filter(status=DraftStatus.REPORTED)
    assert reported.count() == 2
    for draft in reported:
        assert draft.results_published_at is not None and draft.results_text
        assert not draft.comments.filter(response="").exists()
        assert draft.items.filter(session__status=SessionStatus.CONVENED).exists()
    # and everything is labelled as demo data
    for model in (Convocation, Session, Decision, DraftDecision, Comment):
        assert not model.objects.filter(is_demo=False).exists(), model
    # when it runs again, it makes nothing
    before = Decision.objects.count()
    assert generate_demo_proceedings(seed=1) == 0
    assert Decision.objects.count() == before
    # and it can be deleted, after which the demo directory can be reset
    assert delete_demo_proceedings() == demo
    for left in (Convocation, Session, Decision, DraftDecision, Comment, PersonVote):
        assert not left.objects.exists(), left
    reset_demo()


def test_demo_session_register_decision_and_draft_pages_render(demo: int, client: Any) -> None:
    session = Session.objects.filter(status=SessionStatus.CLOSED, decisions__isnull=False).first()
    assert session is not None
    decision = Decision.objects.filter(links_in__isnull=False).first()
    assert decision is not None
    draft = DraftDecision.objects.filter(status=DraftStatus.REPORTED).first()
    assert draft is not None
    pages = {
        f"/en/proceedings/sessions/{session.pk}/": session.decisions.first().number,
        f"/en/proceedings/bodies/{session.body_id}/decisions/": session.decisions.first().number,
        f"/en/proceedings/bodies/{session.body_id}/": "demo data",
        f"/en/proceedings/decisions/{decision.pk}/": decision.number,
        f"/en/proceedings/drafts/{draft.pk}/": "Results of the public comment",
    }
    for url, text in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
