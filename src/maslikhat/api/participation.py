"""API adapters for participation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["participation"])
