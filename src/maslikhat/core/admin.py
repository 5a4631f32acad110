from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ActionLog, CalendarOverride, User


@admin.register(User)
class MaslikhatUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_staff", "is_demo")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Maslikhat"), {"fields": ("preferred_language", "is_demo")}),
    )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "event", "target_repr", "visibility")
    list_filter = ("visibility", "event")
    search_fields = ("event", "target_repr")
    readonly_fields = [f.name for f in ActionLog._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
