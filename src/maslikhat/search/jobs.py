"""The search app's background jobs (run through core/background.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def index(kind: str, pk: int) -> int:
    from .services import index_object

    return index_object(kind, pk)


def remove(kind: str, pk: int) -> int:
    from .services import index_remove

    return index_remove(kind, pk)


def rebuild() -> int:
    from .services import index_rebuild

    return index_rebuild()


JOBS: dict[str, Callable[..., Any]] = {
    "search.index": index,
    "search.remove": remove,
    "search.rebuild": rebuild,
}
