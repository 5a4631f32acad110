"""Parallel writers (PostgreSQL): one deputy's second ballot is refused; decision numbers stay
unique and gapless per convocation. SQLite serializes writers, so the race exists only on
PostgreSQL; `make test` runs the suite on both and these run in the PostgreSQL pass."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection, connections

from maslikhat.core.errors import NotAllowed
from maslikhat.directory.choices import OrganizationKind
from maslikhat.proceedings import services
from maslikhat.proceedings.models import Decision, PersonVote
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency of row locks is a PostgreSQL property (run on PostgreSQL)",
)

N_ITEMS = 12


def _run(n: int, work: Callable[[int], Any]) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def _sitting(items: int) -> tuple[Any, list[Any], list[Any]]:
    body: Any = OrganizationFactory(kind=OrganizationKind.DISTRICT_MASLIKHAT)
    deputies: list[Any] = [PersonFactory() for _ in range(3)]
    for d in deputies:
        MembershipFactory(person=d, organization=body)
    conv = services.convocation_create(actor=None, body=body, number=8, start_date=date(2023, 3, 29), seats=3)
    session = services.session_plan(
        actor=None, convocation=conv, number=1, starts_at=datetime(2031, 3, 20, 5, tzinfo=UTC)
    )
    rows = [
        services.agenda_item_add(actor=None, session=session, title={"en": f"Item {i}"}) for i in range(items)
    ]
    services.session_convene(actor=None, session=session, notice="Notice")
    services.session_start(actor=None, session=session)
    services.attendance_record(actor=None, session=session, present={d.pk: True for d in deputies})
    return session, rows, deputies


@pytest.mark.django_db(transaction=True)
def test_parallel_second_ballot_of_one_deputy_is_refused() -> None:
    _session, items, deputies = _sitting(1)
    vote = services.vote_open(actor=None, item=items[0])
    options = ["yes", "no"] * 4

    errors = _run(
        len(options),
        lambda i: services.ballot_cast(actor=None, vote=vote, person=deputies[0], option=options[i]),
    )

    assert len(errors) == len(options) - 1
    assert all(isinstance(e, NotAllowed) and e.code == "already_voted" for e in errors)
    assert PersonVote.objects.filter(vote=vote, person=deputies[0]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_adoptions_get_unique_gapless_numbers() -> None:
    session, items, deputies = _sitting(N_ITEMS)
    for item in items:
        services.vote_record(actor=None, item=item, method="open", ballots={d.pk: "yes" for d in deputies})

    errors = _run(N_ITEMS, lambda i: services.decision_adopt(actor=None, item=items[i]))

    assert errors == []
    numbers = sorted(Decision.objects.filter(session=session).values_list("seq", flat=True))
    assert numbers == list(range(1, N_ITEMS + 1))
    assert sorted(Decision.objects.values_list("number", flat=True)) == sorted(
        f"1-{i}" for i in range(1, N_ITEMS + 1)
    )
