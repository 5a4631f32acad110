from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import ActionLog, CalendarOverride, User
from .tokens import RevokeReason, api_tokens_revoke_for_user


@admin.register(User)
class MaslikhatUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_staff", "is_demo")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Maslikhat"), {"fields": ("preferred_language", "is_demo")}),
    )

    # The account's API tokens go with its password and its activity (core.tokens): revoked here,
    # where the back office changes them, in the same transaction.

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            api_tokens_revoke_for_user(actor=request.user, user=obj, reason=RevokeReason.DEACTIVATED)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                if user is not None:
                    api_tokens_revoke_for_user(
                        actor=request.user, user=user, reason=RevokeReason.PASSWORD_CHANGED
                    )
        return response


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
