"""Back office for the directory. Admins see everything; staff and chairs edit their own body
(and its commissions and apparatus); deputies see their body read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import permissions
from .choices import OrganizationKind
from .models import Area, AreaName, Membership, Organization, Person, Post, SeatLimit


def _visible_org_q(request: HttpRequest, prefix: str = "") -> Q:
    ids = permissions.managed_body_ids(request.user) | permissions.deputy_body_ids(request.user)
    return Q(**{f"{prefix}id__in": ids}) | Q(**{f"{prefix}parent_id__in": ids})


def organization_links(model: type[Model]) -> list[tuple[str, tuple[str, ...]]]:
    """The model's links to an Organization: (field, ()) for a foreign key to Organization and
    (field, (its org fields...)) for a foreign key to a model that has such keys (a Post's
    organization, an Area's body)."""
    links: list[tuple[str, tuple[str, ...]]] = []
    for field in model._meta.get_fields():
        if not isinstance(field, ForeignKey):
            continue
        related = field.related_model
        if related is Organization:
            links.append((field.name, ()))
            continue
        via = tuple(
            f.name
            for f in related._meta.get_fields()  # type: ignore[union-attr]
            if isinstance(f, ForeignKey) and f.related_model is Organization
        )
        if via:
            links.append((field.name, via))
    return links


def _targets(obj: Any, field: str, via: tuple[str, ...]) -> list[Organization]:
    value = getattr(obj, field, None)
    if value is None:
        return []
    if not via:
        return [value]
    return [org for name in via if (org := getattr(value, name, None)) is not None]


class OwnBodyAdmin(admin.ModelAdmin):
    """Restricts a model's rows to those of the user's own body; `org_path` leads to it.

    Every link of a created or changed row to an organization (directly or through a Post or an
    Area) must point at an organization the user may manage (`can_manage_organization`): the form
    offers only those, and `save_model` refuses any other. `reference_fields` name links that
    are references, not scope (a deputy's party), with their own queryset."""

    org_path = ""
    reference_fields: tuple[str, ...] = ()

    def _org_of(self, obj: Any) -> Organization | None:
        target = obj
        for part in filter(None, self.org_path.split("__")):
            target = getattr(target, part)
        return target

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        prefix = f"{self.org_path}__" if self.org_path else ""
        return qs.filter(_visible_org_q(request, prefix)).distinct()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_access_backoffice(request.user) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_access_backoffice(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return bool(permissions.managed_body_ids(request.user))
        org = self._org_of(obj)
        return org is not None and permissions.can_manage_organization(request.user, org)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(permissions.managed_body_ids(request.user))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            manageable = permissions.manageable_organizations_q(request.user)
            links = dict(organization_links(self.model))
            if db_field.name in self.reference_fields:
                pass  # the subclass sets the queryset of a reference
            elif db_field.name in links and not links[db_field.name]:
                kwargs["queryset"] = Organization.objects.filter(manageable)
            elif db_field.name in links:
                related = db_field.related_model
                rows = related._default_manager.all()
                for name in links[db_field.name]:
                    ok = Organization.objects.filter(manageable).values("pk")
                    rows = rows.filter(Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__in": ok}))
                kwargs["queryset"] = rows
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def out_of_scope_links(self, request: HttpRequest, obj: Any) -> list[str]:
        """The links of `obj` (new, or changed from the stored row) to organizations the user may
        not manage."""
        if request.user.is_superuser:
            return []
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
        bad = []
        for field, via in organization_links(type(obj)):
            if field in self.reference_fields:
                continue
            attname = type(obj)._meta.get_field(field).attname
            if stored is not None and getattr(stored, attname) == getattr(obj, attname):
                continue
            targets = _targets(obj, field, via)
            if any(not permissions.can_manage_organization(request.user, org) for org in targets):
                bad.append(field)
        return bad

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form's querysets already offer only manageable organizations; this is the check
        # of last resort for any other way a row reaches here (changeform_view is atomic).
        if self.out_of_scope_links(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class BoundaryPendingFilter(admin.SimpleListFilter):
    title = _("boundary")
    parameter_name = "boundary_pending"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("pending (drawn inside another unit)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(boundary_within__isnull=False)
        return queryset


class AreaNameInline(admin.TabularInline):
    model = AreaName
    extra = 0
    fields = ("name_kk", "name_ru", "name_en", "valid_until", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "kind", "parent", "needs_review", "is_demo")
    # Operators find what the sources left unverified, and the units still without a boundary.
    list_filter = ("needs_review", BoundaryPendingFilter, "kind", "is_demo")
    search_fields = ("code", "kato_code", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("parent", "body", "boundary_within")
    exclude = ("boundary", "boundary_web")
    inlines = (AreaNameInline,)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_access_backoffice(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_access_backoffice(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Boundaries and the territorial classifier come from imports; only admins edit areas.
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(SeatLimit)
class SeatLimitAdmin(admin.ModelAdmin):
    """The most seats per kind of maslikhat: data the law sets and an admin keeps current."""

    list_display = ("kind", "max_seats", "source")
    list_editable = ("max_seats",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_access_backoffice(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_access_backoffice(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Organization)
class OrganizationAdmin(OwnBodyAdmin):
    org_path = ""
    list_display = ("name_kk", "name_ru", "kind", "area", "founding_date", "dissolution_date", "is_demo")
    list_filter = ("kind", "area__needs_review", "is_demo")
    search_fields = ("slug", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("area",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Where a body sits in the directory (its parent, kind and area) is the admins' to change.
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "parent", "kind", "area")


@admin.register(Post)
class PostAdmin(OwnBodyAdmin):
    org_path = "organization"
    list_display = ("label_kk", "label_ru", "role", "organization", "start_date", "end_date")
    list_filter = ("role",)
    search_fields = ("label_kk", "label_ru", "label_en")
    raw_id_fields = ("area",)


@admin.register(Membership)
class MembershipAdmin(OwnBodyAdmin):
    org_path = "organization"
    list_display = ("person", "role", "organization", "on_behalf_of", "start_date", "end_date", "is_demo")
    list_filter = ("role", "election_method", "is_demo")
    search_fields = ("person__name_kk", "person__name_ru", "person__name_en")
    raw_id_fields = ("person", "post")
    list_select_related = ("person", "organization", "on_behalf_of")
    # The party a deputy was elected for is a reference, not a body the user runs.
    reference_fields = ("on_behalf_of",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "on_behalf_of" and not request.user.is_superuser:
            kwargs["queryset"] = Organization.objects.filter(kind=OrganizationKind.PARTY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name_kk", "name_ru", "name_en", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("name_kk", "name_ru", "name_en")
    raw_id_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(_visible_org_q(request, "memberships__organization__")).distinct()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_access_backoffice(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_access_backoffice(request.user) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        if not permissions.managed_body_ids(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(permissions.managed_body_ids(request.user))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
