"""Bench-only email backend: one file per message in $BENCH_MAIL_DIR, named after the sending
process's role ($BENCH_MAIL_ROLE: 'web' for gunicorn, 'worker' for Celery), so bench/faults can
count which emails ran in-process and which ran on the worker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = Path(os.environ["BENCH_MAIL_DIR"])
        role = os.environ.get("BENCH_MAIL_ROLE", "unknown")
        for message in email_messages:
            name = f"{role}-{os.getpid()}-{uuid.uuid4().hex}.eml"
            (directory / name).write_bytes(message.message().as_bytes())
        return len(email_messages)
