"""API adapters for deputies."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["deputies"])
