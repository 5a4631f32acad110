from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def submit(astana: dict[str, Any], applicant: dict[str, str]):
    """Submit an appeal to the Astana maslikhat with sensible defaults."""
    from maslikhat.appeals.services import appeal_submit

    def _submit(**overrides: Any):
        kwargs: dict[str, Any] = {
            "actor": None,
            "body": astana["maslikhat"],
            "kind": "application",
            "topic_code": "roads",
            "text": "The road on our street has not been repaired for three years.",
            "language": "ru",
            "applicant": dict(applicant),
        }
        kwargs.update(overrides)
        return appeal_submit(**kwargs)

    return _submit


@pytest.fixture
def time_machine_today(monkeypatch: pytest.MonkeyPatch):
    """Pretend today is a given local date for the appeals services."""
    from maslikhat.appeals import services

    def _set(day):
        monkeypatch.setattr(services, "_local_today", lambda: day)

    return _set
