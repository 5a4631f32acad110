"""The notifications' background jobs (`JOBS`, registered by NotificationsConfig.ready): digests
of what is new in each follow's scope. Idempotent: each (follow, period) is recorded
in DigestDelivery (unique) before its email is sent after commit, so a re-run, or a run on two
workers, sends nothing twice. A period with nothing new is recorded but sends no email.

Periods are local calendar days (daily) or ISO weeks from Monday (weekly) in TIME_ZONE; a digest
covers what became public since the end of the follow's last digest (at most MAX_CATCH_UP back),
up to the start of the current period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from maslikhat.core.digests import DigestPart
from maslikhat.core.emails import render_subject, render_text

from .choices import Frequency
from .models import DigestDelivery, Follow
from .selectors import DigestContent, digest_content
from .unsubscribe import unsubscribe_token

logger = logging.getLogger(__name__)

MAX_CATCH_UP = timedelta(days=31)
PERIOD_LENGTH = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}


def period_for(frequency: str, now: datetime) -> tuple[str, datetime, datetime]:
    """The last complete period before `now`: (key, start, end) with local midnights as bounds."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Frequency.DAILY:
        end = midnight
        start = end - timedelta(days=1)
        key = f"daily:{start.date().isoformat()}"
    else:
        end = midnight - timedelta(days=midnight.weekday())
        start = end - timedelta(days=7)
        year, week, _ = start.date().isocalendar()
        key = f"weekly:{year}-W{week:02d}"
    # Re-localize: a day or week may span a change of UTC offset.
    tz = timezone.get_current_timezone()
    return key, start.replace(tzinfo=None).replace(tzinfo=tz), end.replace(tzinfo=None).replace(tzinfo=tz)


def _since(follow: Follow, default_start: datetime, end: datetime) -> datetime:
    last = follow.deliveries.order_by("-period_end").values_list("period_end", flat=True).first()
    since = last if last is not None else default_start
    return max(since, end - MAX_CATCH_UP)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(follow: Follow, language: str) -> str:
    with translation.override(language):
        return _absolute(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(follow)}))


def _part_text(part: DigestPart) -> str:
    """One part's items as plain text: the source's own template, or the generic item shape."""
    source = part.source
    if source.template:
        return render_text(source.template, {"items": part.items, "site_url": settings.SITE_URL})
    shape = source.item or (lambda obj: obj)  # register_digest_sources refuses neither
    items = [shape(obj) for obj in part.items]
    shown = [(i, i.url if "://" in i.url else _absolute(i.url) if i.url else "") for i in items]
    return render_text("notifications/digest/items.txt", {"items": shown})


def render_digest(follow: Follow, content: DigestContent, language: str) -> tuple[str, str, str]:
    """(subject, body, unsubscribe URL) in the recipient's language."""
    with translation.override(language):
        ctx = {
            "follow": follow,
            "target_name": str(follow.target),
            "content": content,
            "parts": [
                {"label": p.source.label, "count": p.count, "text": _part_text(p)} for p in content.shown
            ],
            "site_url": settings.SITE_URL,
            "follows_url": _absolute(reverse("notifications:mine")),
            "unsubscribe_url": unsubscribe_url(follow, language),
            "language": language,
        }
        subject = render_subject("notifications/email/digest_subject.txt", ctx)
        body = render_text("notifications/email/digest.txt", ctx)
    return subject, body, ctx["unsubscribe_url"]


def _send(follow: Follow, content: DigestContent, language: str) -> None:
    subject, body, unsubscribe = render_digest(follow, content, language)
    message = EmailMessage(
        subject,
        body,
        None,
        [follow.user.email],
        headers={
            # RFC 2369 and RFC 8058: one-click unsubscribe by POST, without logging in.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:  # the delivery row stays; a mail outage is logged, not retried twice
        logger.exception("digest for follow id=%s not sent", follow.pk)


def send_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send the digests of every active follow with this frequency; returns the emails sent."""
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    moment = now or timezone.now()
    key, default_start, end = period_for(frequency, moment)
    follows = (
        Follow.objects.filter(active=True, frequency=frequency, user__is_active=True)
        .exclude(deliveries__period_key=key)
        .select_related("user", "area", "body", "tag", "deputy")
        .defer("area__boundary", "area__boundary_web")
        .order_by("id")
    )
    sent = 0
    for follow in follows:
        since = _since(follow, default_start, end)
        if since >= end:
            continue
        content = digest_content(follow=follow, since=since, until=end)
        language = follow.user.preferred_language or settings.LANGUAGE_CODE
        will_send = bool(content.total and follow.user.email)
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(
                    follow=follow,
                    period_key=key,
                    period_start=since,
                    period_end=end,
                    sent_at=moment if will_send else None,
                    language=language,
                    news_count=content.news_count,
                    decisions_count=content.decisions_count,
                    appeals_count=content.appeals_count,
                    counts=content.counts,
                )
                if will_send:
                    transaction.on_commit(partial(_send, follow, content, language))
        except IntegrityError:
            logger.info("digest %s for follow id=%s already recorded", key, follow.pk)
            continue
        sent += will_send
    return sent


def send_daily_digests() -> int:
    return send_digests(frequency=Frequency.DAILY)


def send_weekly_digests() -> int:
    return send_digests(frequency=Frequency.WEEKLY)


JOBS: dict[str, Callable[..., Any]] = {
    "notifications.daily_digests": send_daily_digests,
    "notifications.weekly_digests": send_weekly_digests,
}
