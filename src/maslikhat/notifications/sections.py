"""What the notifications app adds to the directory's pages (see maslikhat.core.sections): the
"follow by email" button of a body, an area and a sitting deputy, after the other buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from maslikhat.core.sections import PageSection

ORDER = 20  # after the "write to" buttons


def _follow(kind: str) -> Callable[[HttpRequest | None, Any], dict[str, Any]]:
    def context(request: HttpRequest | None, target: Any) -> dict[str, Any]:
        return {"kind": kind, "target": target}

    return context


SECTIONS = (
    PageSection(
        "notifications.follow_body",
        "directory.body",
        "actions",
        "notifications/sections/follow.html",
        _follow("body"),
        order=ORDER,
    ),
    PageSection(
        "notifications.follow_area",
        "directory.area",
        "actions",
        "notifications/sections/follow.html",
        _follow("area"),
        order=ORDER,
    ),
    PageSection(
        "notifications.follow_deputy",
        "directory.deputy",
        "actions",
        "notifications/sections/follow.html",
        _follow("deputy"),
        order=ORDER,
    ),
)
