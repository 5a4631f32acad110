"""Background jobs: in-process without a broker or while it is down, and through a real Celery
worker on the machine's Redis (an integration test: no mocks)."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core import mail

from maslikhat.config.celery import app as celery_app
from maslikhat.core import background

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _appeal(astana: dict[str, Any]) -> Any:
    from maslikhat.appeals.services import appeal_submit
    from tests.factories import valid_iin

    appeal, _token = appeal_submit(
        actor=None,
        body=astana["maslikhat"],
        kind="application",
        topic_code="roads",
        text="The road on our street has not been repaired.",
        language="en",
        applicant={
            "full_name": "Aigul Bekova",
            "iin": valid_iin(),
            "address": "Astana, 8 Mangilik El",
            "phone": "+7 701 234 56 78",
            "email": "aigul@example.org",
        },
        notify=False,
    )
    return appeal


def test_unknown_job_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown job"):
        background.enqueue("appeals.delete_everything")


def test_each_app_registers_its_own_jobs() -> None:
    # given the apps' start-up (every AppConfig.ready has run), then each job is the function of
    # the app's own jobs module, under the app's prefix
    from maslikhat.appeals import jobs as appeal_jobs
    from maslikhat.council import jobs as council_jobs
    from maslikhat.deputies import jobs as deputies_jobs
    from maslikhat.notifications import jobs as notification_jobs
    from maslikhat.participation import jobs as participation_jobs
    from maslikhat.scorecard import jobs as scorecard_jobs
    from maslikhat.search import jobs as search_jobs

    expected = {
        **appeal_jobs.JOBS,
        **council_jobs.JOBS,
        **deputies_jobs.JOBS,
        **notification_jobs.JOBS,
        **participation_jobs.JOBS,
        **scorecard_jobs.JOBS,
        **search_jobs.JOBS,
    }
    assert background.JOBS == expected
    assert background.JOBS["appeals.registered"].__module__ == "maslikhat.appeals.emails"
    assert background.JOBS["notifications.weekly_digests"] is notification_jobs.send_weekly_digests
    assert "search.saved_digests" not in background.JOBS  # saved searches ride in the digests
    for name, function in background.JOBS.items():
        app = name.split(".")[0]
        assert function.__module__.startswith(f"maslikhat.{app}."), name


def test_registering_again_changes_nothing_but_a_taken_name_is_refused(monkeypatch: Any) -> None:
    # given an empty registry with one job
    def first() -> str:
        return "first"

    def other() -> str:
        return "other"

    monkeypatch.setattr(background, "JOBS", {})
    background.register_jobs({"test.job": first})
    # when the same job is registered again (a second AppConfig.ready), nothing changes
    background.register_jobs({"test.job": first})
    assert background.JOBS == {"test.job": first}
    # when another function claims the name, it is refused and the registry keeps the first
    with pytest.raises(ValueError, match="test.job"):
        background.register_jobs({"test.job": other, "test.new": other})
    assert background.JOBS == {"test.job": first}
    assert background.run_job("test.job") == "first"


def test_beat_schedule_names_registered_jobs(settings: Any) -> None:
    # given the periodic tasks, then each runs the one Celery task with a registered job name
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] == background.job_task.name
        assert entry["args"][0] in background.JOBS


@pytest.mark.django_db
def test_without_a_broker_jobs_run_in_process(astana: dict[str, Any]) -> None:
    appeal = _appeal(astana)
    background.enqueue("appeals.status", appeal.pk)
    assert [m.to for m in mail.outbox] == [["aigul@example.org"]]


def _use_broker(url: str) -> None:
    """Point the app at another broker and drop its cached connections and producers."""
    celery_app.conf.broker_url = url
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def unreachable_broker(settings: Any) -> Iterator[None]:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = celery_app.conf.broker_url
    _use_broker("redis://127.0.0.1:1/0")
    yield
    _use_broker(before)


@pytest.mark.django_db
def test_while_the_broker_is_down_jobs_run_in_process(
    astana: dict[str, Any], unreachable_broker: None
) -> None:
    appeal = _appeal(astana)
    started = time.monotonic()
    background.enqueue("appeals.status", appeal.pk)
    assert [m.to for m in mail.outbox] == [["aigul@example.org"]]
    assert time.monotonic() - started < 10  # the request does not hang on the broker


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def celery_worker(settings: Any) -> Iterator[Any]:
    """A real Celery worker (in a thread of this process) consuming from the machine's Redis."""
    from celery.contrib.testing.worker import start_worker

    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS}: CI machines run it")
        pytest.skip(f"Redis is not reachable at {REDIS}: integration test not possible here")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = {k: celery_app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    celery_app.conf.update(result_backend=REDIS, task_always_eager=False)
    _use_broker(REDIS)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    celery_app.conf.update(saved)
    _use_broker(saved["broker_url"])


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_jobs_from_redis(astana: dict[str, Any], celery_worker: Any) -> None:
    # transactional tests flush the data migration's topics: put them back
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    appeal = _appeal(astana)
    result = background.job_task.apply_async(args=("appeals.status", appeal.pk), ignore_result=False)
    result.get(timeout=30)
    assert [m.to for m in mail.outbox] == [["aigul@example.org"]]
    assert "registered" in mail.outbox[0].body or appeal.registration_number in mail.outbox[0].body
    # enqueue goes through the broker too (not in-process): the worker sends the second email
    background.enqueue("appeals.status", appeal.pk)
    deadline = time.monotonic() + 30
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 2
