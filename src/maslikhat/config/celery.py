"""The Celery application: `celery -A maslikhat.config.celery worker` / `beat` (see deploy/)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")

app = Celery("maslikhat")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The one task (maslikhat.job) lives in maslikhat.core.background.
app.autodiscover_tasks(["maslikhat.core"], related_name="background")
