"""Models of the proceedings app."""

from __future__ import annotations
