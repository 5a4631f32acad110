"""Who is a resident of an area: the one rule every action calls (`is_resident`), and the keyed
hashes of IINs, phones and codes (never stored in the clear)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.errors import DomainError
from maslikhat.directory.models import Area

from .choices import ALL_METHODS, VerificationMethod
from .error_codes import ParticipationErrorCode as E
from .models import Verification


def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"participation.{purpose}:{settings.SECRET_KEY}".encode()).digest()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under a key derived from SECRET_KEY for this purpose."""
    return hmac.new(_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def iin_hash(iin: str) -> str:
    return keyed_hash("iin", iin)


# Parent links read per query: settlement, okrug, district, region, country is five levels.
_CHAIN_STEP = ("pk", "parent_id", *(f"{'parent__' * n}parent_id" for n in range(1, 5)))


def area_chain_ids(area_id: int) -> list[int]:
    """The area and every area above it, nearest first (one query for five levels)."""
    ids: list[int] = []
    current: int | None = area_id
    while current is not None and current not in ids:
        row = Area.objects.filter(pk=current).values_list(*_CHAIN_STEP).first()
        if row is None:
            break
        current = None
        for found in row:
            if found is None or found in ids:
                break
            ids.append(found)
            current = found
        else:  # the chain goes on above the fifth level: read from the last one found
            ids.pop()
    return ids


def covers(verified_area_chain: Iterable[int], area: Area) -> bool:
    """A resident of a settlement is a resident of its district, city and region."""
    return area.pk in set(verified_area_chain)


def active_verifications(user: Any, *, now: datetime | None = None) -> list[Verification]:
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    return list(
        Verification.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).order_by(
            "-verified_at"
        )
    )


def residency(
    user: object, area: Area, methods: Iterable[str] = ALL_METHODS, *, now: datetime | None = None
) -> Verification | None:
    """The active verification making `user` a resident of `area` by one of `methods`, or None."""
    accepted = set(methods)
    for v in active_verifications(user, now=now):
        if v.method in accepted and covers(area_chain_ids(v.area_id), area):
            return v
    return None


def is_resident(
    user: object, area: Area, methods: Iterable[str] = ALL_METHODS, *, now: datetime | None = None
) -> bool:
    """Whether `user` is a verified resident of `area` by one of `methods` (every path calls this)."""
    return residency(user, area, methods, now=now) is not None


class NotResident(DomainError):
    """403: the action needs a verified resident of the area; says why and how to verify."""

    status = 403


def require_resident(user: object, area: Area, methods: Iterable[str] = ALL_METHODS) -> Verification:
    found = residency(user, area, methods)
    if found is not None:
        return found
    accepted = sorted(set(methods))
    labels = ", ".join(str(VerificationMethod(m).label) for m in accepted)
    if not getattr(user, "is_authenticated", False):
        reason = _("Sign in and verify that you live in this area to take part.")
    else:
        reason = _("You are not a verified resident of this area (or your verification has expired).")
    raise NotResident(
        E.NOT_RESIDENT,
        reason,
        area=area.code,
        methods=accepted,
        how_to_verify=str(
            _("Verify your residency on the participation page (%(methods)s).") % {"methods": labels}
        ),
        verify_path=f"/participation/verify/?area={area.code}",
    )
