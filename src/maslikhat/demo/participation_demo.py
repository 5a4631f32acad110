"""Demo participation (synthetic, every row `is_demo`)."""

from __future__ import annotations


def generate_demo_participation(*, seed: int = 1) -> int:
    """Create the demo participation once; returns how many rows were made (0: already present)."""
    return 0
