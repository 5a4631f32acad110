"""What the notifications app adds to other apps' pages (see maslikhat.core.sections): the
"follow by email" button, after the other buttons."""

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


# The follow button on the directory's pages of a body, an area and a sitting deputy, and on the
# news lists of a body, an area and a tag.
SECTIONS = tuple(
    PageSection(
        f"notifications.follow_{kind}" if app == "directory" else f"notifications.follow_{app}_{kind}",
        f"{app}.{kind}",
        "actions",
        "notifications/sections/follow.html",
        _follow(kind),
        order=ORDER,
    )
    for app, kinds in (("directory", ("body", "area", "deputy")), ("news", ("body", "area", "tag")))
    for kind in kinds
)
