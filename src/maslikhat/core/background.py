"""Background jobs: one Celery task runs any registered job, by name.

With a broker (production: Redis), `enqueue` hands the job to the Celery workers. Without one
(the embedded default), or while the broker is unreachable, the job runs in-process at once: a
Redis outage degrades to slower requests, never to lost emails. Jobs are idempotent (reminders,
digests and rollups record what they did), so a job run twice does no harm. Services call
`after_commit`, so nothing is sent for a transaction that rolls back.

The jobs themselves belong to the apps: each app declares `JOBS` (name -> function) in its
`jobs.py` and registers them from its `AppConfig.ready` with `register_jobs`. This module holds
only the mechanism and names no app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.utils import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# job name -> function; filled by the apps' `register_jobs` calls at start-up.
JOBS: dict[str, Callable[..., Any]] = {}


def register_jobs(jobs: Mapping[str, Callable[..., Any]]) -> None:
    """Add an app's jobs. Registering the same function under the same name again changes nothing
    (an AppConfig.ready may run more than once); another function under a taken name is an error."""
    clash = sorted(name for name, function in jobs.items() if JOBS.get(name, function) is not function)
    if clash:
        raise ValueError(f"job names registered twice: {clash}")
    JOBS.update(jobs)


def run_job(job: str, *args: Any) -> Any:
    return JOBS[job](*args)


@shared_task(
    name="maslikhat.job",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=20,
)
def job_task(job: str, *args: Any) -> Any:
    """The Celery task: retried with back-off while the database is unreachable."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    started = datetime.now()  # noqa: DTZ005 (a duration, not a timestamp)
    result = run_job(job, *args)
    logger.info("job %s done in %.0f ms", job, (datetime.now() - started).total_seconds() * 1000)  # noqa: DTZ005
    return result


def _run_here(job: str, *args: Any) -> None:
    try:
        run_job(job, *args)
    except Exception:  # a failed email must not break the request that already committed
        logger.exception("job %s failed in-process", job)


def enqueue(job: str, *args: Any) -> None:
    """Run a job in the background (or here, without a reachable broker)."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        _run_here(job, *args)
        return
    try:
        job_task.apply_async(
            args=(job, *args), retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
        )
    except Exception:
        logger.warning("broker unreachable: job %s runs in-process", job)
        _run_here(job, *args)


def after_commit(job: str, *args: Any) -> None:
    """Enqueue a job once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(job, *args))
