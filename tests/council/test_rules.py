"""One answer per question in the council: "is this report overdue?" and "may this user co-sign
this proposal now?" are decided once (selectors.report_overdue, permissions.is_co_signable,
selectors.co_sign_bodies) and the pages show what those say."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from maslikhat.council import permissions, selectors, services
from maslikhat.council.choices import PENDING_STATUSES, MeetingKind, ProposalStatus
from maslikhat.council.models import Proposal, Recommendation

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def past_due(council_world: dict[str, Any]) -> dict[str, Any]:
    """A published recommendation whose deadline was yesterday: Almaty reported (late), Astana
    did not; and one due next month that nobody has reported on."""
    staff = council_world["council_staff"]
    today = timezone.localdate()
    meeting = services.meeting_create(
        actor=staff, held_on=today - timedelta(days=60), kind=MeetingKind.REGULAR, title={"en": "Autumn"}
    )
    late = services.recommendation_adopt(
        actor=staff,
        meeting=meeting,
        title={"en": "Report on receptions"},
        text={"en": "How many citizens were received."},
        due_on=today - timedelta(days=1),
        addressees=[council_world["maslikhat"], council_world["almaty"]],
    )
    later = services.recommendation_adopt(
        actor=staff,
        meeting=meeting,
        title={"en": "Report on sessions"},
        text={"en": "How many sessions were streamed."},
        due_on=today + timedelta(days=30),
        addressees=[council_world["maslikhat"]],
    )
    services.meeting_publish(actor=staff, meeting=meeting, notify=False)
    services.report_file(
        actor=council_world["almaty_staff"],
        report=late.reports.get(body=council_world["almaty"]),
        text="Held 4",
    )
    return {**council_world, "late": late, "later": later}


def test_a_report_is_overdue_when_not_filed_after_its_deadline(past_due: dict[str, Any]) -> None:
    astana, almaty = past_due["maslikhat"], past_due["almaty"]
    overdue = {
        (r.recommendation.title, r.body_id): r.overdue  # type: ignore[attr-defined]
        for r in selectors.reports_of_body(body_ids={astana.pk, almaty.pk})
    }
    assert overdue == {
        ("Report on receptions", astana.pk): True,  # pending, deadline passed
        ("Report on receptions", almaty.pk): False,  # filed, even though late
        ("Report on sessions", astana.pk): False,  # pending, deadline ahead
    }
    rec = selectors.recommendation_get(pk=past_due["late"].pk)
    assert rec is not None
    overdue_by_body = {r.body_id: r.overdue for r in rec.reports.all()}  # type: ignore[attr-defined]
    assert overdue_by_body == {astana.pk: True, almaty.pk: False}
    assert (rec.addressed, rec.filed, rec.on_time) == (2, 1, 0)  # type: ignore[attr-defined]


def test_pages_show_overdue_as_the_selector_decides(past_due: dict[str, Any]) -> None:
    mine = _client(past_due["staff_user"]).get("/en/council/mine/").content.decode()
    assert mine.count("<strong>overdue</strong>") == 1  # receptions; sessions are not due yet
    page = Client().get(f"/en/council/recommendations/{past_due['late'].pk}/").content.decode()
    assert page.count("<strong>overdue</strong>") == 1  # Astana's
    assert "filed late" in page  # Almaty's
    assert 'id="reported-count">1</strong> / 2' in page


def test_co_signable_until_the_council_decides(council_world: dict[str, Any]) -> None:
    proposal = services.proposal_submit(
        actor=council_world["staff_user"],
        body=council_world["maslikhat"],
        title="Fees",
        text="Let maslikhats set local fees.",
        language="en",
        policy_area="budget",
    )
    almaty_staff, almaty = council_world["almaty_staff"], council_world["almaty"]
    assert permissions.is_co_signable(proposal)
    assert selectors.co_sign_bodies(user=almaty_staff, proposal=proposal) == [almaty]
    # the proposing maslikhat does not co-sign its own proposal
    assert selectors.co_sign_bodies(user=council_world["staff_user"], proposal=proposal) == []
    services.proposal_back(actor=almaty_staff, proposal=proposal, body=almaty)
    backed = selectors.proposal_for_action(pk=proposal.pk)
    assert backed is not None and selectors.co_sign_bodies(user=almaty_staff, proposal=backed) == []
    # once declined, nobody can co-sign, and the page offers no button
    other = services.proposal_submit(
        actor=council_world["staff_user"],
        body=council_world["maslikhat"],
        title="Receptions",
        text="Online receptions.",
        language="en",
        policy_area="local_government",
    )
    url = f"/en/council/proposals/{other.pk}/"
    assert "Co-sign for" in _client(almaty_staff).get(url).content.decode()
    services.proposal_decline(
        actor=council_world["council_staff"], proposal=other, reason="In the law already"
    )
    other.refresh_from_db()
    assert not permissions.is_co_signable(other)
    assert selectors.co_sign_bodies(user=almaty_staff, proposal=other) == []
    assert "Co-sign for" not in _client(almaty_staff).get(url).content.decode()


def test_co_signable_statuses_are_those_awaiting_the_decision() -> None:
    for status in ProposalStatus:
        assert permissions.is_co_signable(Proposal(status=status)) == (status in PENDING_STATUSES)


def test_recommendation_counts_are_the_selectors_in_page_and_api(past_due: dict[str, Any]) -> None:
    rec: Recommendation = past_due["late"]
    api = Client().get(f"/api/v1/council/recommendations/{rec.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (api["addressed"], api["filed"], api["filed_on_time"]) == (2, 1, 0)
