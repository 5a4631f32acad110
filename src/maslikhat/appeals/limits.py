"""The appeal submission limits: one decision for the page and the API.

Two limits per client (`core.ratelimit.client_bucket`) and hour:
- accepted submissions, `APPEAL_SUBMIT_LIMIT_PER_HOUR` (10): a slot is reserved before the
  submission is validated and given back unless the appeal was accepted, so a citizen who
  mistypes an IIN ten times can still send the appeal, and parallel requests from one client can
  never get more than the limit accepted (the counter is an atomic cache `incr`);
- attempts, `APPEAL_ATTEMPT_LIMIT_PER_HOUR` (60, never below the first): every submission that
  reaches validation counts, so a bot cannot hammer the validation either.

Usage (the slot is given back when the block ends without `accept()`, also on an exception):

    with submission_attempt(request) as attempt:
        if not attempt.allowed:
            ...  # 429 with attempt.retry_after / attempt.message
        appeal, token = services.appeal_submit(...)   # raises on bad input: slot given back
        attempt.accept()

A race is resolved conservatively: while a reserved slot waits for its validation, a parallel
request may be refused although the slot is given back a moment later (it can retry); an accepted
appeal is never refused after the fact and never lost (the slot is taken before the write).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext

from maslikhat.core.ratelimit import Limit, client_bucket, hit, release, reserve

WINDOW = 3600
ATTEMPTS = "appeal_attempt"
SUBMISSIONS = "appeal_submit"


def submit_limit() -> int:
    return int(settings.APPEAL_SUBMIT_LIMIT_PER_HOUR)


def attempt_limit() -> int:
    # Every accepted submission is also an attempt: a lower attempt limit would hide the other.
    return max(int(settings.APPEAL_ATTEMPT_LIMIT_PER_HOUR), submit_limit())


@dataclass
class SubmissionAttempt:
    allowed: bool
    retry_after: int = 0  # seconds (when refused)
    reason: str = ""  # SUBMISSIONS or ATTEMPTS (when refused)
    _slot: Limit | None = field(default=None, repr=False)
    _accepted: bool = field(default=False, repr=False)

    def accept(self) -> None:
        """The appeal was accepted: its slot stays counted."""
        self._accepted = True

    def finish(self) -> None:
        if self._slot is not None and not self._accepted:
            release(self._slot)
        self._slot = None

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        """Why the submission was refused and when to retry, in the active language."""
        if self.reason == ATTEMPTS:
            why = gettext("Too many attempts to send an appeal from your connection.")
        else:
            why = gettext("Too many appeals from your connection.")
        minutes = self.retry_minutes
        when = ngettext(
            "Please try again in %(minutes)d minute.", "Please try again in %(minutes)d minutes.", minutes
        ) % {"minutes": minutes}
        return f"{why} {when}"


def check_submission_allowed(request: HttpRequest) -> SubmissionAttempt:
    """Count the attempt and reserve a submission slot; the caller must `finish()` the result
    (`submission_attempt` does it)."""
    key = client_bucket(request)
    attempt = hit(ATTEMPTS, key, limit=attempt_limit(), window=WINDOW)
    if not attempt.allowed:
        return SubmissionAttempt(allowed=False, retry_after=attempt.retry_after, reason=ATTEMPTS)
    slot = reserve(SUBMISSIONS, key, limit=submit_limit(), window=WINDOW)
    if not slot.allowed:
        return SubmissionAttempt(allowed=False, retry_after=slot.retry_after, reason=SUBMISSIONS)
    return SubmissionAttempt(allowed=True, _slot=slot)


@contextmanager
def submission_attempt(request: HttpRequest) -> Iterator[SubmissionAttempt]:
    attempt = check_submission_allowed(request)
    try:
        yield attempt
    finally:
        attempt.finish()
