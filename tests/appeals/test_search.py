"""Inbox search: a registration number or words of the text; word forms on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from maslikhat.appeals.selectors import InboxFilters, inbox

pytestmark = pytest.mark.django_db


def test_search_by_number_and_by_words(submit: Any, astana: dict[str, Any]) -> None:
    road, _ = submit(text="Дорога на улице Абая разбита, просим отремонтировать.")
    light, _ = submit(text="Street lights on Kenesary street do not work.")
    user = astana["staff_user"]

    def found(q: str) -> list[int]:
        return list(inbox(user=user, filters=InboxFilters(q=q)).values_list("pk", flat=True))

    assert found(road.registration_number) == [road.pk]
    assert found("Абая") == [road.pk]
    assert found("lights") == [light.pk]
    assert found("метро") == []


def test_full_text_search_matches_word_forms_on_postgresql(submit: Any, astana: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("full-text search with stemming is a PostgreSQL feature (run on PostgreSQL)")
    road, _ = submit(text="Дорога на улице Абая разбита.")
    light, _ = submit(text="The street light is broken.")
    user = astana["staff_user"]

    def found(q: str) -> list[int]:
        return list(inbox(user=user, filters=InboxFilters(q=q)).values_list("pk", flat=True))

    assert found("дорогу") == [road.pk]  # another case of the same word
    assert found("lights") == [light.pk]  # an English plural
    assert found("дорогу -Абая") == []  # websearch syntax: exclude a word
