"""The citizen's emails keep their name and text as written: no HTML escaping in plain text."""

from __future__ import annotations

from typing import Any

from django.core import mail

from tests.factories import ESCAPES, HOSTILE


def test_registered_appeal_email_keeps_the_applicant_name_as_written(
    submit: Any, applicant: dict[str, str], django_capture_on_commit_callbacks: Any
) -> None:
    # given a citizen named with an apostrophe, an ampersand and angle brackets
    with django_capture_on_commit_callbacks(execute=True):
        appeal, _token = submit(applicant={**applicant, "full_name": HOSTILE}, language="en")
    # then the email greets them exactly so
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"Dear {HOSTILE}," in body
    assert [e for e in ESCAPES if e in body] == []
    assert appeal.registration_number in mail.outbox[0].subject
