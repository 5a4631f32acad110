"""Back office for the directory. Admins see everything; staff and chairs edit their own body
(and its commissions and apparatus); deputies see their body read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from . import permissions
from .models import Area, Membership, Organization, Person, Post


def _visible_org_q(request: HttpRequest, prefix: str = "") -> Q:
    ids = permissions.managed_body_ids(request.user) | permissions.deputy_body_ids(request.user)
    return Q(**{f"{prefix}id__in": ids}) | Q(**{f"{prefix}parent_id__in": ids})


class OwnBodyAdmin(admin.ModelAdmin):
    """Restricts a model's rows to those of the user's own body; `org_path` leads to it."""

    org_path = ""

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
        if (
            not request.user.is_superuser
            and db_field.related_model is Organization
            and db_field.name != "on_behalf_of"
        ):
            ids = permissions.managed_body_ids(request.user)
            kwargs["queryset"] = Organization.objects.filter(Q(id__in=ids) | Q(parent_id__in=ids))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "kind", "parent", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("code", "kato_code", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("parent", "body")
    exclude = ("boundary", "boundary_web")

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


@admin.register(Organization)
class OrganizationAdmin(OwnBodyAdmin):
    org_path = ""
    list_display = ("name_kk", "name_ru", "kind", "area", "founding_date", "dissolution_date", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("slug", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("area",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


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
