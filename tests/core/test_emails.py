"""Plain-text emails are not HTML-escaped: every email template of the product, rendered through
`maslikhat.core.emails`, keeps "O'Brien & Sons <Ltd>" as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from maslikhat.core.emails import render_subject, render_text
from tests.factories import ESCAPES, HOSTILE

SRC = Path(__file__).resolve().parents[2] / "src" / "maslikhat"


def _email_templates() -> list[str]:
    """Every template under <app>/templates/<app>/email/, as a template name."""
    names = []
    for path in sorted(SRC.glob("*/templates/*/email/*.txt")):
        names.append(str(path.relative_to(path.parents[2])))
    return names


class Anything:
    """A stand-in for any object of an email's context: every attribute is another stand-in
    (a date for the ``*_on`` ones, a time for the ``*_at`` ones), it prints as the hostile text,
    iterates as one stand-in and is truthy."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_at"):
            return datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        return date(2026, 3, 2) if name.endswith("_on") else Anything()

    def __str__(self) -> str:
        return HOSTILE

    def __iter__(self) -> Iterator[Anything]:
        return iter([Anything()])


def _context() -> dict[str, Any]:
    any_ = Anything()
    return {
        **{
            k: any_
            for k in (
                "appeal",
                "new",
                "proposal",
                "recommendation",
                "follow",
                "content",
                "booking",
                "slot",
                "schedule",
                "deputy",
            )
        },
        "target_name": HOSTILE,
        "url": "https://example.org/x?a=1&b=2",
        "site_url": "https://example.org",
        "follows_url": "https://example.org/follow/?a=1&b=2",
        "unsubscribe_url": "https://example.org/u/?a=1&b=2",
        "news_urls": [],
        "kind": "overdue",
        "language": "en",
        # the accounts' emails (allauth), the tracking links again, saved searches
        "user": any_,
        "email": HOSTILE,
        "username": HOSTILE,
        "code": "",
        "activate_url": "https://example.org/confirm/?a=1&b=2",
        "password_reset_url": "https://example.org/reset/?a=1&b=2",
        "signup_url": "https://example.org/signup/?a=1&b=2",
        "items": [any_],
        "parts": [{"label": HOSTILE, "count": 1, "text": HOSTILE}],
        # the digest: a section per follow, then the citizen's own parts (saved searches)
        "sections": [
            {
                "target_name": HOSTILE,
                "parts": [{"label": HOSTILE, "count": 1, "text": HOSTILE}],
                "unsubscribe_url": "https://example.org/u/1/?a=1&b=2",
            }
        ],
        "own": [{"label": HOSTILE, "count": 1, "text": HOSTILE}],
    }


# Templates that print no text a person typed (fixed subjects, the accounts' frame): they are
# checked for escapes and emptiness only.
NO_USER_TEXT = frozenset(
    {
        "account/email/base_message.txt",
        "account/email/email_confirmation_subject.txt",
        "account/email/email_confirmation_signup_subject.txt",
        "account/email/password_reset_key_subject.txt",
        "account/email/unknown_account_subject.txt",
        "appeals/email/links_subject.txt",
    }
)


def test_the_product_has_these_email_templates() -> None:
    # a new email shows up here, and so in the test below
    assert _email_templates() == [
        "appeals/email/followup.txt",
        "appeals/email/followup_subject.txt",
        "appeals/email/forwarded.txt",
        "appeals/email/forwarded_subject.txt",
        "appeals/email/links.txt",
        "appeals/email/links_subject.txt",
        "appeals/email/registered.txt",
        "appeals/email/registered_subject.txt",
        "appeals/email/reminder.txt",
        "appeals/email/reminder_subject.txt",
        "appeals/email/status.txt",
        "appeals/email/status_subject.txt",
        "council/email/proposal_status.txt",
        "council/email/proposal_status_subject.txt",
        "council/email/recommendation.txt",
        "council/email/recommendation_subject.txt",
        "deputies/email/booked.txt",
        "deputies/email/booked_subject.txt",
        "deputies/email/promoted.txt",
        "deputies/email/promoted_subject.txt",
        "deputies/email/reminder.txt",
        "deputies/email/reminder_subject.txt",
        "deputies/email/slot_cancelled.txt",
        "deputies/email/slot_cancelled_subject.txt",
        "notifications/email/digest.txt",
        "notifications/email/digest_subject.txt",
        "account/email/base_message.txt",
        "account/email/email_confirmation_message.txt",
        "account/email/email_confirmation_signup_message.txt",
        "account/email/email_confirmation_signup_subject.txt",
        "account/email/email_confirmation_subject.txt",
        "account/email/password_reset_key_message.txt",
        "account/email/password_reset_key_subject.txt",
        "account/email/unknown_account_message.txt",
        "account/email/unknown_account_subject.txt",
    ]


@pytest.mark.parametrize("name", _email_templates())
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_email_template_renders_user_text_as_written(name: str, language: str) -> None:
    # when the template is rendered as the product renders emails
    with translation.override(language):
        render = render_subject if name.endswith("_subject.txt") else render_text
        text = render(name, _context())
    # then the hostile text and the links are there exactly as written, nothing escaped
    assert text.strip()
    if name not in NO_USER_TEXT:
        assert HOSTILE in text
    assert [e for e in ESCAPES if e in text] == []
    if name.endswith("_subject.txt"):
        assert "\n" not in text and text == text.strip()


def test_no_email_is_rendered_around_the_helper() -> None:
    # given every module of the product, then none renders an email template with the
    # HTML-escaping loader function: all go through maslikhat.core.emails
    offenders = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if re.search(r"render_to_string\([^)]*email/", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_subject_is_folded_onto_one_line(tmp_path: Path, settings: Any) -> None:
    # given a subject template that spreads over lines
    (tmp_path / "subject.txt").write_text("Hello\n  {{ name }}\n& more\n", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    # then it is one line with the name as written
    assert render_subject("subject.txt", {"name": "O'Brien & Sons"}) == "Hello O'Brien & Sons & more"
    assert render_text("subject.txt", {"name": "<b>"}) == "Hello\n  <b>\n& more\n"
