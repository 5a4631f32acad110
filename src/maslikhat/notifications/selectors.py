"""Reads for follows and digests: the user's follows, and what is new in a follow's scope.

Scope of each kind of follow:
- area: news concerning the area (news.selectors.area_news rule); decisions addressed to, and
  public answered appeals of, the maslikhats of the area and of the areas inside it;
- body: the body's news; decisions addressed to it; its public answered appeals;
- tag: news with the tag;
- deputy: news of the maslikhats the deputy sits in now; public answered appeals to the deputy.
"Decisions" are recommendations of the national council adopted at a published meeting
(counted from the meeting's publication) and addressed to the body (a report is due from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from maslikhat.appeals import selectors as appeal_selectors
from maslikhat.appeals.models import Appeal
from maslikhat.council.models import Recommendation
from maslikhat.directory.choices import DEPUTY_ROLES, MASLIKHAT_KINDS
from maslikhat.directory.models import Membership, Organization
from maslikhat.news import selectors as news_selectors
from maslikhat.news.models import Publication

from .choices import FollowKind
from .models import Follow

DIGEST_LIMIT = 20


def follows_of(*, user: Any) -> list[Follow]:
    return list(
        Follow.objects.filter(user=user, active=True)
        .select_related("area", "body", "tag", "deputy")
        .defer("area__boundary", "area__boundary_web")
        .order_by("kind", "id")
    )


def follow_of(*, user: Any, kind: str, target: Any) -> Follow | None:
    if not getattr(user, "is_authenticated", False) or target is None:
        return None
    return Follow.objects.filter(user=user, kind=kind, active=True, **{kind: target}).first()


def followed_area_code(*, user: Any) -> str | None:
    """The area a logged-in user follows (the latest one), for the home page."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Follow.objects.filter(user=user, active=True, kind=FollowKind.AREA)
        .order_by("-created_at", "-id")
        .values_list("area__code", flat=True)
        .first()
    )


@dataclass
class DigestContent:
    news: list[Publication] = field(default_factory=list)
    decisions: list[Recommendation] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    news_count: int = 0
    decisions_count: int = 0
    appeals_count: int = 0

    @property
    def total(self) -> int:
        return self.news_count + self.decisions_count + self.appeals_count


def _area_body_ids(follow: Follow) -> list[int]:
    area_id = follow.area_id
    return list(
        Organization.objects.current()
        .filter(kind__in=MASLIKHAT_KINDS)
        .filter(Q(area_id=area_id) | Q(area__parent_id=area_id) | Q(area__parent__parent_id=area_id))
        .values_list("id", flat=True)
    )


def _deputy_body_ids(follow: Follow) -> list[int]:
    if follow.deputy_id is None:
        return []
    return list(
        Membership.objects.current()
        .filter(person_id=follow.deputy_id, role__in=DEPUTY_ROLES, organization__kind__in=MASLIKHAT_KINDS)
        .values_list("organization_id", flat=True)
    )


def _news(follow: Follow, body_ids: list[int]) -> QuerySet[Publication]:
    if follow.kind == FollowKind.AREA and follow.area is not None:
        return news_selectors.publication_list(area=follow.area)
    if follow.kind == FollowKind.TAG and follow.tag is not None:
        return news_selectors.publication_list(tag_code=follow.tag.code)
    return news_selectors.published().filter(body_id__in=body_ids)


def digest_content(*, follow: Follow, since: datetime, until: datetime) -> DigestContent:
    """What became public in (since, until] in the follow's scope (lists capped, counts exact)."""
    if follow.kind == FollowKind.AREA:
        body_ids = _area_body_ids(follow)
    elif follow.kind == FollowKind.BODY:
        body_ids = [follow.body_id] if follow.body_id else []
    elif follow.kind == FollowKind.DEPUTY:
        body_ids = _deputy_body_ids(follow)
    else:
        body_ids = []
    news = _news(follow, body_ids).filter(published_at__gt=since, published_at__lte=until)
    content = DigestContent()
    content.news_count = news.count()
    if content.news_count:
        content.news = list(news[:DIGEST_LIMIT])
    if follow.kind in (FollowKind.AREA, FollowKind.BODY) and body_ids:
        decisions = (
            Recommendation.objects.filter(
                meeting__status="published",
                meeting__published_at__gt=since,
                meeting__published_at__lte=until,
                reports__body_id__in=body_ids,
            )
            .select_related("meeting", "council")
            .distinct()
            .order_by("-adopted_on", "number")
        )
        content.decisions_count = decisions.count()
        if content.decisions_count:
            content.decisions = list(decisions[:DIGEST_LIMIT])
    if follow.kind == FollowKind.DEPUTY or body_ids:
        # published (staff approved the redacted texts) in the period: the one public reader
        if follow.kind == FollowKind.DEPUTY:
            appeals = appeal_selectors.public_appeals(
                deputy_id=follow.deputy_id or -1, published_after=since, published_until=until
            )
        else:
            appeals = appeal_selectors.public_appeals(
                body_ids=body_ids, published_after=since, published_until=until
            )
        content.appeals_count = appeals.count()
        if content.appeals_count:
            content.appeals = list(appeals[:DIGEST_LIMIT])
    return content
