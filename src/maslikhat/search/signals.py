"""The index follows the content: the providers' watched models re-index after commit.

For every provider and every model it watches, `post_save` and `post_delete` schedule the
job `search.index` for each affected object once the transaction commits (an object that is no
longer public yields no documents, so the same job removes it). Raw saves (fixtures) are skipped,
and so is the creation of an object whose kind says new ones are never public
(`SearchProvider.index_created`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from maslikhat.core.search import Affected, providers

_CONNECTED: dict[tuple[str, str], Callable[..., None]] = {}


def _affected(kind: str, function: Affected | None, instance: Any) -> list[int]:
    if function is None:
        return [instance.pk] if instance.pk is not None else []
    return [pk for pk in function(instance) if pk is not None]


def _receiver(kind: str, function: Affected | None, *, index_created: bool = True) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        if function is None and not index_created and kwargs.get("created"):
            return  # the kind's new objects are never public: nothing to index yet
        from .services import schedule_index

        for pk in dict.fromkeys(_affected(kind, function, instance)):
            schedule_index(kind, pk)

    return receiver


def connect() -> None:
    for provider in providers():
        for label, function in provider.watch.items():
            if (provider.kind, label) in _CONNECTED:
                continue
            model = apps.get_model(label)
            receiver = _receiver(provider.kind, function, index_created=provider.index_created)
            _CONNECTED[(provider.kind, label)] = receiver
            uid = f"search:{provider.kind}:{label}"
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")
