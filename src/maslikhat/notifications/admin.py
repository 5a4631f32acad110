"""Back office for follows: admins only, read-only (citizens manage their own follows)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DigestDelivery, Follow


class AdminReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(AdminReadOnly):
    list_display = ("user", "kind", "frequency", "active", "created_at")
    list_filter = ("kind", "frequency", "active")
    list_select_related = ("user",)
    exclude = ("token_nonce",)
    raw_id_fields = ("user", "area", "body", "tag", "deputy")


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(AdminReadOnly):
    list_display = ("follow", "period_key", "sent_at", "news_count", "decisions_count", "appeals_count")
    list_filter = ("period_key",)
    list_select_related = ("follow",)
