"""What the proceedings app adds to the directory's pages (see maslikhat.core.sections): on a
maslikhat's page a banner while a draft decision is open for comment, with a link to its
sessions; on a deputy's page the deputy's attendance and latest votes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from maslikhat.core.sections import PageSection
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization, Person

from . import selectors

# The banner comes first in the body of the page; the record under the other blocks.
BANNER_ORDER = -10
RECORD_ORDER = 30


def _open_drafts(request: HttpRequest | None, body: Organization) -> dict[str, Any] | None:
    if body.kind not in MASLIKHAT_KINDS:
        return None
    drafts = selectors.open_drafts(body=body)
    if not drafts:
        return None
    return {"drafts": drafts, "sessions_url": reverse("proceedings:sessions", kwargs={"pk": body.pk})}


def _deputy_record(request: HttpRequest | None, person: Person) -> dict[str, Any] | None:
    record = selectors.deputy_record(person)
    if not record.sessions and not record.votes:
        return None
    return {"record": record}


def _commission_meetings(request: HttpRequest | None, body: Organization) -> dict[str, Any] | None:
    if body.kind != OrganizationKind.STANDING_COMMISSION or body.parent_id is None:
        return None
    return {
        "meetings": selectors.commission_meetings(commission=body, limit=10),
        "commission_url": reverse("proceedings:commission", kwargs={"pk": body.pk}),
        "calendar_url": reverse("proceedings:commission_calendar", kwargs={"pk": body.pk}),
    }


SECTIONS = (
    PageSection(
        "proceedings.open_drafts",
        "directory.body",
        "main",
        "proceedings/sections/open_drafts.html",
        _open_drafts,
        order=BANNER_ORDER,
        families=("proceedings@body", "directory"),  # kept per version of the body's part
    ),
    PageSection(
        "proceedings.deputy_record",
        "directory.deputy",
        "main",
        "proceedings/sections/deputy_record.html",
        _deputy_record,
        order=RECORD_ORDER,
    ),
    PageSection(
        "proceedings.commission_meetings",
        "directory.body",
        "main",
        "proceedings/sections/commission_meetings.html",
        _commission_meetings,
        order=RECORD_ORDER,
        families=("proceedings", "directory"),  # a commission's meetings: the whole family
    ),
)
