"""Registration numbers stay unique and gapless under concurrent submissions (PostgreSQL).

SQLite serializes all writers by design, so the race this guards against exists only on
PostgreSQL; `make test` runs the suite on both and this test runs in the PostgreSQL pass.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from maslikhat.appeals.models import Appeal
from maslikhat.appeals.services import appeal_submit

N = 60

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency of row locks is a PostgreSQL property (run on PostgreSQL)",
)


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_unique_gapless_numbers(applicant: dict[str, str]) -> None:
    from maslikhat.directory.models import Organization
    from maslikhat.directory.reference import load_reference

    load_reference()
    body = Organization.objects.get(slug="kz-71-maslikhat")
    barrier = threading.Barrier(N)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            appeal_submit(
                actor=None,
                body=body,
                kind="application",
                topic_code="roads",
                text=f"Appeal {i}",
                language="kk",
                applicant=dict(applicant),
                notify=False,
            )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads: list[Any] = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    numbers = sorted(Appeal.objects.values_list("registration_number", flat=True))
    year = Appeal.objects.first().registered_on.year
    assert numbers == [f"KZ-71-{year}-{i:06d}" for i in range(1, N + 1)]
