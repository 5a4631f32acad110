"""Demo deputies' receptions, reports and inquiries (synthetic, every row `is_demo`)."""

from __future__ import annotations


def generate_demo_deputies(*, seed: int = 1) -> int:
    """Create the demo receptions, reports and inquiries once; returns how many rows were made
    (0: already present)."""
    return 0
