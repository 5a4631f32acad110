"""What the appeals app adds to the directory's pages (see maslikhat.core.sections): the
"write to" buttons and a maslikhat's appeal figures with its latest public appeals."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maslikhat.core.sections import PageSection
from maslikhat.directory.choices import MASLIKHAT_KINDS
from maslikhat.directory.models import Organization, Person

from .figures import body_figures
from .selectors import public_appeals

PUBLIC_APPEALS_SHOWN = 10


def _write_to_body(request: HttpRequest | None, body: Organization) -> dict[str, Any] | None:
    return {"body": body} if body.kind in MASLIKHAT_KINDS else None


def _body_figures(request: HttpRequest | None, body: Organization) -> dict[str, Any] | None:
    if body.kind not in MASLIKHAT_KINDS:
        return None
    return {
        "body": body,
        "figures": body_figures(body_id=body.pk),
        "public_appeals": list(public_appeals(body_id=body.pk)[:PUBLIC_APPEALS_SHOWN]),
    }


def _write_to_deputy(request: HttpRequest | None, person: Person) -> dict[str, Any]:
    return {"person": person, "size": "primary"}


def _write_to_deputy_card(request: HttpRequest | None, person: Person) -> dict[str, Any]:
    return {"person": person, "size": "small"}


SECTIONS = (
    PageSection(
        "appeals.write_to_body",
        "directory.body",
        "actions",
        "appeals/sections/write_to_body.html",
        _write_to_body,
    ),
    PageSection(
        "appeals.body_figures",
        "directory.body",
        "main",
        "appeals/sections/body_figures.html",
        _body_figures,
        # the same for every visitor: kept per version of the body's appeals (core.sections)
        families=("appeals-public@body", "directory"),
    ),
    PageSection(
        "appeals.write_to_deputy",
        "directory.deputy",
        "actions",
        "appeals/sections/write_to_deputy.html",
        _write_to_deputy,
    ),
    PageSection(
        "appeals.write_to_deputy_card",
        "directory.deputy",
        "card",
        "appeals/sections/write_to_deputy.html",
        _write_to_deputy_card,
    ),
)
