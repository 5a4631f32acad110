"""Reads for appeals: the inbox, the citizen's view, public appeals and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from maslikhat.core.calendar import add_working_days, working_days_between
from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.choices import MASLIKHAT_KINDS
from maslikhat.directory.models import Organization, Person

from .choices import DECIDED_STATUSES, OPEN_STATUSES
from .figures import AppealFigures as AppealFigures
from .figures import body_figures as body_figures  # the one reader, shared with the scorecard
from .models import Appeal, AppealStats, Topic


def topics() -> list[Topic]:
    """The active topics, in their order (the one list of pages, API and forms)."""
    return list(Topic.objects.filter(is_active=True))


# ------------------------------------------------------------------ look-ups for the adapters


def addressee_body(*, pk: int, maslikhat_only: bool = False) -> Organization | None:
    """A body an appeal may be addressed (or forwarded) to, with its area; None when unknown.
    `maslikhat_only`: only a maslikhat (the page's ?body= link)."""
    qs = Organization.objects.select_related("area").filter(pk=pk)
    if maslikhat_only:
        qs = qs.filter(kind__in=MASLIKHAT_KINDS)
    return qs.first()


def addressee_deputy(*, pk: int) -> Person | None:
    return Person.objects.filter(pk=pk).first()


def body_exists(*, pk: int) -> bool:
    return Organization.objects.filter(pk=pk).exists()


def forward_targets(*, appeal: Appeal) -> QuerySet[Organization]:
    """The competent state bodies in office an appeal may be forwarded to (not its own body):
    every maslikhat, akimat and chamber of parliament the directory knows
    (`permissions.FORWARD_TARGET_KINDS`), with their areas and the areas' parents."""
    from .permissions import FORWARD_TARGET_KINDS

    return (
        Organization.objects.current()
        .filter(kind__in=FORWARD_TARGET_KINDS)
        .exclude(pk=appeal.body_id)
        .select_related("area", "area__parent")
        .defer(
            "area__boundary",
            "area__boundary_web",
            "area__parent__boundary",
            "area__parent__boundary_web",
        )
        .order_by("name_en")
    )


@dataclass(frozen=True)
class BodyGroup:
    """Forwarding targets of one region (or the national level), in the reader's language."""

    label: str
    bodies: list[Organization]


def forward_groups(*, appeal: Appeal) -> list[BodyGroup]:
    """`forward_targets` grouped by region for a select with option groups: the national level
    first, then the regions by name; in each, the regional bodies first, then by name."""
    from django.utils.translation import gettext

    from maslikhat.directory.choices import AreaKind

    groups: dict[int | None, tuple[str, list[Organization]]] = {}
    for body in forward_targets(appeal=appeal):
        area = body.area
        region = None
        if area is not None and area.kind == AreaKind.REGION:
            region = area
        elif area is not None and area.parent is not None and area.parent.kind == AreaKind.REGION:
            region = area.parent
        key = region.pk if region is not None else None
        label = region.name if region is not None else gettext("National level")
        groups.setdefault(key, (label, []))[1].append(body)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is not None, kv[1][0].casefold()))
    result = []
    for _key, (label, bodies) in ordered:
        bodies.sort(key=lambda b: (b.area is None or b.area.kind != AreaKind.REGION, b.name.casefold()))
        result.append(BodyGroup(label=label, bodies=bodies))
    return result


def appeal_for_staff(*, number: str, detail: bool = False) -> Appeal | None:
    """An appeal by number for those handling it (permissions are the caller's check); with
    `detail`, what the staff page shows (people, events, attachments) loaded with it."""
    if detail:
        qs = Appeal.objects.select_related(
            "body", "topic", "deputy", "assignee", "forwarded_to"
        ).prefetch_related("events", "attachments")
    else:
        qs = Appeal.objects.select_related("body", "topic")
    return qs.filter(registration_number=number).first()


def appeals_by_number(*, numbers: list[str]) -> QuerySet[Appeal]:
    return Appeal.objects.filter(registration_number__in=numbers).select_related("body")


def user_get(*, username: str | None = None, pk: int | None = None) -> Any | None:
    """An account by username or id (an assignee); None when unknown."""
    from django.contrib.auth import get_user_model

    if username is not None:
        return get_user_model().objects.filter(username=username).first()
    return get_user_model().objects.filter(pk=pk or 0).first()


def appeal_for_citizen(*, number: str, token: str) -> Appeal | None:
    """The appeal when the token is one of its links (`access.tracking_q`); None otherwise (no
    way to tell which was wrong)."""
    from .access import tracking_q

    opens = tracking_q(token)
    if opens is None:
        return None
    return (
        Appeal.objects.select_related("body", "topic", "deputy", "forwarded_to", "complaint_about")
        .prefetch_related("attachments", "events")
        .filter(opens, registration_number=number)
        .first()
    )


# What the inbox shows: the open appeals (the default), the closed ones, or all.
INBOX_STATES = ("open", "closed", "all")
# Sort orders: the field to sort by, then the id (a stable order for paging).
INBOX_SORTS = {
    "due": ("due_on", "id"),
    "-due": ("-due_on", "-id"),
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
    "number": ("registration_number", "id"),
    "-number": ("-registration_number", "-id"),
}


@dataclass
class InboxFilters:
    status: str | None = None
    kind: str | None = None
    topic: str | None = None
    deputy_id: int | None = None
    due_within: int | None = None  # working days
    overdue: bool = False
    body_id: int | None = None
    q: str | None = None
    # "open", "closed" or "all" (a `status` narrows further); the page defaults to "open"
    state: str = "all"
    sort: str = "due"


def inbox(*, user: Any, filters: InboxFilters | None = None) -> QuerySet[Appeal]:
    """Appeals the user handles: their bodies' (staff, chair) or addressed/assigned to them
    (deputy); sorted by due date unless `filters.sort` says otherwise (INBOX_SORTS)."""
    f = filters or InboxFilters()
    qs = Appeal.objects.select_related("body", "topic", "deputy", "assignee", "assignee__person")
    if not user.is_superuser:
        bodies = directory_permissions.managed_body_ids(user)
        person = getattr(user, "person", None)
        scope = Q(body_id__in=bodies) | Q(assignee=user)
        if person is not None:
            scope |= Q(deputy=person)
        qs = qs.filter(scope)
    if f.body_id:
        qs = qs.filter(body_id=f.body_id)
    if f.state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.state == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.topic:
        qs = qs.filter(topic__code=f.topic)
    if f.deputy_id:
        qs = qs.filter(deputy_id=f.deputy_id)
    qs = due_filter(qs, overdue=f.overdue, due_within=f.due_within)
    if f.q:
        qs = _search(qs, f.q)
    return qs.order_by(*INBOX_SORTS.get(f.sort, INBOX_SORTS["due"]))


def due_filter(
    qs: QuerySet[Appeal], *, overdue: bool = False, due_within: int | None = None
) -> QuerySet[Appeal]:
    """Open appeals past their due date, and/or due within `due_within` working days (the inbox,
    the API and the admin's deadline filter)."""
    today = timezone.localdate()
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    if due_within is not None:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lte=add_working_days(today, max(due_within, 0)))
    return qs


# PostgreSQL's "russian" configuration stems Russian words and (for Latin letters) English ones;
# Kazakh words are matched as written. Word forms match: "дорогу" finds "дорога".
SEARCH_CONFIG = "russian"


def _name_matches(q: str) -> Q:
    """Every word of `q` is in the applicant's name, in any letter case ("бекова айгүл" finds
    "Айгүл Бекова"). SQLite folds only ASCII letters, so there each word is also tried as
    written, in lower case, capitalised and in upper case."""
    words = q.split()[:5]
    if not words:
        return Q(pk__in=[])
    match = Q()
    for word in words:
        if connection.vendor == "postgresql":
            match &= Q(applicant_name__icontains=word)
        else:
            forms = {word, word.lower(), word.capitalize(), word.upper()}
            any_form = Q(pk__in=[])
            for form in forms:
                any_form |= Q(applicant_name__contains=form)
            match &= any_form
    return match


def _search(qs: QuerySet[Appeal], q: str) -> QuerySet[Appeal]:
    """A registration number (part of it), the applicant's name (its words), or words of the
    text: full-text on PostgreSQL (computed over the inbox's own appeals, already narrowed to the
    user's bodies), a substring match elsewhere."""
    by_number_or_name = Q(registration_number__icontains=q) | _name_matches(q)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        return qs.annotate(search=SearchVector("text", config=SEARCH_CONFIG)).filter(
            by_number_or_name | Q(search=query)
        )
    return qs.filter(by_number_or_name | Q(text__icontains=q))


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox: the appeal, its working days left (None once decided) and, when
    it is past its due date, the working days it is late (0 when the due date fell on a day off
    just before today)."""

    appeal: Appeal
    days_left: int | None
    days_late: int | None

    @property
    def overdue(self) -> bool:
        return self.days_late is not None


def deadline_row(appeal: Appeal, today: date | None = None) -> InboxRow:
    day = today or timezone.localdate()
    left = working_days_left(appeal, day)
    late = None
    if left is not None and appeal.due_on < day:
        late = max(-left, 0)
    return InboxRow(appeal=appeal, days_left=left, days_late=late)


def working_days_left(appeal: Appeal, today: date | None = None) -> int | None:
    if appeal.status not in OPEN_STATUSES:
        return None
    return working_days_between(today or timezone.localdate(), appeal.due_on)


# What a public reader may load of an appeal: never the original texts or personal data.
PUBLIC_FIELDS = (
    "id",
    "registration_number",
    "kind",
    "status",
    "language",
    "registered_on",
    "answered_on",
    "published_at",
    "public_text",
    "public_answer_text",
    "is_demo",
    "body",
    "deputy",
    "topic",
    "body__name_kk",
    "body__name_ru",
    "body__name_en",
    "topic__code",
    "topic__name_kk",
    "topic__name_ru",
    "topic__name_en",
)


def public_appeals(
    *,
    body_id: int | None = None,
    body_ids: list[int] | None = None,
    deputy_id: int | None = None,
    published_after: datetime | None = None,
    published_until: datetime | None = None,
) -> QuerySet[Appeal]:
    """The one reader of public appeals (pages, digests, feeds, API, exports): answered appeals
    whose applicant asked for publication and whose redacted texts staff approved. Only
    `public_text` and `public_answer_text` are loaded (PUBLIC_FIELDS), never the original
    texts or the applicant's data. Newest publication first."""
    qs = Appeal.objects.filter(
        publication_requested=True,
        published_at__isnull=False,
        status__in=DECIDED_STATUSES,
    ).exclude(public_text="")
    if body_id:
        qs = qs.filter(body_id=body_id)
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    if deputy_id:
        qs = qs.filter(deputy_id=deputy_id)
    if published_after is not None:
        qs = qs.filter(published_at__gt=published_after)
    if published_until is not None:
        qs = qs.filter(published_at__lte=published_until)
    return qs.select_related("body", "topic").only(*PUBLIC_FIELDS).order_by("-published_at", "-id")


def publication_pending(*, user: Any) -> QuerySet[Appeal]:
    """Answered appeals in the user's inbox whose applicant asked for publication and whose
    redaction awaits approval."""
    return inbox(user=user).filter(
        publication_requested=True, published_at__isnull=True, status__in=DECIDED_STATUSES
    )


def received_total(*, body_id: int) -> int:
    return AppealStats.objects.filter(body_id=body_id).aggregate(n=Sum("received"))["n"] or 0


def assignee_candidates(*, user: Any, body_id: int | None = None) -> list[Any]:
    """People an inbox user may assign appeals to: staff, chairs and deputies of the bodies the
    user manages (with `body_id`, of that one body, when the user manages it or is an admin);
    ordered by name."""
    from django.contrib.auth import get_user_model

    from maslikhat.directory.choices import DEPUTY_ROLES, OrganizationKind, PostRole
    from maslikhat.directory.models import Membership

    bodies = directory_permissions.managed_body_ids(user)
    if body_id is not None:
        if not (user.is_superuser or body_id in bodies):
            return []
        bodies = {body_id}
    elif user.is_superuser:
        return []
    memberships = Membership.objects.current().filter(
        Q(organization_id__in=bodies, role__in=[*DEPUTY_ROLES, PostRole.CHAIR])
        | Q(
            organization__parent_id__in=bodies,
            organization__kind=OrganizationKind.APPARATUS,
            role=PostRole.STAFF,
        ),
        person__user__isnull=False,
    )
    ids = set(memberships.values_list("person__user_id", flat=True))
    people = list(get_user_model().objects.filter(id__in=ids, is_active=True).select_related("person"))
    return sorted(people, key=lambda u: (assignee_label(u).casefold(), u.pk))


def assignee_label(user: Any) -> str:
    """How an assignee is named on the staff pages: their person's name, else the username."""
    person = getattr(user, "person", None)
    return (person.name if person is not None else "") or user.username


def deputies_of(*, user: Any) -> list[Any]:
    from maslikhat.directory.choices import DEPUTY_ROLES
    from maslikhat.directory.models import Person

    bodies = directory_permissions.managed_body_ids(user)
    return list(
        Person.objects.filter(
            memberships__organization_id__in=bodies,
            memberships__role__in=DEPUTY_ROLES,
            memberships__end_date__isnull=True,
        )
        .distinct()
        .order_by("sort_name")
    )


# ------------------------------------------------------------------ the owner's appeals (accounts)
#
# Who owns an appeal is `ownership.is_owner` alone; these readers only narrow the candidates
# (the owner pages keep the appeals it accepts).


def verified_emails(*, user: Any) -> frozenset[str]:
    """The addresses allauth marks verified for the account, lower-cased (none when anonymous)."""
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        return frozenset()
    addresses = EmailAddress.objects.filter(user_id=user.pk, verified=True).values_list("email", flat=True)
    return frozenset(e.lower() for e in addresses)


def _by_emails(emails: frozenset[str]) -> Q:
    q = Q(pk__in=[])
    for email in sorted(emails):
        q |= Q(applicant_email__iexact=email)
    return q


def owner_candidates(*, user: Any, emails: frozenset[str]) -> QuerySet[Appeal]:
    """Appeals made with the account or with one of `emails`, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(Q(applicant_user_id=user.pk) | _by_emails(emails))
        .select_related("body", "deputy", "topic")
        .order_by("-received_at", "-id")
    )


def appeal_for_owner(*, number: str) -> Appeal | None:
    """An appeal by number with what its owner's page shows (`ownership.is_owner` decides)."""
    return (
        Appeal.objects.select_related("body", "topic", "deputy", "forwarded_to", "complaint_about")
        .prefetch_related("attachments", "events")
        .filter(registration_number=number)
        .first()
    )


def appeals_with_applicant_email(*, email: str) -> list[Appeal]:
    """Every appeal whose applicant gave this address (any case), oldest first."""
    if not email:
        return []
    return list(
        Appeal.objects.filter(applicant_email__iexact=email)
        .select_related("body")
        .order_by("received_at", "id")
    )
