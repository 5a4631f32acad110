"""What the national council puts in the public search (see maslikhat.core.search): its
meetings once published (not drafts; a cancelled meeting stays, as on the site) and the
recommendations of those meetings. Reports of the maslikhats and proposals are not indexed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, each, localized_documents

from .choices import MeetingStatus
from .models import Meeting, Recommendation

# The council's area and body, and the weight of its documents.
COUNCIL: dict[str, Any] = {"area": "council.area_id", "organization": "council_id", "weight": 1.1}


def meeting_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = Meeting.objects.exclude(status=MeetingStatus.DRAFT).select_related("council")
    for meeting in each(qs, pks, chunk_size=500):
        yield from localized_documents(
            meeting,
            title="title",
            body=("summary", "outcomes", "place", "minutes"),
            url="council:meeting",
            **COUNCIL,
            date="held_on",
        )


def recommendation_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = Recommendation.objects.filter(meeting__status=MeetingStatus.PUBLISHED).select_related("council")
    for rec in each(qs, pks, chunk_size=500):
        yield from localized_documents(
            rec, title="title", body=("text",), url="council:recommendation", **COUNCIL, date="adopted_on"
        )


def _recommendations_of(meeting: Meeting) -> list[int]:
    return list(Recommendation.objects.filter(meeting=meeting).values_list("pk", flat=True))


def _meeting_of(obj: Any) -> list[int]:
    return [obj.meeting_id]


PROVIDERS = [
    SearchProvider(
        kind="council_meeting",
        label=_("Council meetings"),
        documents=meeting_documents,
        watch={"council.Meeting": None},
        order=50,
    ),
    SearchProvider(
        kind="recommendation",
        label=_("Recommendations"),
        documents=recommendation_documents,
        watch={"council.Recommendation": None, "council.Meeting": _recommendations_of},
        order=55,
    ),
]
