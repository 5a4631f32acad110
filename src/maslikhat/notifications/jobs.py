"""The notifications' background jobs (`JOBS`, registered by NotificationsConfig.ready): digests
of what is new in each follow's scope, and in the citizen's own parts (the new matches of their
saved searches, `maslikhat.core.digests.CitizenDigestSource`).

One email per citizen per period: a section per follow of the period's frequency with something
new, then the citizen's own parts when they ride in this frequency (`citizen_frequency`). A
follow alone in its email keeps its own one-click unsubscribe; an email of several parts carries
one for all of them (`unsubscribe.digest_unsubscribe_token`) and each follow's own link.

Idempotent: each (follow, period) is recorded in DigestDelivery (unique), and the own parts are
marked taken, in one transaction per citizen before the email is sent after commit, so a re-run,
or a run on two workers, sends nothing twice. A period with nothing new is recorded but sends no
email.

Periods are local calendar days (daily) or ISO weeks from Monday (weekly) in TIME_ZONE; a digest
covers what became public since the end of the follow's last digest (at most MAX_CATCH_UP back),
up to the start of the current period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from maslikhat.core.digests import CITIZEN_SOURCES, CitizenDigestSource, DigestPart, citizen_frequency
from maslikhat.core.emails import render_subject, render_text

from .choices import Frequency
from .models import DigestDelivery, Follow
from .selectors import DigestContent, digest_content
from .unsubscribe import digest_unsubscribe_token, unsubscribe_token

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


@dataclass
class OwnPart:
    """A citizen's own part of their digest (saved searches' new matches), from a
    `CitizenDigestSource`."""

    source: CitizenDigestSource
    count: int
    items: list[Any] = field(default_factory=list)


@dataclass
class CitizenDigest:
    """The one email a citizen gets for a period: a section per follow with something new,
    then their own parts."""

    user: Any
    frequency: str
    sections: list[tuple[Follow, DigestContent]] = field(default_factory=list)
    own: list[OwnPart] = field(default_factory=list)

    @property
    def shown(self) -> list[tuple[Follow, DigestContent]]:
        return [(f, c) for f, c in self.sections if c.total]

    @property
    def total(self) -> int:
        return sum(c.total for _f, c in self.sections) + sum(p.count for p in self.own)

    @property
    def single_follow(self) -> Follow | None:
        """The follow when it alone fills the email (its own one-click unsubscribe then)."""
        shown = self.shown
        return shown[0][0] if len(shown) == 1 and not self.own else None


def digest_unsubscribe_url(digest: CitizenDigest, language: str) -> str:
    """The one-click unsubscribe of the whole email: its follows and its own parts."""
    follow = digest.single_follow
    if follow is not None:
        return unsubscribe_url(follow, language)
    token = digest_unsubscribe_token(
        digest.user, [f for f, _c in digest.shown], [p.source.name for p in digest.own]
    )
    with translation.override(language):
        return _absolute(reverse("notifications:unsubscribe_digest", kwargs={"token": token}))


def render_citizen_digest(digest: CitizenDigest, language: str) -> tuple[str, str, str]:
    """(subject, body, unsubscribe URL) in the recipient's language."""
    with translation.override(language):
        several = digest.single_follow is None
        sections = [
            {
                "follow": follow,
                "target_name": str(follow.target),
                "parts": [
                    {"label": p.source.label, "count": p.count, "text": _part_text(p)} for p in content.shown
                ],
                "unsubscribe_url": unsubscribe_url(follow, language) if several else "",
            }
            for follow, content in digest.shown
        ]
        own = [
            {
                "label": p.source.label,
                "count": p.count,
                "text": render_text(p.source.template, {"items": p.items, "site_url": settings.SITE_URL}),
            }
            for p in digest.own
        ]
        names = [str(s["target_name"]) for s in sections] + [str(p["label"]) for p in own]
        ctx = {
            "frequency": digest.frequency,
            "target_name": ", ".join(names),
            "sections": sections,
            "own": own,
            "site_url": settings.SITE_URL,
            "follows_url": _absolute(reverse("notifications:mine")),
            "unsubscribe_url": digest_unsubscribe_url(digest, language),
            "language": language,
        }
        subject = render_subject("notifications/email/digest_subject.txt", ctx)
        body = render_text("notifications/email/digest.txt", ctx)
    return subject, body, ctx["unsubscribe_url"]


def render_digest(follow: Follow, content: DigestContent, language: str) -> tuple[str, str, str]:
    """One follow's digest alone: (subject, body, unsubscribe URL) in the recipient's language."""
    digest = CitizenDigest(follow.user, follow.frequency, [(follow, content)])
    return render_citizen_digest(digest, language)


def _send(digest: CitizenDigest, language: str) -> None:
    subject, body, unsubscribe = render_citizen_digest(digest, language)
    message = EmailMessage(
        subject,
        body,
        None,
        [digest.user.email],
        headers={
            # RFC 2369 and RFC 8058: one-click unsubscribe by POST, without logging in.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:  # the delivery rows stay; a mail outage is logged, not retried twice
        logger.exception("digest for user id=%s not sent", digest.user.pk)


def _riders(frequency: str) -> set[int]:
    """The citizens whose own parts (saved searches) ride in this frequency's digest."""
    wanted: set[int] = set()
    for source in CITIZEN_SOURCES:
        wanted.update(source.users())
    if not wanted:
        return set()
    frequencies: dict[int, list[str]] = {}
    rows = Follow.objects.filter(user_id__in=wanted, active=True).values_list("user_id", "frequency")
    for user_id, follow_frequency in rows:
        frequencies.setdefault(user_id, []).append(follow_frequency)
    return {uid for uid in wanted if citizen_frequency(frequencies.get(uid, [])) == frequency}


def send_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send the period's digest of every citizen with active follows of this frequency (and of
    those whose saved searches ride in it): one email per citizen, a section per follow with
    something new, then the citizen's own parts. Returns the emails sent."""
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    moment = now or timezone.now()
    key, default_start, end = period_for(frequency, moment)
    follows = (
        Follow.objects.filter(active=True, frequency=frequency, user__is_active=True)
        .exclude(deliveries__period_key=key)
        .select_related("user", "area", "body", "tag", "deputy")
        .defer("area__boundary", "area__boundary_web")
        .order_by("user_id", "id")
    )
    by_user: dict[int, list[Follow]] = {}
    users: dict[int, Any] = {}
    for follow in follows:
        by_user.setdefault(follow.user_id, []).append(follow)
        users[follow.user_id] = follow.user
    riders = _riders(frequency)
    missing = riders - users.keys()
    if missing:
        users.update({u.pk: u for u in get_user_model().objects.filter(pk__in=missing, is_active=True)})
    sent = 0
    for user_id in sorted(users):
        user = users[user_id]
        language = user.preferred_language or settings.LANGUAGE_CODE
        digest = CitizenDigest(user, frequency)
        spans = []
        for follow in by_user.get(user_id, []):
            since = _since(follow, default_start, end)
            if since < end:
                spans.append((follow, since))
                digest.sections.append((follow, digest_content(follow=follow, since=since, until=end)))
        try:
            with transaction.atomic():
                if user_id in riders:
                    for source in CITIZEN_SOURCES:
                        count, items = source.take(user, end)
                        if count:
                            digest.own.append(OwnPart(source, count, items))
                will_send = bool(digest.total and user.email)
                for (follow, since), (_follow, content) in zip(spans, digest.sections, strict=True):
                    DigestDelivery.objects.create(
                        follow=follow,
                        period_key=key,
                        period_start=since,
                        period_end=end,
                        sent_at=moment if will_send and content.total else None,
                        language=language,
                        news_count=content.news_count,
                        decisions_count=content.decisions_count,
                        appeals_count=content.appeals_count,
                        counts=content.counts,
                    )
                if will_send:
                    transaction.on_commit(partial(_send, digest, language))
        except IntegrityError:
            logger.info("digest %s for user id=%s already recorded", key, user_id)
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
