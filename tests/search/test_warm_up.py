"""The search engine's warm-up (a gunicorn worker's, before its first request: tests/core/
test_worker_warm_up.py): PostgreSQL reads the Kazakh dictionary once per connection, ~0.65 s
that the first search of every worker paid."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from maslikhat.search import engines

pytestmark = pytest.mark.django_db


def test_warm_up_loads_the_kazakh_dictionary_where_there_is_one() -> None:
    expected = connection.vendor == "postgresql" and engines.kazakh_configuration_exists()
    assert engines.warm_up() is expected


def test_warm_up_never_raises_when_the_database_is_not_there(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    wrapper = connections["default"]
    monkeypatch.setattr(engines.postgres, "_CONFIG_CACHE", {})
    monkeypatch.setattr(wrapper, "cursor", broken)
    monkeypatch.setattr(wrapper, "vendor", "postgresql")  # on either database: the same path
    assert engines.warm_up() is False
