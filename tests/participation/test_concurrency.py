"""One person, one support and one vote: 50 parallel attempts by the same resident count once
(PostgreSQL; SQLite serializes writers, so the race exists only there; `make test` runs both)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from maslikhat.participation.models import Ballot, Initiative, Support

N = 50

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency of unique constraints and row locks is a PostgreSQL property (run on PostgreSQL)",
)


def _parallel(work: Callable[[int], Any]) -> list[BaseException]:
    barrier = threading.Barrier(N)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_supports_by_one_resident_count_once(collecting: Initiative, resident: Any) -> None:
    from maslikhat.participation.services import initiative_support

    errors = _parallel(lambda i: initiative_support(actor=resident, initiative=collecting))
    assert errors == []
    collecting.refresh_from_db()
    assert Support.objects.filter(initiative=collecting).count() == 1
    assert collecting.online_supports == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_ballots_by_one_resident_count_once(voting: dict[str, Any], resident: Any) -> None:
    from maslikhat.participation.services import ballot_cast

    projects = voting["projects"]

    def vote(i: int) -> None:
        ballot_cast(actor=resident, process=voting["process"], project_ids=[projects[i % 4].pk])

    errors = _parallel(vote)
    assert errors == []
    ballot = Ballot.objects.get(process=voting["process"])
    assert ballot.projects.count() == 1
