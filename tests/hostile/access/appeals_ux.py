"""Authorization-matrix rows of the pages added for the appeals work (see access/__init__.py)."""

from __future__ import annotations

from typing import Any

from ..roles import ALL, NOBODY, OPEN, Req

# ------------------------------------------------------------------ writing, rating, follow-up (B)
# The form posts twice: the preview (nothing stored) and the confirmation (the appeal is sent);
# the rating and the withdrawal ask for a confirmation first; the follow-up question opens with
# the tracking token or the emailed key. Without a token (or with a wrong one) nothing opens.
TABLE: dict[str, list[Req]] = {
    "appeals:new": [
        ("GET", "/en/appeals/new/?body={body}", ALL, ""),
        ("POST", "/en/appeals/new/?body={body}", ALL, ""),
    ],
    "appeals:rate": [
        ("POST", "/en/appeals/{appeal}/rate/?token={token}", ALL, ""),
        ("POST", "/en/appeals/{appeal}/rate/", NOBODY, ""),
    ],
    "appeals:followup": [
        ("GET", "/en/appeals/{appeal}/followup/?token={token}", ALL, ""),
        ("GET", "/en/appeals/{appeal}/followup/", NOBODY, ""),
        ("GET", "/en/appeals/{appeal}/followup/?token=guess", NOBODY, ""),
        ("POST", "/en/appeals/{appeal}/followup/?token={token}", ALL, ""),
        ("POST", "/en/appeals/{appeal}/followup/", NOBODY, ""),
    ],
}
POST_DATA: dict[str, dict[str, Any]] = {
    # the confirmation step: every text field goes through the one text rule and the service
    "appeals:new": {
        "step": "confirm",
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road on Abai street.",
        "full_name": "Hostile Citizen",
        "iin": "850315300128",
        "address": "Astana, 1 Abai street",
        "phone": "+7 701 234 56 78",
        "email": "hostile@example.org",
        "language": "en",
    },
    "appeals:rate": {"rating": "3", "comment": "Fair, but late.", "confirm": "1"},
    "appeals:followup": {"answer": "partly"},
}
JSON_DATA: dict[str, dict[str, Any]] = {}
SECOND_FACTOR: dict[str, str] = {"appeals:followup": OPEN}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The rows these paths use in the shared world: the world's appeal and its token."""
    return {}
