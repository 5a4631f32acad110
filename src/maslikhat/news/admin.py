"""Back office for news: staff see their own body's publications (admins all) and publish or
withdraw them through the services; writing happens in the newsroom pages (news:newsroom)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maslikhat.core.errors import DomainError

from . import permissions, selectors, services
from .models import Publication, PublicationEvent, Tag


class PublicationEventInline(admin.TabularInline):
    model = PublicationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "data")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "body", "status", "published_on", "is_demo")
    list_filter = ("status", "tags", "is_demo")
    search_fields = ("title_kk", "title_ru", "title_en")
    list_select_related = ("body",)
    date_hierarchy = "published_on"
    inlines = [PublicationEventInline]
    actions = ["publish_selected", "withdraw_selected"]
    readonly_fields = [f.name for f in Publication._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Publication]:
        return selectors.newsroom(user=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_newsroom(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return permissions.can_use_newsroom(request.user)
        return permissions.can_edit_publication(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Changes go through the newsroom pages and the actions below (the services), never fields.
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _run(self, request: HttpRequest, queryset: QuerySet[Publication], service: Any) -> None:
        done = 0
        for publication in queryset:
            if not permissions.can_edit_publication(request.user, publication):
                continue
            try:
                service(actor=request.user, publication=publication)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{publication}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)d publications changed.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected publications"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        self._run(request, queryset, services.publication_publish)

    @admin.action(description=_("Withdraw the selected publications"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        self._run(request, queryset, services.publication_withdraw)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "position")
    list_editable = ("position",)
    search_fields = ("code", "name_kk", "name_ru", "name_en")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
