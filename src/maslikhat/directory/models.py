"""The directory: areas, organizations, people, posts and memberships (Popolo vocabulary).

Everything is time-versioned. A record is *in force* on a day `d` when
`start <= d` and (`end` is empty or `d < end`): end dates are exclusive, the first day on
which the thing no longer holds. History is kept by closing records, never by overwriting.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.i18n import localized
from maslikhat.core.models import TimeStampedModel

from .choices import MASLIKHAT_KINDS, AreaKind, ElectionMethod, OrganizationKind, PostRole
from .text import search_key


def _in_force(start_field: str, end_field: str, on: date | None) -> Q:
    day = on or timezone.localdate()
    return Q(**{f"{start_field}__lte": day}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": day})
    )


class AreaQuerySet(models.QuerySet["Area"]):
    def current(self, on: date | None = None) -> AreaQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=day)
        )


class Area(TimeStampedModel):
    """A territory: the country, a region, a district, a settlement or an electoral constituency."""

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("ISO 3166-2 for regions, KATO where known.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices, db_index=True)
    # PROTECT: an area with sub-areas cannot vanish; close it with valid_until instead.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=10, blank=True, db_index=True)
    kato_code = models.CharField(_("KATO code"), max_length=9, blank=True, db_index=True)
    centre_kk = models.CharField(_("centre (Kazakh)"), max_length=200, blank=True)
    centre_ru = models.CharField(_("centre (Russian)"), max_length=200, blank=True)
    centre_en = models.CharField(_("centre (English)"), max_length=200, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population (approximate)"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    boundary_web = models.JSONField(_("simplified boundary for maps"), null=True, blank=True)
    number = models.PositiveIntegerField(_("constituency number"), null=True, blank=True)
    # CASCADE: a constituency belongs to the maslikhat elected in it and means nothing without it.
    body = models.ForeignKey(
        "Organization",
        verbose_name=_("elected body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="constituencies",
        help_text=_("For an electoral constituency: the maslikhat elected in it."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)
    # Filled from the names on every save (and by the bulk loaders): see directory.text.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        db_index=True,
        help_text=_("The source marks something about this unit as unverified; an operator should check it."),
    )
    review_note = models.CharField(_("what to review"), max_length=500, blank=True)
    # SET_NULL: the pointer only says where the territory is drawn until the unit has its own
    # boundary; losing it loses no fact about the unit.
    boundary_within = models.ForeignKey(
        "self",
        verbose_name=_("territory still drawn inside"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pending_units",
        help_text=_(
            "For a unit without its own boundary yet: the unit whose boundary still contains its territory."
        ),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AreaKind.values), name="area_kind_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="area_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = area_search_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name_kk", "name_ru", "name_en", "code"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def centre(self) -> str:
        return localized(self, "centre")

    @property
    def boundary_pending(self) -> bool:
        """No boundary of its own yet: a point in it resolves to `boundary_within`."""
        return self.boundary_within_id is not None


def area_search_key(area: Area) -> str:
    return search_key([area.name_kk, area.name_ru, area.name_en])


class AreaName(models.Model):
    """A name an area bore before a classifier edition renamed it (names are never overwritten
    without keeping the old ones here)."""

    # CASCADE: a former name is a fact about the area and means nothing without it.
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="former_names"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until (exclusive)"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("former name of an area")
        verbose_name_plural = _("former names of areas")
        ordering = ["area", "-valid_until"]

    def __str__(self) -> str:
        return f"{self.name_ru or self.name_kk} (→ {self.valid_until})"


class SeatLimit(models.Model):
    """The most deputies a maslikhat of a kind may have (the law's limit); operators change it."""

    kind = models.CharField(_("kind of body"), max_length=24, choices=OrganizationKind.choices, unique=True)
    max_seats = models.PositiveSmallIntegerField(_("most seats"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("seat limit")
        verbose_name_plural = _("seat limits")
        ordering = ["-max_seats"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in MASLIKHAT_KINDS]), name="seatlimit_kind_maslikhat"
            ),
            models.CheckConstraint(condition=Q(max_seats__gte=1), name="seatlimit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: ≤ {self.max_seats}"


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def current(self, on: date | None = None) -> OrganizationQuerySet:
        return self.filter(_in_force("founding_date", "dissolution_date", on))


class Organization(TimeStampedModel):
    """A body: a chamber, the national council, a maslikhat, its commission or apparatus, a party."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices, db_index=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    # PROTECT: a body with sub-bodies cannot vanish; dissolve it instead.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # PROTECT: the territory of a body is reference data that outlives it.
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    founding_date = models.DateField(_("founding date"))
    dissolution_date = models.DateField(_("dissolution date (exclusive)"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("number of seats"), null=True, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(dissolution_date__isnull=True)
                | Q(dissolution_date__gt=models.F("founding_date")),
                name="organization_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def in_force(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.founding_date <= day and (self.dissolution_date is None or day < self.dissolution_date)


class Person(TimeStampedModel):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sort_name = models.CharField(_("sort name"), max_length=200, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    photo = models.FileField(_("photo"), upload_to="people/", blank=True)
    biography_kk = models.TextField(_("short biography (Kazakh)"), blank=True)
    biography_ru = models.TextField(_("short biography (Russian)"), blank=True)
    biography_en = models.TextField(_("short biography (English)"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    # SET_NULL: deleting an account keeps the public record of the person.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def biography(self) -> str:
        return localized(self, "biography")


class Post(TimeStampedModel):
    """A seat or position in an organization, e.g. "deputy for constituency No. 5"."""

    # CASCADE: a post exists only inside its organization.
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="posts"
    )
    role = models.CharField(_("role"), max_length=24, choices=PostRole.choices)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=300)
    label_ru = models.CharField(_("label (Russian)"), max_length=300, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    # PROTECT: a constituency or region that a seat represents is kept while the seat exists.
    area = models.ForeignKey(
        Area,
        verbose_name=_("area represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date (exclusive)"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organization", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PostRole.values), name="post_role_valid"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="post_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        return self.filter(_in_force("start_date", "end_date", on))


class Membership(TimeStampedModel):
    # CASCADE: a membership is a fact about the person and means nothing without them.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    # CASCADE: likewise about the organization.
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="memberships"
    )
    # SET_NULL: if a post is removed the membership history stays.
    post = models.ForeignKey(
        Post,
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=24, choices=PostRole.choices)
    # PROTECT: a party that members were elected for is kept.
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name=_("party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_memberships",
    )
    election_method = models.CharField(
        _("how elected"), max_length=16, choices=ElectionMethod.choices, blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date (exclusive)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("synthetic demo data"), default=False, db_index=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["organization", "role"])]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PostRole.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(election_method__in=[*ElectionMethod.values, ""]), name="membership_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.organization}"

    def in_force(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


class DirectoryState(models.Model):
    """A single row: a counter bumped whenever any boundary changes, so look-up indexes rebuild."""

    boundaries_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("directory state")
        verbose_name_plural = _("directory state")

    def __str__(self) -> str:
        return f"boundaries v{self.boundaries_version}"
