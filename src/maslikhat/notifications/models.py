"""Follows and digests: a citizen follows an area, a body, a news tag or a deputy and receives a
daily or weekly digest (in their preferred language at send time) of what is new there.

Each follow carries a random nonce; its one-click unsubscribe token is the follow's id and that
nonce, signed with the site's secret (see tokens.py). DigestDelivery is unique per follow and
period, so a digest is sent at most once however often the job runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import FollowKind, Frequency


def _only(field: str) -> Q:
    q = Q(**{f"{field}__isnull": False})
    for other in ("area", "body", "tag", "deputy"):
        if other != field:
            q &= Q(**{f"{other}__isnull": True})
    return q


class Follow(models.Model):
    # CASCADE: a follow is the account's preference and goes with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=FollowKind.choices)
    # CASCADE (all four targets): a follow of something that no longer exists means nothing.
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    tag = models.ForeignKey(
        "news.Tag", verbose_name=_("topic"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deputy = models.ForeignKey(
        "directory.Person",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    token_nonce = models.CharField(max_length=32)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FollowKind.values), name="follow_kind_valid"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="follow_frequency_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=FollowKind.AREA) & _only("area"))
                | (Q(kind=FollowKind.BODY) & _only("body"))
                | (Q(kind=FollowKind.TAG) & _only("tag"))
                | (Q(kind=FollowKind.DEPUTY) & _only("deputy")),
                name="follow_target_matches_kind",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", field],
                    condition=Q(active=True, kind=field),
                    name=f"follow_unique_active_{field}",
                )
                for field in ("area", "body", "tag", "deputy")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.kind} {self.target}"

    @property
    def target(self) -> object:
        return getattr(self, self.kind)


class DigestDelivery(models.Model):
    """One digest period of one follow: recorded before the email goes, so it is never sent twice."""

    # CASCADE: the delivery record belongs to its follow.
    follow = models.ForeignKey(
        Follow, verbose_name=_("follow"), on_delete=models.CASCADE, related_name="deliveries"
    )
    period_key = models.CharField(_("period"), max_length=32)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    news_count = models.PositiveIntegerField(_("news"), default=0)
    decisions_count = models.PositiveIntegerField(_("decisions"), default=0)
    appeals_count = models.PositiveIntegerField(_("answered appeals"), default=0)
    # Every part's count by digest source name (maslikhat.core.digests), the three above too.
    counts = models.JSONField(_("counts by source"), default=dict, blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["follow", "period_key"], name="digest_delivery_unique_period"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="digest_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follow_id} {self.period_key}"

    @property
    def total(self) -> int:
        if self.counts:
            return sum(int(n) for n in self.counts.values())
        return self.news_count + self.decisions_count + self.appeals_count
