"""Authorization-matrix rows of the pages added for the pages work (see access/__init__.py)."""

from __future__ import annotations

from typing import Any

from ..roles import ALL, OPEN, Req

TABLE: dict[str, list[Req]] = {
    # A maslikhat's public appeals (appeals.selectors.public_appeals): anyone.
    "web:body_appeals": [("GET", "/en/bodies/{body}/appeals/", ALL, "")],
}
POST_DATA: dict[str, dict[str, Any]] = {}
JSON_DATA: dict[str, dict[str, Any]] = {}
SECOND_FACTOR: dict[str, str] = {"web:body_appeals": OPEN}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The rows these paths use in the shared world (none yet)."""
    return {}
