"""The scorecard's block on a maslikhat's page (core.sections: directory.body, actions): a link
to the maslikhat's own scorecard page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maslikhat.core.sections import PageSection
from maslikhat.directory.choices import MASLIKHAT_KINDS
from maslikhat.directory.models import Organization


def _scorecard_link(request: HttpRequest | None, body: Organization) -> dict[str, Any] | None:
    return {"body": body} if body.kind in MASLIKHAT_KINDS else None


SECTIONS = (
    PageSection(
        "scorecard.body_link",
        "directory.body",
        "actions",
        "scorecard/sections/body_link.html",
        _scorecard_link,
        order=50,
    ),
)
