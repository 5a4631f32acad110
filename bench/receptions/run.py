"""bench/receptions: 100 parallel bookings of one reception slot of capacity 10, on PostgreSQL and
on SQLite: exactly 10 booked, 90 on the waiting list, capacity never exceeded.

Each backend runs in its own child process (Django's settings are read once per process):
`DATABASE_URL` points at a database of its own (PostgreSQL: `BENCH_DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/bench_receptions, dropped and recreated; SQLite: a fresh
file under var/bench/ with the project's OPTIONS, BEGIN IMMEDIATE and the busy timeout), which
is migrated and given one maslikhat and one deputy. Then, for each of `BENCH_ROUNDS` new slots,
`BENCH_BOOKINGS` threads wait at a barrier and call `deputies.services.booking_create` at once,
each with a phone of its own and its own database connection; at most `BENCH_AT_ONCE` hold a
connection at the same time (PostgreSQL's default limit is 100 connections for the whole
server). Reported per round: wall time from the barrier to the last commit, each booking's
latency (p50 / p99 / max), the outcome counts read back from the database, and errors.
Loopback only; every wait is bounded. Writes results.json beside this file.

    .venv/bin/python bench/receptions/run.py            # both backends
    .venv/bin/python bench/receptions/run.py sqlite     # one
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VAR = ROOT / "var" / "bench"
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_receptions")
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "100"))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
AT_ONCE = int(os.environ.get("BENCH_AT_ONCE", "25"))
BACKENDS = ("postgresql", "sqlite")


def _child_env(backend: str) -> dict[str, str]:
    if backend == "postgresql":
        url = PG_URL
    else:
        VAR.mkdir(parents=True, exist_ok=True)
        path = VAR / "receptions.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "MASLIKHAT_VAR_DIR": str(VAR),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }


def _recreate_postgres() -> None:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------- the child: one backend


def _deputy() -> Any:
    from maslikhat.directory.choices import ElectionMethod, OrganizationKind, PostRole
    from maslikhat.directory.models import Membership, Organization, Person

    body = Organization.objects.create(
        slug="bench-maslikhat",
        kind=OrganizationKind.REGIONAL_MASLIKHAT,
        name_kk="Бенчмарк мәслихаты",
        founding_date=date(1994, 1, 1),
    )
    person = Person.objects.create(name_kk="Бенчмарк Депутат", sort_name="Deputat")
    Membership.objects.create(
        person=person,
        organization=body,
        role=PostRole.CONSTITUENCY_DEPUTY,
        election_method=ElectionMethod.SINGLE_MANDATE,
        start_date=date(2023, 3, 29),
    )
    return person


def _round(deputy: Any, n: int) -> dict[str, Any]:
    from django.db import connections
    from django.utils import timezone

    from maslikhat.deputies.models import Booking
    from maslikhat.deputies.services import booking_create, schedule_create

    schedule = schedule_create(
        actor=None,
        deputy=deputy,
        place=f"Bench hall {n}",
        mode="in_person",
        recurrence="single",
        start_time=clock(10, 0),
        duration_minutes=60,
        capacity=CAPACITY,
        first_date=timezone.localdate() + timedelta(days=2 + n),
    )
    slot = schedule.slots.get()
    connections.close_all()
    barrier = threading.Barrier(BOOKINGS + 1)
    gate = threading.Semaphore(AT_ONCE)
    latencies: list[float] = []
    errors: list[str] = []
    done: list[float] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            with gate:
                started = time.perf_counter()
                try:
                    booking_create(actor=None, slot=slot, name=f"Caller {i}", phone=f"+7701{n:02d}{i:05d}")
                finally:
                    connections.close_all()
                ended = time.perf_counter()
            with lock:
                latencies.append(ended - started)
                done.append(ended)
        except Exception as exc:  # counted and reported
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}"[:200])

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(BOOKINGS)]
    for t in threads:
        t.start()
    barrier.wait(timeout=60)
    start = time.perf_counter()
    for t in threads:
        t.join(timeout=300)
    wall = (max(done) if done else time.perf_counter()) - start
    counts = {
        s: Booking.objects.filter(slot=slot, status=s).count() for s in ("booked", "waiting", "cancelled")
    }
    connections.close_all()
    ms = sorted(x * 1000 for x in latencies)
    return {
        "round": n + 1,
        "wall_s": round(wall, 3),
        "bookings_per_s": round(len(latencies) / wall, 1) if wall else None,
        "latency_ms": {
            "p50": round(statistics.median(ms), 1) if ms else None,
            "p99": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1) if ms else None,
            "max": round(ms[-1], 1) if ms else None,
        },
        "booked": counts["booked"],
        "waiting": counts["waiting"],
        "other": counts["cancelled"],
        "errors": len(errors),
        "first_errors": errors[:3],
        "ok": counts == {"booked": CAPACITY, "waiting": BOOKINGS - CAPACITY, "cancelled": 0} and not errors,
    }


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - started
    deputy = _deputy()
    rounds = [_round(deputy, n) for n in range(ROUNDS)]
    return {
        "backend": backend,
        "vendor": connection.vendor,
        "migrate_s": round(migrate_s, 1),
        "rounds": rounds,
        "all_ok": all(r["ok"] for r in rounds),
        "wall_s_median": round(statistics.median(r["wall_s"] for r in rounds), 3),
    }


# ---------------------------------------------------------------- the parent


def main(backends: list[str]) -> int:
    results: dict[str, Any] = {
        "bench": "receptions",
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "bookings": BOOKINGS,
        "capacity": CAPACITY,
        "rounds": ROUNDS,
        "at_once": AT_ONCE,
        "backends": {},
    }
    for backend in backends:
        if backend == "postgresql":
            _recreate_postgres()
        proc = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", backend],
            env=_child_env(backend),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            results["backends"][backend] = {"error": proc.stderr[-1000:]}
            continue
        results["backends"][backend] = json.loads(proc.stdout.strip().splitlines()[-1])
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    for backend, r in results["backends"].items():
        if "rounds" not in r:
            print(f"{backend}: FAILED")  # noqa: T201
            continue
        for row in r["rounds"]:
            print(  # noqa: T201
                f"{backend:10} round {row['round']}: {row['booked']} booked, {row['waiting']} waiting, "
                f"{row['errors']} errors, {row['wall_s']:.2f} s ({row['bookings_per_s']}/s), "
                f"p50 {row['latency_ms']['p50']} ms, p99 {row['latency_ms']['p99']} ms"
            )
    ok = all(r.get("all_ok") for r in results["backends"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(child(sys.argv[2])))  # noqa: T201
    else:
        chosen = [a for a in sys.argv[1:] if a in BACKENDS] or list(BACKENDS)
        sys.exit(main(chosen))
