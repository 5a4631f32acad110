"""Authorization-matrix rows of the pages added for the accounts work (see access/__init__.py)."""

from __future__ import annotations

from typing import Any

from ..roles import ALL, LOGGED_IN, OPEN, Req

# The world's appeal was submitted by the citizen's account (and no account has its address
# verified): only the citizen owns it, not even an administrator (ownership.is_owner).
OWNER = frozenset({"citizen"})

TABLE: dict[str, list[Req]] = {
    "appeals:mine": [("GET", "/en/my-appeals/", LOGGED_IN, "")],
    "appeals:mine_detail": [
        ("GET", "/en/my-appeals/{appeal}/", OWNER, ""),
        ("GET", "/en/my-appeals/NO-SUCH-NUMBER/", frozenset(), ""),
    ],
    "appeals:mine_link": [("POST", "/en/my-appeals/{appeal}/link/", OWNER, "")],
    "appeals:links": [
        ("GET", "/en/tracking-links/", ALL, ""),
        ("POST", "/en/tracking-links/", ALL, ""),
    ],
}
POST_DATA: dict[str, dict[str, Any]] = {"appeals:links": {"email": "hostile@example.org"}}
JSON_DATA: dict[str, dict[str, Any]] = {}
SECOND_FACTOR: dict[str, str] = {
    "appeals:mine": OPEN,
    "appeals:mine_detail": OPEN,
    "appeals:mine_link": OPEN,
    "appeals:links": OPEN,
}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The rows these paths use in the shared world (the world's appeal: none of their own)."""
    return {}
