"""Appeals for the browser tests' worlds (not a test module): a few roads appeals to a
maslikhat, the first answered, through the services as a citizen would leave them."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as django_apps


def restore_topics() -> None:
    """Transactional tests flush the data migration's topics: put them back."""
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)


def roads_appeals(body: Any, n: int) -> list[Any]:
    """n appeals about roads to `body`; the first one answered."""
    from maslikhat.appeals.services import appeal_answer, appeal_submit
    from tests.factories import valid_iin

    made = []
    for i in range(n):
        appeal, _token = appeal_submit(
            actor=None,
            body=body,
            kind="application",
            topic_code="roads",
            text=f"Road repair request {i}",
            language="ru",
            applicant={
                "full_name": "Айгүл Бекова",
                "iin": valid_iin(),
                "address": "Астана",
                "phone": "+7 701 234 56 78",
                "email": "a@example.org",
            },
            notify=False,
        )
        if i == 0:
            appeal_answer(actor=None, appeal=appeal, text="Repaired.")
        made.append(appeal)
    return made
