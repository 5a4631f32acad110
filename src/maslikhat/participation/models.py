"""Models of the participation app."""

from __future__ import annotations
