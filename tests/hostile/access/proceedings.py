"""The proceedings app's rows of the authorization matrix."""

from __future__ import annotations

from typing import Any

from ..roles import Req

TABLE: dict[str, list[Req]] = {}
POST_DATA: dict[str, dict[str, Any]] = {}
JSON_DATA: dict[str, dict[str, Any]] = {}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The proceedings rows of the world; returns the ids the paths above use."""
    return {}
