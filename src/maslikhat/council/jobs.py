"""The council's background jobs (`JOBS`, registered by CouncilConfig.ready): its emails to the
maslikhats, sent after commit (see `emails.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import emails

JOBS: dict[str, Callable[..., Any]] = {
    "council.proposal_status": emails.send_proposal_status,
    "council.recommendation": emails.send_recommendation,
}
