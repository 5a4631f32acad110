"""The back-office inbox: staff see their body's appeals, deputies those addressed or assigned
to them; sorted by due date with the working days left; workflow actions call the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maslikhat.core.actors import acting_user
from maslikhat.core.errors import DomainError

from . import permissions, selectors, services
from .models import Appeal, AppealEvent, Topic


class DueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("overdue", _("overdue")),
            ("3", _("due within 3 working days")),
            ("5", _("due within 5 working days")),
            ("10", _("due within 10 working days")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
        value = self.value()
        if value == "overdue":
            return selectors.due_filter(queryset, overdue=True)
        if value and value.isdigit():
            return selectors.due_filter(queryset, due_within=int(value))
        return queryset


class AppealEventInline(admin.TabularInline):
    model = AppealEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "public", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = (
        "registration_number",
        "registered_on",
        "due_on",
        "days_left",
        "status",
        "kind",
        "topic",
        "body",
        "deputy",
        "assignee",
    )
    list_filter = ("status", "kind", "topic", DueFilter, "registered_on")
    search_fields = ("registration_number", "text")
    ordering = ("due_on", "id")
    list_select_related = ("body", "topic", "deputy", "assignee")
    list_per_page = 50
    inlines = [AppealEventInline]
    actions = ["assign_to_me"]
    readonly_fields = [f.name for f in Appeal._meta.fields if f.name not in ("answer_text",)]
    exclude = ("token_hash",)

    @admin.display(description=_("working days left"))
    def days_left(self, obj: Appeal) -> str:
        left = selectors.working_days_left(obj)
        return "—" if left is None else str(left)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appeal]:
        return selectors.inbox(user=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_inbox(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return permissions.can_use_inbox(request.user)
        return permissions.can_view_appeal(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Changes happen only through the workflow actions (services), never by editing fields.
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Assign the selected appeals to me"))
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        done = 0
        for appeal in queryset:
            # the page and the API ask the same question; the service checks the assignee
            if not permissions.can_manage_appeal(request.user, appeal):
                continue
            try:
                services.appeal_assign(actor=acting_user(request), appeal=appeal, assignee=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{appeal}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)d appeals assigned.") % {"n": done}, messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "position", "is_active")
    list_editable = ("position", "is_active")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
