"""Emails to maslikhats about their proposals and the recommendations addressed to them.

Recipients are the maslikhat's public address and the accounts of its chair and apparatus
staff, each in the account's language. Called only after commit; a mail outage is logged and
never undoes the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from maslikhat.core.emails import render_subject, render_text
from maslikhat.directory.choices import OrganizationKind, PostRole
from maslikhat.directory.models import Membership, Organization

from .models import Proposal, Recommendation

logger = logging.getLogger(__name__)


def recipients(bodies: Iterable[Organization]) -> list[tuple[str, str]]:
    """(email, language) of the people who act for these maslikhats, and their public address."""
    ids = [b.pk for b in bodies]
    found: dict[str, str] = {}
    memberships = (
        Membership.objects.current()
        .filter(
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .select_related("person__user", "organization")
    )
    for m in memberships.filter(organization_id__in=ids, role__in=[PostRole.CHAIR, PostRole.SECRETARY]):
        user = m.person.user
        if user is not None and user.email:
            found.setdefault(user.email, user.preferred_language or "kk")
    for m in memberships.filter(
        organization__parent_id__in=ids, organization__kind=OrganizationKind.APPARATUS, role=PostRole.STAFF
    ):
        user = m.person.user
        if user is not None and user.email:
            found.setdefault(user.email, user.preferred_language or "kk")
    for b in bodies:
        if b.email:
            found.setdefault(b.email, "kk")
    return sorted(found.items())


def _send(to: list[tuple[str, str]], template: str, context: dict[str, object]) -> int:
    sent = 0
    for email, language in to:
        with translation.override(language):
            ctx = {"site_url": settings.SITE_URL, **context}
            if "path_name" in context:
                ctx["url"] = settings.SITE_URL + reverse(
                    str(context["path_name"]), args=[context["path_arg"]]
                )
            subject = render_subject(f"council/email/{template}_subject.txt", ctx)
            body = render_text(f"council/email/{template}.txt", ctx)
        try:
            send_mail(subject, body, None, [email])
            sent += 1
        except Exception:  # the change is committed; the event history keeps the facts
            logger.exception("council email %s not sent", template)
    return sent


def send_proposal_status(proposal_id: int) -> int:
    proposal = Proposal.objects.select_related("body").prefetch_related("backers__body").get(pk=proposal_id)
    bodies = [proposal.body, *(b.body for b in proposal.backers.all())]
    return _send(
        recipients(bodies),
        "proposal_status",
        {"proposal": proposal, "path_name": "council:proposal", "path_arg": proposal.pk},
    )


def send_recommendation(recommendation_id: int) -> int:
    rec = Recommendation.objects.select_related("meeting").get(pk=recommendation_id)
    bodies = [r.body for r in rec.reports.select_related("body")]
    return _send(
        recipients(bodies),
        "recommendation",
        {"recommendation": rec, "path_name": "council:recommendation", "path_arg": rec.pk},
    )
