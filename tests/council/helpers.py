"""Build a small council record through the services (shared by page and API tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from maslikhat.council import services
from maslikhat.council.choices import MeetingKind


def council_record(c: dict[str, Any]) -> dict[str, Any]:
    staff = c["council_staff"]
    meeting = services.meeting_create(
        actor=staff,
        held_on=date(2026, 12, 10),
        kind=MeetingKind.EXTENDED,
        title={"en": "Assessing the maslikhats", "kk": "Мәслихаттарды бағалау", "ru": "Оценка маслихатов"},
        agenda=[{"en": "Scorecard for 2026"}],
    )
    proposal = services.proposal_submit(
        actor=c["staff_user"],
        body=c["maslikhat"],
        title="Local fees for district maslikhats",
        text="Amend the Budget Code.",
        language="en",
        policy_area="budget",
    )
    services.proposal_add_note(actor=staff, proposal=proposal, text="Ask the ministry first")
    rec = services.recommendation_adopt(
        actor=staff,
        meeting=meeting,
        title={"en": "Hold monthly receptions"},
        text={"en": "Every deputy receives citizens monthly."},
        due_on=date(2027, 3, 1),
        addressees=[c["maslikhat"], c["almaty"]],
    )
    draft = services.meeting_create(
        actor=staff, held_on=date(2027, 2, 1), kind=MeetingKind.REGULAR, title={"en": "Next meeting (draft)"}
    )
    return {"meeting": meeting, "proposal": proposal, "rec": rec, "draft": draft}
