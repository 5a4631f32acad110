"""The participation app's rows of the authorization matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..roles import ALL, LOGGED_IN, OPEN, STAFF, Req

# The world's "citizen" is a verified resident of the participation locality (objects below);
# every other account is not, so a resident's write is refused them with 403 not_resident.
RESIDENT = frozenset({"citizen"})

# The locality's maslikhat has no staff among the world's roles: only the superuser runs it.
LOCAL_STAFF = frozenset({"admin"})

TABLE: dict[str, list[Req]] = {
    "participation:index": [("GET", "/en/participation/", ALL, "")],
    "participation:feed": [("GET", "/en/participation/feed/", ALL, "")],
    "participation:verify": [("GET", "/en/participation/verify/", LOGGED_IN, "")],
    "participation:initiative_new": [("GET", "/en/participation/initiatives/new/", LOGGED_IN, "")],
    "participation:initiative": [
        ("GET", "/en/participation/initiatives/{p_initiative}/", ALL, ""),
        ("GET", "/en/participation/initiatives/{p_draft_initiative}/", LOCAL_STAFF, ""),
    ],
    "participation:initiative_act": [
        ("POST", "/en/participation/initiatives/{p_initiative}/support/", RESIDENT, ""),
        ("POST", "/en/participation/initiatives/{p_draft_initiative}/publish/", LOCAL_STAFF, ""),
        ("POST", "/en/participation/initiatives/{p_initiative}/paper/", LOCAL_STAFF, ""),
        ("POST", "/en/participation/initiatives/{p_initiative}/no-such-action/", frozenset(), ""),
    ],
    "participation:process": [("GET", "/en/participation/budgets/{p_process}/", ALL, "")],
    "participation:results_csv": [("GET", "/en/participation/budgets/{p_finished}/results.csv", ALL, "")],
    # a resident's empty ballot is a 422; anyone else 403 not_resident; the tally: staff only
    "participation:process_act": [
        ("POST", "/en/participation/budgets/{p_process}/vote/", RESIDENT, ""),
        ("POST", "/en/participation/budgets/{p_process}/tally/", LOCAL_STAFF, ""),
        ("POST", "/en/participation/budgets/{p_process}/paper/", LOCAL_STAFF, ""),
    ],
    "participation:implementation": [
        ("GET", "/en/participation/implementation/{p_implementation}/", ALL, "")
    ],
    "api:participation_initiatives": [("GET", "/api/v1/participation/initiatives", ALL, "")],
    "api:participation_initiative": [
        ("GET", "/api/v1/participation/initiatives/{p_initiative}", ALL, ""),
        ("GET", "/api/v1/participation/initiatives/{p_draft_initiative}", frozenset(), ""),
    ],
    "api:participation_support": [
        ("POST", "/api/v1/participation/initiatives/{p_initiative}/support", RESIDENT, "bearer")
    ],
    # withdrawing one's own support: any account (a no-op for one that never supported)
    "api:participation_support_withdraw": [
        ("POST", "/api/v1/participation/initiatives/{p_initiative}/support/withdraw", LOGGED_IN, "bearer")
    ],
    "api:participation_processes": [("GET", "/api/v1/participation/processes", ALL, "")],
    "api:participation_process": [("GET", "/api/v1/participation/processes/{p_process}", ALL, "")],
    "api:participation_results": [("GET", "/api/v1/participation/processes/{p_finished}/results", ALL, "")],
    # the resident gets a 422 (no such project in the vote); others 403 not_resident
    "api:participation_ballot": [
        ("POST", "/api/v1/participation/processes/{p_process}/ballot", RESIDENT, "bearer json")
    ],
    "api:participation_implementations": [("GET", "/api/v1/participation/implementation", ALL, "")],
    "api:participation_implementation": [
        ("GET", "/api/v1/participation/implementation/{p_implementation}", ALL, "")
    ],
}
POST_DATA: dict[str, dict[str, Any]] = {
    "participation:initiative_act": {"count": "3", "note": "Signed at the akimat.", "reason": "Duplicate."},
    "participation:staff_verify": {"who": "citizen", "document_note": "Identity card seen."},
}
JSON_DATA: dict[str, dict[str, Any]] = {"api:participation_ballot": {"projects": [999999999]}}

# Whether staff need their second factor on the page (tests/hostile/test_authorization.py).
SECOND_FACTOR: dict[str, str] = {
    "participation:index": OPEN,
    "participation:feed": OPEN,
    "participation:verify": OPEN,
    "participation:initiative_new": OPEN,
    "participation:initiative": STAFF,
    "participation:initiative_act": STAFF,
    "participation:process": OPEN,
    "participation:results_csv": OPEN,
    "participation:process_act": STAFF,
    "participation:implementation": OPEN,
}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The participation rows of the world; returns the ids the paths above use."""
    from maslikhat.participation.models import Ballot, BudgetProcess, Implementation
    from maslikhat.participation.services import (
        initiative_create,
        initiative_moderate,
        process_tally,
        residency_in_person,
    )
    from tests.participation.world import build_locality, build_voting

    local = build_locality(prefix="HW")
    citizen = w["users"]["citizen"]
    residency_in_person(actor=local["staff"], user=citizen, area=local["village"], document_note="ID card")
    initiative = initiative_create(
        actor=citizen, area=local["village"], title="Benches", text="Benches in the park.", category="yards"
    )
    initiative_moderate(actor=local["staff"], initiative=initiative, publish=True)
    draft = initiative_create(
        actor=citizen, area=local["village"], title="Draft", text="Awaiting moderation.", category="other"
    )
    voting = build_voting(local)
    finished = build_voting(local)
    process = finished["process"]
    ballot = Ballot.objects.create(process=process, user=citizen)
    ballot.projects.set([finished["projects"][0]])
    from django.utils import timezone

    BudgetProcess.objects.filter(pk=process.pk).update(voting_until=timezone.localdate() - timedelta(days=1))
    process.refresh_from_db()
    process_tally(actor=local["staff"], process=process)
    return {
        "p_initiative": initiative.pk,
        "p_draft_initiative": draft.pk,
        "p_process": voting["process"].pk,
        "p_finished": process.pk,
        "p_implementation": Implementation.objects.get(project=finished["projects"][0]).pk,
    }


# The in-person verification screen: staff of any maslikhat (which areas they may verify is the
# service's check) and administrators; an empty POST is a 422 for them.
STAFF_VERIFY = frozenset({"staff", "other_staff", "admin"})
TABLE["participation:staff_verify"] = [
    ("GET", "/en/participation/staff/verify/", STAFF_VERIFY, ""),
    ("POST", "/en/participation/staff/verify/", STAFF_VERIFY, ""),
]
SECOND_FACTOR["participation:staff_verify"] = STAFF
