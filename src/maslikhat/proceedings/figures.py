"""The proceedings app's scorecard figures: sessions held, deputies' attendance, drafts put to
public comment, comments answered in the results report, decisions published on time.

Registered with the scorecard's registry (`maslikhat.core.figures`) by `ProceedingsConfig.ready`.
One aggregate query per kind of record (sessions with their attendance, drafts, comments,
decisions), whatever the number of bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Count, DateField, F, Q, When
from django.utils.translation import gettext_lazy as _

from maslikhat.core.figures import (
    Body,
    Bucket,
    Figure,
    FigureSource,
    Values,
    bucket_case,
    empty,
    fmt_count,
    fmt_pct,
)

from .choices import CommentStatus, DraftStatus, SessionStatus
from .models import Comment, Decision, DraftDecision, Session

PROCEEDINGS = _("Sessions and decisions")

# A decision counts as published on time when its first official publication is at most this
# many calendar days after its adoption, or, for a normative act, after its registration with the
# justice bodies (the law gives ten calendar days for sending a registered act to publication).
PUBLICATION_DAYS = 10

FIGURES: tuple[Figure, ...] = (
    Figure(
        "sessions_held",
        _("Sessions held"),
        _(
            "Sessions of the maslikhat, regular and extraordinary, held and closed in the period "
            "(by the day they were held)."
        ),
        "count",
        None,
        fmt_count,
        PROCEEDINGS,
    ),
    Figure(
        "sessions_attendance_pct",
        _("Deputies' attendance"),
        _(
            "Share of the deputies recorded present, over every deputy and session pair of the "
            "sessions held and closed in the period (the attendance recorded at each session)."
        ),
        "pct",
        True,
        fmt_pct,
        PROCEEDINGS,
    ),
    Figure(
        "drafts_put_to_comment",
        _("Drafts put to public comment"),
        _("Draft decisions whose public comment period opened in the period."),
        "count",
        True,
        fmt_count,
        PROCEEDINGS,
    ),
    Figure(
        "comments_answered_pct",
        _("Comments answered"),
        _(
            "Of the comments shown on drafts whose comment period ended in the period (and is "
            "over), the share answered (accepted, partly accepted or rejected, with the reason) "
            "in a published results report."
        ),
        "pct",
        True,
        fmt_pct,
        PROCEEDINGS,
    ),
    Figure(
        "decisions_published_on_time_pct",
        _("Decisions published on time"),
        _(
            "Of the decisions adopted in the period, the share first officially published within "
            "10 calendar days of adoption, or, for a normative legal act, of its registration with "
            "the justice bodies. A decision not yet published counts once those 10 days have "
            "passed; a normative act not yet registered does not count."
        ),
        "pct",
        True,
        fmt_pct,
        PROCEEDINGS,
    ),
)


def pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _moments(buckets: Sequence[Bucket]) -> list[tuple[datetime, datetime]]:
    """The buckets as aware datetimes: local midnights of their first and end days."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return [
        (datetime.combine(s, time(), tzinfo=tz), datetime.combine(e, time(), tzinfo=tz)) for s, e in buckets
    ]


def proceedings_source(bodies: Sequence[Body], buckets: Sequence[Bucket], today: date) -> Values:
    """Four aggregates: closed sessions with their attendance rows (by the session's local
    date), drafts by the day their comment period opened, shown comments by the last day of
    their draft's period, decisions by adoption date."""
    out = empty(buckets)
    if not bodies or not buckets:
        return out
    ids = [b.id for b in bodies]
    lo = min(b[0] for b in buckets)
    hi = max(b[1] for b in buckets)
    moments = _moments(buckets)
    m_lo = min(m[0] for m in moments)
    m_hi = max(m[1] for m in moments)
    found: dict[tuple[int, int], dict[str, Any]] = {}

    sessions = (
        Session.objects.filter(
            body_id__in=ids, status=SessionStatus.CLOSED, starts_at__gte=m_lo, starts_at__lt=m_hi
        )
        .annotate(b=bucket_case("starts_at", moments))
        .values("body_id", "b")
        .annotate(
            n=Count("id", distinct=True),
            pairs=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by()
    )
    for s in sessions:
        found.setdefault((s["body_id"], s["b"]), {}).update(
            {"sessions_held": s["n"], "sessions_attendance_pct": pct(s["present"], s["pairs"])}
        )

    drafts = (
        DraftDecision.objects.filter(body_id__in=ids, comment_opens_on__gte=lo, comment_opens_on__lt=hi)
        .exclude(status=DraftStatus.PREPARING)
        .annotate(b=bucket_case("comment_opens_on", buckets))
        .values("body_id", "b")
        .annotate(n=Count("id"))
        .order_by()
    )
    for d in drafts:
        found.setdefault((d["body_id"], d["b"]), {})["drafts_put_to_comment"] = d["n"]

    comments = (
        Comment.objects.filter(
            draft__body_id__in=ids,
            status=CommentStatus.SHOWN,
            draft__comment_closes_on__gte=lo,
            draft__comment_closes_on__lt=min(hi, today),
        )
        .annotate(b=bucket_case("draft__comment_closes_on", buckets))
        .values("draft__body_id", "b")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(draft__status=DraftStatus.REPORTED) & ~Q(response="")),
        )
        .order_by()
    )
    for c in comments:
        found.setdefault((c["draft__body_id"], c["b"]), {})["comments_answered_pct"] = pct(
            c["answered"], c["n"]
        )

    # The day publication is counted from: registration for a normative act, else adoption.
    base = Case(
        When(is_normative=True, then=F("registered_on")),
        default=F("adopted_on"),
        output_field=DateField(),
    )
    window = timedelta(days=PUBLICATION_DAYS)
    decisions = (
        Decision.objects.filter(body_id__in=ids, adopted_on__gte=lo, adopted_on__lt=hi)
        .annotate(base_on=base, b=bucket_case("adopted_on", buckets))
        .filter(Q(published_on__isnull=False) | Q(base_on__lt=today - window))
        .values("body_id", "b")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(published_on__lte=F("base_on") + window)),
        )
        .order_by()
    )
    for d in decisions:
        found.setdefault((d["body_id"], d["b"]), {})["decisions_published_on_time_pct"] = pct(
            d["on_time"], d["n"]
        )

    zero = {
        "sessions_held": 0,
        "sessions_attendance_pct": None,
        "drafts_put_to_comment": 0,
        "comments_answered_pct": None,
        "decisions_published_on_time_pct": None,
    }
    for i, values in enumerate(out):
        for body in bodies:
            values[body.id] = {**zero, **found.get((body.id, i), {})}
    return out


# Kept per version of its family (core.figures.source_values).
SOURCE = FigureSource(
    name="proceedings", figures=FIGURES, compute=proceedings_source, families=("proceedings",)
)
