"""The synthetic council work of the demo: idempotent, labelled, histories in date order."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from maslikhat.council.models import Meeting, Proposal, Recommendation
from maslikhat.demo.council_demo import generate_demo_council

pytestmark = pytest.mark.django_db


def test_demo_council_work(reference: Any) -> None:
    made = generate_demo_council(seed=1)
    assert made == 5 + 24 + 4  # meetings, proposals, recommendations
    assert generate_demo_council(seed=1) == 0
    assert not Meeting.objects.filter(is_demo=False).exists()
    assert list(Meeting.objects.order_by("held_on").values_list("status", flat=True)) == [
        "published",
        "published",
        "published",
        "published",
        "draft",
    ]
    assert Recommendation.objects.filter(is_demo=True).count() == 4
    assert all(r.reports.exists() for r in Recommendation.objects.all())
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert {"submitted", "declined"} <= statuses and len(statuses) >= 5
    now = timezone.now()
    for p in Proposal.objects.prefetch_related("events"):
        times = [e.created_at for e in p.events.all()]
        assert times == sorted(times)
        assert p.submitted_at <= times[0] and times[-1] <= now
