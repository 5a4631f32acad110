"""Writes to the directory. Every service takes `actor` and writes one ActionLog row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from maslikhat.core.audit import log_action
from maslikhat.core.models import Visibility

from . import geo
from .models import Area, DirectoryState, Membership, Organization, Person, Post


def boundaries_changed() -> int:
    """Bump the boundaries version so every process rebuilds its look-up index."""
    state, _ = DirectoryState.objects.get_or_create(pk=1)
    DirectoryState.objects.filter(pk=1).update(boundaries_version=F("boundaries_version") + 1)
    state.refresh_from_db()
    return state.boundaries_version


@transaction.atomic
def area_upsert(*, actor: Any, code: str, defaults: dict[str, Any], log: bool = True) -> tuple[Area, bool]:
    """Create or update the area with `code`. A `boundary` in defaults is validated and
    stored with its simplified web copy; the look-up index is told when it changes."""
    values = dict(defaults)
    if values.get("boundary") is not None:
        values["boundary"] = geo.normalized(values["boundary"])
        values["boundary_web"] = geo.simplified(values["boundary"])
        values["boundary_within"] = None  # its own boundary now: no longer pending
    area = Area.objects.filter(code=code).first()
    created = area is None
    changed_boundary = "boundary" in values and (created or area.boundary != values["boundary"])  # type: ignore[union-attr]
    if area is None:
        area = Area.objects.create(code=code, **values)
    else:
        changed = {k: v for k, v in values.items() if getattr(area, k) != v}
        if not changed:
            return area, False
        for k, v in changed.items():
            setattr(area, k, v)
        area.save()
    if changed_boundary:
        boundaries_changed()
    if log:
        log_action(
            actor=actor,
            event="directory.area_created" if created else "directory.area_updated",
            target=area,
            visibility=Visibility.PUBLIC,
            data={"code": code},
        )
    return area, created


@transaction.atomic
def area_set_boundary(*, actor: Any, area: Area, boundary: dict[str, Any]) -> Area:
    area.boundary = geo.normalized(boundary)
    area.boundary_web = geo.simplified(area.boundary)
    area.boundary_within = None  # its own boundary now: no longer pending
    area.save(update_fields=["boundary", "boundary_web", "boundary_within", "updated_at"])
    boundaries_changed()
    log_action(actor=actor, event="directory.boundary_set", target=area, visibility=Visibility.PUBLIC)
    return area


@transaction.atomic
def organization_upsert(
    *, actor: Any, slug: str, defaults: dict[str, Any], log: bool = True
) -> tuple[Organization, bool]:
    org = Organization.objects.filter(slug=slug).first()
    created = org is None
    if org is None:
        org = Organization.objects.create(slug=slug, **defaults)
    else:
        changed = {k: v for k, v in defaults.items() if getattr(org, k) != v}
        if not changed:
            return org, False
        for k, v in changed.items():
            setattr(org, k, v)
        org.save()
    if log:
        log_action(
            actor=actor,
            event="directory.organization_created" if created else "directory.organization_updated",
            target=org,
            visibility=Visibility.PUBLIC,
            data={"slug": slug},
        )
    return org, created


@transaction.atomic
def organization_dissolve(*, actor: Any, organization: Organization, on: date) -> Organization:
    organization.dissolution_date = on
    organization.save(update_fields=["dissolution_date", "updated_at"])
    organization.memberships.filter(end_date__isnull=True).update(end_date=on)
    log_action(
        actor=actor,
        event="directory.organization_dissolved",
        target=organization,
        visibility=Visibility.PUBLIC,
        data={"on": on.isoformat()},
    )
    return organization


@transaction.atomic
def post_upsert(
    *, actor: Any, organization: Organization, role: str, area: Area | None, defaults: dict[str, Any]
) -> tuple[Post, bool]:
    """The post of `role` for `area` in `organization` that starts on defaults['start_date']
    and is labelled defaults['label_en'] (two seats of one region differ only by label)."""
    post = Post.objects.filter(
        organization=organization,
        role=role,
        area=area,
        start_date=defaults["start_date"],
        label_en=defaults.get("label_en", ""),
    ).first()
    if post is not None:
        changed = {k: v for k, v in defaults.items() if getattr(post, k) != v}
        for k, v in changed.items():
            setattr(post, k, v)
        if changed:
            post.save()
        return post, False
    post = Post.objects.create(organization=organization, role=role, area=area, **defaults)
    log_action(actor=actor, event="directory.post_created", target=post, visibility=Visibility.PUBLIC)
    return post, True


@transaction.atomic
def person_create(*, actor: Any, log: bool = True, **fields: Any) -> Person:
    person = Person.objects.create(**fields)
    if log:
        log_action(actor=actor, event="directory.person_created", target=person, visibility=Visibility.PUBLIC)
    return person


@transaction.atomic
def membership_start(
    *,
    actor: Any,
    person: Person,
    organization: Organization,
    role: str,
    start_date: date,
    post: Post | None = None,
    on_behalf_of: Organization | None = None,
    election_method: str = "",
    end_date: date | None = None,
    is_demo: bool = False,
    source: str = "",
    log: bool = True,
) -> Membership:
    membership = Membership.objects.create(
        person=person,
        organization=organization,
        role=role,
        post=post,
        on_behalf_of=on_behalf_of,
        election_method=election_method,
        start_date=start_date,
        end_date=end_date,
        is_demo=is_demo,
        source=source,
    )
    if log:
        log_action(
            actor=actor, event="directory.membership_started", target=membership, visibility=Visibility.PUBLIC
        )
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, on: date) -> Membership:
    membership.end_date = on
    membership.save(update_fields=["end_date", "updated_at"])
    log_action(
        actor=actor,
        event="directory.membership_ended",
        target=membership,
        visibility=Visibility.PUBLIC,
        data={"on": on.isoformat()},
    )
    return membership
