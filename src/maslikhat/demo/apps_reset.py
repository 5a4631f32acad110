"""Deleting the demo rows of the apps built on the directory (proceedings, participation,
deputies) before the demo directory and appeals they point at.

Their rows protect what they refer to (a ballot its deputy, a visit's question its appeal), so
the order matters. The apps that know their own order delete first (`delete_demo_hearings`,
`delete_demo_proceedings`); then every remaining `is_demo` model of these apps is deleted in
passes, each model inside a savepoint, until a pass deletes nothing: a model that something
still protects waits for the next pass. A new model with an `is_demo` flag is covered without
an edit here.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError

from .guard import demo_models

APPS = ("proceedings", "participation", "deputies")
MAX_PASSES = 10


def delete_demo_apps() -> int:
    """Delete the demo rows of APPS; returns how many rows were deleted (cascades included)."""
    from .proceedings_demo import delete_demo_proceedings
    from .proceedings_hearings_demo import delete_demo_hearings

    deleted = delete_demo_hearings()
    deleted += delete_demo_proceedings()
    models = [m for m in demo_models() if m._meta.app_label in APPS]
    for _pass in range(MAX_PASSES):
        progress = 0
        left = 0
        for model in models:
            rows = model._default_manager.filter(is_demo=True)
            if not rows.exists():
                continue
            try:
                with transaction.atomic():
                    progress += rows.delete()[0]
            except (ProtectedError, RestrictedError, IntegrityError):
                left += 1
        deleted += progress
        if not left or not progress:
            break
    return deleted
