"""Reference data of the appeal submission path, read from memory: the topics, the bodies an
appeal may be addressed to (kind, dates in force, area code) and the deputies' bodies.

Each process keeps one snapshot, tagged with a version stored in the shared cache (Redis in
production); a write to a topic, a body, an area or a membership replaces the version after
commit (signals wired by `connect()` on import), so every process reloads its snapshot within a
second (VERSION_CHECK_S). A snapshot is only loaded outside a transaction (rows read inside one
may be uncommitted); inside, a missing snapshot means reading the database. The snapshot is also
reloaded after `MAX_AGE` seconds, and never used when the cache cannot be read (the data is then
read from the database, as before).
A snapshot holds dates, not answers: "in force" and "current deputy" are decided on the day of
use. Instances handed out are new objects each time (no state shared between requests).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from maslikhat.directory.choices import DEPUTY_ROLES, MASLIKHAT_KINDS
from maslikhat.directory.models import Area, Membership, Organization

from .models import Topic

VERSION_KEY = "appeals:refdata:version"
MAX_AGE = 300.0  # seconds: a missed invalidation (a write behind the ORM's back) lasts at most this
VERSION_CHECK_S = 1.0  # seconds between two reads of the shared version by one process


@dataclass(frozen=True)
class _Snapshot:
    version: str
    loaded: float
    topics: dict[str, dict[str, Any]]  # active topics by code: field values
    bodies: dict[int, tuple[dict[str, Any], dict[str, Any] | None]]  # org values, area values
    deputies: dict[int, list[tuple[int, date | None, date | None]]]  # person: (body, start, end)


_lock = threading.Lock()
_current: _Snapshot | None = None

_ORG_FIELDS = (
    "id",
    "slug",
    "kind",
    "parent_id",
    "area_id",
    "name_kk",
    "name_ru",
    "name_en",
    "founding_date",
    "dissolution_date",
)
_AREA_FIELDS = ("id", "code", "kind", "parent_id", "name_kk", "name_ru", "name_en")
_TOPIC_FIELDS = ("id", "code", "name_kk", "name_ru", "name_en", "position", "is_active")


_checked: tuple[float, str | None] = (-1e9, None)  # when this process last read the version


def _version() -> str | None:
    """The shared version, read from the cache at most once a second per process (a request
    asks several times; another process's change is seen within a second)."""
    global _checked
    now = time.monotonic()
    if now - _checked[0] < VERSION_CHECK_S and _checked[1] is not None:
        return _checked[1]
    found = _read_version()
    _checked = (now, found)
    return found


def _read_version() -> str | None:
    try:
        found = cache.get(VERSION_KEY)
        if found is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            found = cache.get(VERSION_KEY)
    except Exception:  # the cache is down: read from the database
        return None
    return str(found) if found is not None else None


def _load(version: str) -> _Snapshot:
    topics = {t["code"]: t for t in Topic.objects.filter(is_active=True).values(*_TOPIC_FIELDS)}
    orgs = list(Organization.objects.values(*_ORG_FIELDS))
    area_ids = {o["area_id"] for o in orgs if o["area_id"]}
    areas = {a["id"]: a for a in Area.objects.filter(id__in=area_ids).values(*_AREA_FIELDS)}
    bodies = {o["id"]: (o, areas.get(o["area_id"])) for o in orgs}
    deputies: dict[int, list[tuple[int, date | None, date | None]]] = {}
    rows = Membership.objects.filter(
        role__in=DEPUTY_ROLES, organization__kind__in=MASLIKHAT_KINDS
    ).values_list("person_id", "organization_id", "start_date", "end_date")
    for person_id, org_id, start, end in rows.order_by("person_id", "start_date", "id"):
        deputies.setdefault(person_id, []).append((org_id, start, end))
    return _Snapshot(version, time.monotonic(), topics, bodies, deputies)


def _snapshot() -> _Snapshot | None:
    global _current
    version = _version()
    if version is None:
        return None
    snap = _current
    if snap is not None and snap.version == version and time.monotonic() - snap.loaded < MAX_AGE:
        return snap
    if connection.in_atomic_block:
        # inside a transaction the rows may be uncommitted (and rolled back): not kept
        return None
    with _lock:
        snap = _load(version)
        _current = snap
    return snap


def warm() -> None:
    """Load this process's snapshot now if it is missing or stale (outside any transaction)."""
    _snapshot()


def invalidate() -> None:
    """Every process reloads its snapshot on next use (called after commit of a change)."""
    global _current, _checked
    _current = None
    _checked = (-1e9, None)
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: S110 - the cache is down: no process uses its snapshot then
        pass


def _on_change(**_kwargs: Any) -> None:
    global _current, _checked
    _current = None  # this process at once (the change may still be rolled back)
    _checked = (-1e9, None)
    transaction.on_commit(invalidate)


def connect() -> None:
    for model in (Topic, Organization, Area, Membership):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"appeals.refdata.{model.__name__}.save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"appeals.refdata.{model.__name__}.del")


# ------------------------------------------------------------------ readers


def topic(code: str) -> Topic | None:
    """The active topic with this code, or None."""
    snap = _snapshot()
    if snap is None:
        return Topic.objects.filter(code=code, is_active=True).first()
    values = snap.topics.get(code)
    return Topic(**values) if values is not None else None


def _org(values: tuple[dict[str, Any], dict[str, Any] | None]) -> Organization:
    org_values, area_values = values
    org = Organization(**org_values)
    if area_values is not None:
        org.area = Area(**area_values)
    return org


def body(pk: int, *, maslikhat_only: bool = False) -> Organization | None:
    """A body an appeal may be addressed to, with its area (code, names); None when unknown."""
    snap = _snapshot()
    if snap is None:
        qs = Organization.objects.select_related("area").defer("area__boundary", "area__boundary_web")
        if maslikhat_only:
            qs = qs.filter(kind__in=MASLIKHAT_KINDS)
        return qs.filter(pk=pk).first()
    found = snap.bodies.get(pk)
    if found is None or (maslikhat_only and found[0]["kind"] not in MASLIKHAT_KINDS):
        return None
    return _org(found)


def deputy_body(person_id: int, *, on: date | None = None) -> Organization | None:
    """The maslikhat in which the person sits as a deputy today, or None."""
    snap = _snapshot()
    if snap is None:
        m = (
            Membership.objects.current(on)
            .filter(person_id=person_id, role__in=DEPUTY_ROLES, organization__kind__in=MASLIKHAT_KINDS)
            .select_related("organization")
            .first()
        )
        return m.organization if m else None
    day = on or timezone.localdate()
    for org_id, start, end in snap.deputies.get(person_id, []):
        if (start is None or start <= day) and (end is None or day < end):
            found = snap.bodies.get(org_id)
            return _org(found) if found is not None else None
    return None


connect()  # the signals are wired on first import (appeals.jobs imports this module)
