"""The appeal rollups the services maintain, in as few statements as correctness allows:

- AppealStats (body, month, kind, topic) and AppealMonthStats (body, month): counters bumped by
  one upsert each (`INSERT … ON CONFLICT … DO UPDATE`: no read, no savepoint, no race; on
  PostgreSQL both in one statement);
- AppealOverdue: the "overdue now" count per body as of a day (see the model), changed by the
  transitions that matter and moved forward by the daily pass (`overdue_pass`).

Concurrency of the overdue count (PostgreSQL, READ COMMITTED): a change always updates (locks)
the body's counter row, evaluating the due date against the row's `as_of` at that moment; the
pass first locks every counter row (SELECT … FOR UPDATE, waiting for the changes in flight to
commit) and only then counts in a new statement, so an appeal closed or extended concurrently is
counted either by the pass or by the change, never by both nor by neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction

from .choices import OPEN_STATUSES
from .models import Appeal, AppealMonthStats, AppealOverdue, AppealStats

STATS = AppealStats._meta.db_table
MONTHS = AppealMonthStats._meta.db_table
OVERDUE = AppealOverdue._meta.db_table
APPEALS = Appeal._meta.db_table
COUNTERS = ("received", "answered", "answered_on_time", "rated", "rating_sum")
NEVER = date(1900, 1, 1)  # as_of of a counter that has counted nothing yet


def _upsert(table: str, keys: Sequence[str], fields: dict[str, int]) -> str:
    cols = [*keys, *COUNTERS, "answer_days"]
    values = ", ".join(["%s"] * len(cols))
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS if fields.get(c))
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) "  # noqa: S608 - names are ours
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )


def bump_statements(appeal: Appeal, **fields: int) -> list[tuple[str, list[Any]]]:
    """The two upserts of `bump` (SQL and parameters), for a caller that runs them inside a
    statement of its own (the submission's single statement on PostgreSQL)."""
    month = appeal.registered_on.replace(day=1)
    counts = [int(fields.get(c, 0)) for c in COUNTERS]
    stats_sql = _upsert(STATS, ("body_id", "month", "kind", "topic_id"), fields)
    month_sql = _upsert(MONTHS, ("body_id", "month"), fields)
    stats_params: list[Any] = [appeal.body_id, month, appeal.kind, appeal.topic_id, *counts, "{}"]
    month_params: list[Any] = [appeal.body_id, month, *counts, "{}"]
    return [(stats_sql, stats_params), (month_sql, month_params)]


def bump(appeal: Appeal, **fields: int) -> None:
    """Add to the counters of the appeal's rollup rows (month of registration), creating them."""
    (stats_sql, stats_params), (month_sql, month_params) = bump_statements(appeal, **fields)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"WITH s AS ({stats_sql} RETURNING 1) {month_sql}", [*stats_params, *month_params])
        else:
            cur.execute(stats_sql, stats_params)
            cur.execute(month_sql, month_params)


def record_answer_days(appeal: Appeal, days: int) -> None:
    """Count one answer after `days` working days in both histograms (rows locked)."""
    month = appeal.registered_on.replace(day=1)
    rows: list[Any] = [
        AppealStats.objects.select_for_update().get(
            body_id=appeal.body_id, month=month, kind=appeal.kind, topic_id=appeal.topic_id
        ),
        AppealMonthStats.objects.select_for_update().get(body_id=appeal.body_id, month=month),
    ]
    for row in rows:
        hist = dict(row.answer_days)
        hist[str(days)] = hist.get(str(days), 0) + 1
        row.answer_days = hist
        row.save(update_fields=["answer_days"])


def rebuild_month_stats(stats: Iterable[AppealStats], body_ids: list[int] | None) -> int:
    """AppealMonthStats summed from the given AppealStats rows (appeal_stats_rebuild); the bodies'
    overdue counters are dropped too (the appeals may have changed behind the services' back):
    until the next pass the reader counts those bodies' overdue appeals itself."""
    existing = AppealMonthStats.objects.all()
    counters = AppealOverdue.objects.all()
    if body_ids is not None:
        existing = existing.filter(body_id__in=body_ids)
        counters = counters.filter(body_id__in=body_ids)
    existing.delete()
    counters.delete()
    rows: dict[tuple[int, date], AppealMonthStats] = {}
    for s in stats:
        row = rows.get((s.body_id, s.month))
        if row is None:
            row = AppealMonthStats(body_id=s.body_id, month=s.month, answer_days={})
            rows[(s.body_id, s.month)] = row
        for c in COUNTERS:
            setattr(row, c, getattr(row, c) + getattr(s, c))
        for days, n in s.answer_days.items():
            row.answer_days[days] = row.answer_days.get(days, 0) + n
    AppealMonthStats.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)


# ------------------------------------------------------------------ overdue now


def _open(status: str) -> int:
    return 1 if status in OPEN_STATUSES else 0


def overdue_change(
    appeal: Appeal, *, before_status: str, before_due: date, after_status: str, after_due: date
) -> None:
    """The appeal's status or due date changed: adjust its body's overdue count (as of the
    counter's day). Nothing to do while it stays open with the same due date, or stays closed."""
    was, now = _open(before_status), _open(after_status)
    if not was and not now:
        return
    if was and now and before_due == after_due:
        return
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {OVERDUE} SET overdue = overdue "  # noqa: S608
            "+ (CASE WHEN %s = 1 AND %s < as_of THEN 1 ELSE 0 END) "
            "- (CASE WHEN %s = 1 AND %s < as_of THEN 1 ELSE 0 END) WHERE body_id = %s",
            [now, after_due, was, before_due, appeal.body_id],
        )


def overdue_registered(appeal: Appeal, today: date) -> None:
    """A new open appeal: it counts only when registered already past its due date (an import,
    a late backfill); an appeal due today or later is not overdue as of any counter's day."""
    if appeal.due_on < today:
        overdue_change(
            appeal,
            before_status="withdrawn",
            before_due=appeal.due_on,
            after_status=appeal.status,
            after_due=appeal.due_on,
        )


_OPEN_SQL = ", ".join(f"'{s}'" for s in OPEN_STATUSES)


@transaction.atomic
def overdue_pass(today: date) -> int:
    """Move every body's count forward to `today` (idempotent: a second run on the same day
    changes nothing): counters for new bodies, then the appeals whose due date fell in
    [as_of, today) and that are still open. Returns the number of counters moved."""
    from maslikhat.directory.models import Organization

    org = Organization._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT EXISTS (SELECT 1 FROM {OVERDUE} WHERE as_of <> %s) "  # noqa: S608
            f"OR EXISTS (SELECT 1 FROM {org} o WHERE NOT EXISTS "
            f"(SELECT 1 FROM {OVERDUE} c WHERE c.body_id = o.id))",
            [today],
        )
        if not cur.fetchone()[0]:
            return 0
        cur.execute(
            f"INSERT INTO {OVERDUE} (body_id, overdue, as_of) SELECT id, 0, %s FROM {org} "  # noqa: S608
            "WHERE true ON CONFLICT (body_id) DO NOTHING",
            [NEVER],
        )
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT body_id FROM {OVERDUE} WHERE as_of <> %s FOR UPDATE", [today])  # noqa: S608
        # forward (as_of before today: add) or back (a pass for an earlier day: remove)
        cur.execute(
            f"UPDATE {OVERDUE} SET overdue = overdue + (SELECT count(*) FROM {APPEALS} a "  # noqa: S608
            f"WHERE a.body_id = {OVERDUE}.body_id AND a.status IN ({_OPEN_SQL}) "
            f"AND a.due_on >= {OVERDUE}.as_of AND a.due_on < %s) "
            f"- (SELECT count(*) FROM {APPEALS} a WHERE a.body_id = {OVERDUE}.body_id "
            f"AND a.status IN ({_OPEN_SQL}) AND a.due_on >= %s AND a.due_on < {OVERDUE}.as_of), "
            f"as_of = %s WHERE as_of <> %s",
            [today, today, today, today],
        )
        return int(cur.rowcount)


def overdue_now(body_ids: Sequence[int], today: date) -> dict[int, int]:
    """Open appeals past their due date as of `today`, per body: the maintained counts, plus
    (read-only) the appeals that crossed their due date between a counter's day and `today`
    (none once the day's pass has run; every overdue appeal of a body without a counter)."""
    ids = list(body_ids)
    if not ids:
        return {}
    counters: dict[int, date] = {}
    counts: dict[int, int] = {}
    for body_id, as_of, n in AppealOverdue.objects.filter(body_id__in=ids).values_list(
        "body_id", "as_of", "overdue"
    ):
        counters[body_id], counts[body_id] = as_of, n
    by_day: dict[date, list[int]] = {}
    for body_id in ids:
        day = counters.get(body_id, NEVER)
        if day != today:
            by_day.setdefault(day, []).append(body_id)
    out = {body_id: int(counts.get(body_id, 0)) for body_id in ids}
    for day, group in by_day.items():
        sign, lo, hi = (1, day, today) if day < today else (-1, today, day)
        marks = ", ".join(["%s"] * len(group))
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT body_id, count(*) FROM {APPEALS} WHERE body_id IN ({marks}) "  # noqa: S608
                f"AND status IN ({_OPEN_SQL}) AND due_on >= %s AND due_on < %s GROUP BY body_id",
                [*group, lo, hi],
            )
            for body_id, n in cur.fetchall():
                out[body_id] += sign * int(n)
    return out
