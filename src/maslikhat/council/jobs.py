"""The council's background jobs (`JOBS`, registered by CouncilConfig.ready): its emails to the
maslikhats, sent after commit (see `emails.py`)."""

from __future__ import annotations

from . import emails

JOBS = {
    "council.proposal_status": emails.send_proposal_status,
    "council.recommendation": emails.send_recommendation,
}
