"""The council app's conventions: adapters without queries or transactions, templates that do
not decide with statuses, durable use cases, enum event types and error codes with stable
values, the lifecycle event base."""

from __future__ import annotations

import ast
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from maslikhat.api import council as council_api
from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog, LifecycleEvent, ShownLifecycleEvent
from maslikhat.council import services, views
from maslikhat.council.choices import PROPOSAL_TRANSITIONS, ProposalStatus
from maslikhat.council.error_codes import CouncilErrorCode
from maslikhat.council.events import PROPOSAL_STATUS_EVENTS, CouncilLogEvent
from maslikhat.council.models import ProposalEvent

ADAPTERS = (Path(views.__file__), Path(council_api.__file__))
TEMPLATES = Path(views.__file__).parent / "templates" / "council"


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: p.name)
def test_council_adapters_hold_no_query_and_no_transaction(path: Path) -> None:
    found = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "atomic")
    ]
    assert found == []


def test_the_council_api_catches_no_domain_error() -> None:
    tree = ast.parse(ADAPTERS[1].read_text())
    caught = [ast.unparse(n.type) for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler) and n.type]
    assert caught == []


def test_council_templates_decide_with_no_literal_status() -> None:
    # what a page shows for a status comes from the view (booleans, annotations, properties)
    pattern = re.compile(r"\{%[^%]*\.(status|kind)\s*(==|!=)\s*[\"']")
    found = [
        f"{t.name}: {m.group(0)}"
        for t in sorted(TEMPLATES.glob("*.html"))
        for m in pattern.finditer(t.read_text())
    ]
    assert found == []


def test_every_status_a_proposal_transition_reaches_has_its_event() -> None:
    reached = {to for targets in PROPOSAL_TRANSITIONS.values() for to in targets}
    assert set(PROPOSAL_STATUS_EVENTS) == reached
    assert all(PROPOSAL_STATUS_EVENTS[s] == f"council.proposal_{s}" for s in reached)


def test_the_event_and_code_values_are_the_contract() -> None:
    assert {e.value for e in CouncilLogEvent} == {
        "council.meeting_created",
        "council.meeting_updated",
        "council.meeting_published",
        "council.meeting_cancelled",
        "council.document_added",
        "council.history_loaded",
        "council.recommendation_adopted",
        "council.report_filed",
        "council.report_amended",
        "council.proposal_submitted",
        "council.proposal_backed",
        "council.proposal_note",
        *(f"council.proposal_{s}" for s in ProposalStatus if s != ProposalStatus.SUBMITTED),
    }
    assert CouncilErrorCode.TRANSITION_NOT_ALLOWED == "transition_not_allowed"
    assert CouncilErrorCode.INVALID_RECOMMENDATION == "invalid"
    assert len({c.value for c in CouncilErrorCode}) == len(CouncilErrorCode)


@pytest.mark.django_db
def test_stored_values_are_the_plain_strings(council_world: dict[str, Any]) -> None:
    proposal = services.proposal_submit(
        actor=council_world["staff_user"],
        body=council_world["maslikhat"],
        title="Fees",
        text="Local fees.",
        language="en",
        policy_area="budget",
    )
    services.proposal_review(actor=council_world["council_staff"], proposal=proposal)
    with pytest.raises(NotAllowed) as refused:
        services.proposal_review(actor=council_world["council_staff"], proposal=proposal)
    with pytest.raises(FieldErrors) as invalid:
        services.proposal_decline(actor=council_world["council_staff"], proposal=proposal, reason=" ")
    events = list(
        ActionLog.objects.filter(event__startswith="council.").order_by("id").values_list("event", flat=True)
    )
    assert events == ["council.proposal_submitted", "council.proposal_under_review"]
    assert type(refused.value.code) is str and refused.value.code == "transition_not_allowed"
    assert invalid.value.errors[0][:2] == ("reason", "required")


def test_proposal_events_are_lifecycle_events_with_the_shared_columns() -> None:
    assert issubclass(ProposalEvent, ShownLifecycleEvent)
    assert issubclass(ShownLifecycleEvent, LifecycleEvent)
    assert ProposalEvent._meta.get_field("to_status").max_length == 24
    assert ProposalEvent._meta.ordering == ["created_at", "id"]


@pytest.mark.django_db
def test_no_migration_is_pending_for_the_council() -> None:
    out = StringIO()
    call_command("makemigrations", "council", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
