"""Authorization-matrix rows of the pages added for the accounts work (see access/__init__.py)."""

from __future__ import annotations

from typing import Any

from ..roles import Req

TABLE: dict[str, list[Req]] = {}
POST_DATA: dict[str, dict[str, Any]] = {}
JSON_DATA: dict[str, dict[str, Any]] = {}
SECOND_FACTOR: dict[str, str] = {}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The rows these paths use in the shared world (none yet)."""
    return {}
