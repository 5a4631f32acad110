"""Capacity is never exceeded under concurrency: 100 parallel bookings of a slot of capacity 10
give exactly 10 booked and 90 on the waiting list, on PostgreSQL (the slot's row lock) and on
SQLite (one writer at a time under BEGIN IMMEDIATE).

SQLite: the test database is in memory with a shared cache, where a second writer gets
"table is locked" at once instead of waiting (the busy timeout does not apply to shared-cache
locks). A deployment uses a file, so the threads book in a file copy of the test database
(`sqlite3` backup), each through its own connection with the project's OPTIONS."""

from __future__ import annotations

import sqlite3
import threading
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from maslikhat.deputies.models import Booking
from maslikhat.deputies.services import booking_create, schedule_create

N = 100
# At most this many bookings hold a database connection at once: PostgreSQL's default is 100
# connections for everything (the other xdist worker's tests too); 20 writers still contend.
AT_ONCE = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_never_exceed_capacity(astana: dict[str, Any], tmp_path: Path) -> None:
    schedule = schedule_create(
        actor=None,
        deputy=astana["deputy"],
        place="Hall",
        mode="in_person",
        recurrence="single",
        start_time=time(10, 0),
        duration_minutes=60,
        capacity=10,
        first_date=timezone.localdate() + timedelta(days=2),
    )
    slot = schedule.slots.get()
    file_db: dict[str, Any] | None = None
    if connection.vendor == "sqlite":
        file_db = dict(connections.settings["default"])
        file_db["NAME"] = str(tmp_path / "bookings.sqlite3")
        target = sqlite3.connect(file_db["NAME"])
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()

    def use_file_db() -> None:
        if file_db is not None:
            connections["default"] = load_backend(file_db["ENGINE"]).DatabaseWrapper(file_db, "default")

    barrier = threading.Barrier(N)
    gate = threading.Semaphore(AT_ONCE)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            use_file_db()
            barrier.wait(timeout=60)
            with gate:
                try:
                    booking_create(actor=None, slot=slot, name=f"Caller {i}", phone=f"+7701{i:07d}")
                finally:
                    connections.close_all()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert errors == []
    main = connections["default"]
    try:
        use_file_db()
        counts = {s: Booking.objects.filter(slot=slot, status=s).count() for s in ("booked", "waiting")}
    finally:
        if file_db is not None:
            connections["default"].close()
            connections["default"] = main
    assert counts == {"booked": 10, "waiting": 90}
