"""Emails to the citizen, rendered in the citizen's language. Called only after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from maslikhat.core.emails import render_subject, render_text

from .models import Appeal

logger = logging.getLogger(__name__)


def tracking_url(appeal: Appeal, token: str) -> str:
    with translation.override(appeal.language):
        path = reverse("appeals:track", kwargs={"number": appeal.registration_number})
    return f"{settings.SITE_URL}{path}?token={token}"


def _send(appeal: Appeal, template: str, context: dict[str, object]) -> None:
    with translation.override(appeal.language):
        ctx = {"appeal": appeal, "site_url": settings.SITE_URL, **context}
        subject = render_subject(f"appeals/email/{template}_subject.txt", ctx)
        body = render_text(f"appeals/email/{template}.txt", ctx)
    try:
        send_mail(subject, body, None, [appeal.applicant_email])
    except Exception:  # a mail outage must not lose the appeal; the event history keeps the facts
        logger.exception("email %s for appeal id=%s not sent", template, appeal.pk)


def send_registered(appeal_id: int, token: str) -> None:
    appeal = Appeal.objects.select_related("body", "topic").get(pk=appeal_id)
    _send(appeal, "registered", {"url": tracking_url(appeal, token)})


def send_status(appeal_id: int) -> None:
    appeal = Appeal.objects.select_related("body", "topic", "forwarded_to").get(pk=appeal_id)
    _send(appeal, "status", {})


def send_forwarded(appeal_id: int, new_appeal_id: int, token: str) -> None:
    appeal = Appeal.objects.select_related("body", "forwarded_to").get(pk=appeal_id)
    new = Appeal.objects.select_related("body").get(pk=new_appeal_id)
    _send(appeal, "forwarded", {"new": new, "url": tracking_url(new, token)})


# ---------------------------------------------------------------- the follow-up question (B)


def followup_url(appeal: Appeal, key: str) -> str:
    """The link of the emailed question: its key opens the question only (appeals.followup)."""
    with translation.override(appeal.language):
        path = reverse("appeals:followup", kwargs={"number": appeal.registration_number})
    return f"{settings.SITE_URL}{path}?token={key}"


def send_followup(appeal: Appeal, key: str) -> None:
    """Called by the daily job `appeals.followups` once the question is marked emailed."""
    _send(appeal, "followup", {"url": followup_url(appeal, key)})


def send_links(email: str, language: str, issued: list[tuple[int, str]]) -> None:
    """Fresh tracking links (appeals/links.py), one email to the address that asked."""
    by_id = {a.pk: a for a in Appeal.objects.select_related("body").filter(pk__in=[pk for pk, _ in issued])}
    items = [
        {"appeal": by_id[pk], "url": tracking_url(by_id[pk], token)} for pk, token in issued if pk in by_id
    ]
    if not items:
        return
    with translation.override(language):
        ctx = {"items": items, "site_url": settings.SITE_URL}
        subject = render_subject("appeals/email/links_subject.txt", ctx)
        body = render_text("appeals/email/links.txt", ctx)
    try:
        send_mail(subject, body, None, [email])
    except Exception:  # a mail outage: the citizen can ask again
        logger.exception("tracking links email not sent")
