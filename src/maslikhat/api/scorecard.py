"""API adapters for scorecard (read-only public endpoints)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["scorecard"])
