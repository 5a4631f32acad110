"""Fixed-window counters: `hit` counts every event, `reserve`/`release` only completed work."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from maslikhat.core.ratelimit import client_bucket, hit, release, reserve


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_hit_refuses_after_the_limit_and_says_when_the_window_ends() -> None:
    answers = [hit("t", "k", limit=3, window=600) for _ in range(5)]
    assert [a.allowed for a in answers] == [True, True, True, False, False]
    assert all(0 < a.retry_after <= 600 for a in answers[3:])
    assert [a.retry_after for a in answers[:3]] == [0, 0, 0]


def test_hit_counts_per_scope_and_key() -> None:
    for _ in range(2):
        hit("t", "a", limit=2, window=600)
    assert hit("t", "a", limit=2, window=600).allowed is False
    assert hit("t", "b", limit=2, window=600).allowed is True
    assert hit("u", "a", limit=2, window=600).allowed is True


def test_a_refused_reservation_takes_no_slot() -> None:
    # given: both slots taken
    first, second = (reserve("t", "k", limit=2, window=600) for _ in range(2))
    assert (first.allowed, second.allowed) == (True, True)
    # when: ten more are refused, then one slot is given back
    refused = [reserve("t", "k", limit=2, window=600) for _ in range(10)]
    release(first)
    # then: exactly one more reservation fits
    assert [r.allowed for r in refused] == [False] * 10
    assert [reserve("t", "k", limit=2, window=600).allowed for _ in range(2)] == [True, False]


def test_releasing_a_refusal_or_twice_gives_nothing_extra() -> None:
    taken = reserve("t", "k", limit=1, window=600)
    refused = reserve("t", "k", limit=1, window=600)
    release(refused)  # a refusal holds no slot
    assert reserve("t", "k", limit=1, window=600).allowed is False
    release(taken)
    assert reserve("t", "k", limit=1, window=600).allowed is True


def test_releasing_after_the_window_expired_is_harmless() -> None:
    taken = reserve("t", "k", limit=1, window=600)
    assert taken.slot is not None
    cache.delete(taken.slot)  # the window's counter expired
    release(taken)
    assert cache.get(taken.slot) is None
    assert reserve("t", "k", limit=1, window=600).allowed is True


def test_parallel_reservations_never_exceed_the_limit() -> None:
    # given: 40 threads reserving at once against a limit of 10
    barrier = threading.Barrier(40)
    answers: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait(timeout=10)
        allowed = reserve("race", "k", limit=10, window=600).allowed
        with lock:
            answers.append(allowed)

    threads = [threading.Thread(target=worker) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # then: exactly ten got a slot, and the refused ones left the counter at ten
    assert (answers.count(True), answers.count(False)) == (10, 30)
    assert reserve("race", "k", limit=10, window=600).allowed is False
    assert reserve("race", "k", limit=11, window=600).allowed is True


@pytest.mark.parametrize(
    ("remote", "bucket"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("garbage", "unknown"),
    ],
)
def test_clients_are_counted_by_address_ipv6_by_its_64_network(
    settings: Any, remote: str, bucket: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    assert client_bucket(request) == bucket
