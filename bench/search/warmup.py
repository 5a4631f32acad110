"""The Kazakh ispell dictionary's first use in a new PostgreSQL connection, with and without a
warm-up at connection start (issue 16, helper C).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_c .venv/bin/python bench/search/warmup.py

Needs the `kazakh` configuration in that database (`maslikhat search-rebuild` or the search
migration creates it). For each of ROUNDS rounds, three new connections, in turn:
- cold: connect, then a search's parse in Kazakh (`websearch_to_tsquery('kazakh', ...)`), twice;
- reference: connect, then the same parse in Russian (snowball: nothing to load);
- warmed: connect, run the warm-up (`to_tsvector('kazakh', ...)`, what a `connection_created`
  receiver would run), then the Kazakh parse.
Medians in milliseconds, and ratios to the warm Kazakh parse measured in the same run; written
to bench/search/warmup.json.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg

ROUNDS = int(os.environ.get("ROUNDS", "12"))
KK = "SELECT websearch_to_tsquery('kazakh', 'мәслихаттың депутаттарға өтініштер')"
RU = "SELECT websearch_to_tsquery('russian', 'маслихата депутатам обращения')"
WARM_UP = "SELECT to_tsvector('kazakh', 'мәслихат')"


def _timed(conn: Any, sql: str) -> float:
    start = time.perf_counter()
    conn.execute(sql).fetchall()
    return (time.perf_counter() - start) * 1000


def _connect(dsn: str) -> tuple[Any, float]:
    start = time.perf_counter()
    conn = psycopg.connect(dsn, autocommit=True)
    return conn, (time.perf_counter() - start) * 1000


def main() -> None:
    dsn = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helper_c")
    load = os.getloadavg()[0]
    runs: dict[str, list[float]] = {
        k: [] for k in ("connect", "cold", "warm", "reference", "warm_up", "after")
    }
    for _ in range(ROUNDS):
        conn, connect_ms = _connect(dsn)
        runs["connect"].append(connect_ms)
        runs["cold"].append(_timed(conn, KK))
        runs["warm"].append(_timed(conn, KK))
        conn.close()
        conn, _ms = _connect(dsn)
        runs["reference"].append(_timed(conn, RU))
        conn.close()
        conn, _ms = _connect(dsn)
        runs["warm_up"].append(_timed(conn, WARM_UP))
        runs["after"].append(_timed(conn, KK))
        conn.close()
    median = {k: round(statistics.median(v), 1) for k, v in runs.items()}
    base = median["warm"] or 0.1
    result = {
        "load_at_start": round(load, 2),
        "rounds": ROUNDS,
        "median_ms": median,
        "ratio_to_warm_parse": {k: round(v / base, 1) for k, v in median.items()},
    }
    Path(__file__).with_name("warmup.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
