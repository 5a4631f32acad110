"""Who may run the national council's records and who may act for a maslikhat: pure functions.

Council staff (a staff membership in a national council or its apparatus) manage meetings,
recommendations and the review of proposals. The successor council's staff keep the archive of
the Senate's council, so staff of any national council in force manage every council's records.
A maslikhat's chair and apparatus act only for their own maslikhat: its proposals, its
co-signatures and its implementation reports.
"""

from __future__ import annotations

from typing import Any

from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind, PostRole
from maslikhat.directory.models import Organization

from .choices import PENDING_STATUSES
from .models import Meeting, Proposal, RecommendationReport


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_council_staff(user: Any) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    for m in directory_permissions._memberships(user):
        body = directory_permissions._served_body(m)
        if m.role == PostRole.STAFF and body is not None and body.kind == OrganizationKind.NATIONAL_COUNCIL:
            return True
    return False


def can_manage_council(user: Any) -> bool:
    """Create, edit and publish meetings; adopt recommendations; review proposals."""
    return is_council_staff(user)


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    return meeting.is_public or can_manage_council(user)


def acting_body_ids(user: Any) -> set[int]:
    """Maslikhats the user acts for (chair or apparatus staff)."""
    if not _active(user):
        return set()
    return directory_permissions.managed_body_ids(user)


def can_submit_proposal(user: Any, body: Organization) -> bool:
    if not _active(user) or body.kind not in MASLIKHAT_KINDS:
        return False
    return bool(user.is_superuser or body.pk in acting_body_ids(user))


def can_withdraw_proposal(user: Any, proposal: Proposal) -> bool:
    return _active(user) and bool(user.is_superuser or proposal.body_id in acting_body_ids(user))


def is_co_signable(proposal: Proposal) -> bool:
    """Other maslikhats may co-sign a proposal until the council has decided on it."""
    return proposal.status in PENDING_STATUSES


def can_back_proposal(user: Any, proposal: Proposal, body: Organization) -> bool:
    """Co-sign for another maslikhat than the proposing one (whether the proposal can still be
    co-signed is `is_co_signable`; the bodies a user may co-sign for now are
    `selectors.co_sign_bodies`)."""
    return body.pk != proposal.body_id and can_submit_proposal(user, body)


def can_view_proposal_internal(user: Any, proposal: Proposal) -> bool:
    """Internal notes and supporting documents: the council's staff and the proposing and
    co-signing maslikhats."""
    if not _active(user):
        return False
    if can_manage_council(user):
        return True
    mine = acting_body_ids(user)
    if proposal.body_id in mine:
        return True
    return any(b.body_id in mine for b in proposal.backers.all())


def can_file_report(user: Any, report: RecommendationReport) -> bool:
    return _active(user) and bool(user.is_superuser or report.body_id in acting_body_ids(user))
