"""Writes for follows. Each use case is one function writing an ActionLog row."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.audit import log_action
from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.directory.models import Area, Organization, Person
from maslikhat.news.models import Tag

from .choices import TARGET_FIELD, FollowKind, Frequency
from .models import Follow

TARGET_TYPES: dict[str, type] = {
    FollowKind.AREA: Area,
    FollowKind.BODY: Organization,
    FollowKind.TAG: Tag,
    FollowKind.DEPUTY: Person,
}


def _check_frequency(frequency: str) -> None:
    if frequency not in Frequency.values:
        raise FieldErrors([("frequency", "invalid_choice", _("Choose daily or weekly."))])


@transaction.atomic
def follow_create(*, actor: Any, kind: str, target: Any, frequency: str = Frequency.WEEKLY) -> Follow:
    """Follow a target; following it again only changes the frequency of the existing follow."""
    errors: list[tuple[str, str, Any]] = []
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("login_required", _("Log in to follow."))
    if kind not in FollowKind.values:
        errors.append(("kind", "invalid_choice", _("Unknown kind of follow.")))
    elif not isinstance(target, TARGET_TYPES[kind]) or getattr(target, "pk", None) is None:
        errors.append(("target", "invalid_choice", _("Nothing to follow here.")))
    if frequency not in Frequency.values:
        errors.append(("frequency", "invalid_choice", _("Choose daily or weekly.")))
    if errors:
        raise FieldErrors(errors)
    field = TARGET_FIELD[FollowKind(kind)]
    existing = (
        Follow.objects.select_for_update()
        .filter(user=actor, kind=kind, active=True, **{field: target})
        .first()
    )
    if existing is not None:
        if existing.frequency != frequency:
            return follow_update(actor=actor, follow=existing, frequency=frequency)
        return existing
    follow = Follow.objects.create(
        user=actor, kind=kind, frequency=frequency, token_nonce=secrets.token_hex(16), **{field: target}
    )
    log_action(actor=actor, event="notifications.follow_created", target=follow, data={"kind": kind})
    return follow


@transaction.atomic
def follow_update(*, actor: Any, follow: Follow, frequency: str) -> Follow:
    _check_frequency(frequency)
    follow = Follow.objects.select_for_update().get(pk=follow.pk)
    if not follow.active:
        raise NotAllowed("follow_cancelled", _("This follow was cancelled."))
    previous = follow.frequency
    follow.frequency = frequency
    follow.save(update_fields=["frequency"])
    log_action(
        actor=actor,
        event="notifications.follow_updated",
        target=follow,
        data={"from": previous, "to": frequency},
    )
    return follow


@transaction.atomic
def follow_cancel(*, actor: Any, follow: Follow, via: str = "page") -> Follow:
    """Unsubscribe. Idempotent: cancelling a cancelled follow changes nothing."""
    follow = Follow.objects.select_for_update().get(pk=follow.pk)
    if not follow.active:
        return follow
    follow.active = False
    follow.cancelled_at = timezone.now()
    follow.save(update_fields=["active", "cancelled_at"])
    log_action(actor=actor, event="notifications.follow_cancelled", target=follow, data={"via": via})
    return follow
