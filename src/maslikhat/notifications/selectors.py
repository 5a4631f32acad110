"""Reads for follows and digests: the user's follows, a follow's scope, and what is new in it.

What a digest contains comes from the digest sources the domain apps register
(`maslikhat.core.digests`; each app's `digests.py`): this module computes a follow's scope
once (`scope_of`: the maslikhats of an area and of the areas inside it, the body, the
maslikhats a deputy sits in now) and asks each source serving the follow's kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from maslikhat.core.digests import DigestItem, DigestPart, DigestScope, open_now, read_parts
from maslikhat.directory.choices import DEPUTY_ROLES, MASLIKHAT_KINDS
from maslikhat.directory.models import Area, Membership, Organization, Person
from maslikhat.news.models import Tag

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


# The parts that have a column of their own in DigestDelivery (counts of every part: `counts`).
NEWS, DECISIONS, APPEALS = "news.published", "council.recommendations", "appeals.published"


@dataclass
class DigestContent:
    """A follow's digest: one part per serving source (those with nothing new too), in order."""

    parts: list[DigestPart] = field(default_factory=list)

    @property
    def shown(self) -> list[DigestPart]:
        return [p for p in self.parts if p.count]

    @property
    def total(self) -> int:
        return sum(p.count for p in self.parts)

    @property
    def counts(self) -> dict[str, int]:
        return {p.source.name: p.count for p in self.parts if p.count}

    def part(self, name: str) -> DigestPart | None:
        return next((p for p in self.parts if p.source.name == name), None)

    def _count(self, name: str) -> int:
        part = self.part(name)
        return part.count if part else 0

    def _items(self, name: str) -> list[Any]:
        part = self.part(name)
        return part.items if part else []

    # The three parts the digest had before the registry, by their old names.
    @property
    def news(self) -> list[Any]:
        return self._items(NEWS)

    @property
    def news_count(self) -> int:
        return self._count(NEWS)

    @property
    def decisions(self) -> list[Any]:
        return self._items(DECISIONS)

    @property
    def decisions_count(self) -> int:
        return self._count(DECISIONS)

    @property
    def appeals(self) -> list[Any]:
        return self._items(APPEALS)

    @property
    def appeals_count(self) -> int:
        return self._count(APPEALS)


def _area_body_ids(area_id: int | None) -> list[int]:
    return list(
        Organization.objects.current()
        .filter(kind__in=MASLIKHAT_KINDS)
        .filter(Q(area_id=area_id) | Q(area__parent_id=area_id) | Q(area__parent__parent_id=area_id))
        .values_list("id", flat=True)
    )


def _deputy_body_ids(deputy_id: int | None) -> list[int]:
    if deputy_id is None:
        return []
    return list(
        Membership.objects.current()
        .filter(person_id=deputy_id, role__in=DEPUTY_ROLES, organization__kind__in=MASLIKHAT_KINDS)
        .values_list("organization_id", flat=True)
    )


def scope_of(follow: Follow) -> DigestScope:
    """What the follow covers (at most one query; the follow's target is select_related)."""
    if follow.kind == FollowKind.AREA:
        return DigestScope(kind=follow.kind, body_ids=tuple(_area_body_ids(follow.area_id)), area=follow.area)
    if follow.kind == FollowKind.BODY:
        return DigestScope(kind=follow.kind, body_ids=(follow.body_id,) if follow.body_id else ())
    if follow.kind == FollowKind.DEPUTY:
        return DigestScope(
            kind=follow.kind, body_ids=tuple(_deputy_body_ids(follow.deputy_id)), deputy_id=follow.deputy_id
        )
    return DigestScope(kind=follow.kind, tag_code=follow.tag.code if follow.tag is not None else None)


def digest_content(*, follow: Follow, since: datetime, until: datetime) -> DigestContent:
    """What became public in the follow's scope in the period (lists capped, counts exact): a
    fixed number of queries per source."""
    return DigestContent(read_parts(scope_of(follow), since, until))


@dataclass
class OpenNow:
    label: Any
    items: list[DigestItem]


def open_now_of(follow: Follow) -> list[OpenNow]:
    """For the follows page: what is open now in the follow's scope (a draft open for comment,
    a budget vote, ...), from the sources that tell it; one query per such source."""
    return [
        OpenNow(p.source.open_label or p.source.label, [p.source.item(o) for o in p.items if p.source.item])
        for p in open_now(scope_of(follow))
    ]


def follow_target(kind: str, key: str) -> Any:
    """What a follow form names (an area's code, a topic's code, a body's or deputy's id), or None."""
    if kind == FollowKind.AREA:
        return Area.objects.filter(code=key).only("id", "code").first()
    if kind == FollowKind.TAG:
        return Tag.objects.filter(code=key).first()
    if not key.isdigit() or len(key) > 18:
        return None
    if kind == FollowKind.BODY:
        return Organization.objects.filter(pk=int(key)).only("id").first()
    if kind == FollowKind.DEPUTY:
        return Person.objects.filter(pk=int(key)).only("id").first()
    return None


def follow_get(pk: int) -> Follow | None:
    return Follow.objects.filter(pk=pk).first()
