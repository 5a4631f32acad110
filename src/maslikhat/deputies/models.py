"""Models of the deputies app."""

from __future__ import annotations
