"""Background jobs: one Celery task runs any job of a fixed list, by name.

With a broker (production: Redis), `enqueue` hands the job to the Celery workers. Without one
(the embedded default), or while the broker is unreachable, the job runs in-process at once: a
Redis outage degrades to slower requests, never to lost emails. Jobs are idempotent (reminders,
digests and rollups record what they did), so a job run twice does no harm. Services call
`after_commit`, so nothing is sent for a transaction that rolls back.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.utils import InterfaceError, OperationalError
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# job name -> (function, fixed keyword arguments)
JOBS: dict[str, tuple[str, dict[str, Any]]] = {
    "appeals.registered": ("maslikhat.appeals.notifications.send_registered", {}),
    "appeals.status": ("maslikhat.appeals.notifications.send_status", {}),
    "appeals.forwarded": ("maslikhat.appeals.notifications.send_forwarded", {}),
    "appeals.reminders": ("maslikhat.appeals.tasks.send_due_reminders", {}),
    "council.proposal_status": ("maslikhat.council.notifications.send_proposal_status", {}),
    "council.recommendation": ("maslikhat.council.notifications.send_recommendation", {}),
    "notifications.daily_digests": ("maslikhat.notifications.tasks.send_digests", {"frequency": "daily"}),
    "notifications.weekly_digests": ("maslikhat.notifications.tasks.send_digests", {"frequency": "weekly"}),
    "scorecard.refresh_overdue": ("maslikhat.scorecard.jobs.refresh_overdue", {}),
}


def run_job(job: str, *args: Any) -> Any:
    path, kwargs = JOBS[job]
    return import_string(path)(*args, **kwargs)


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
