"""Back-office lists of the council's records for its staff and admins. Read-only: every change
goes through the council's work pages, which call the services (events, audit log, emails)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import permissions
from .models import Meeting, Proposal, Recommendation, RecommendationReport


class CouncilReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_manage_council(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_manage_council(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(CouncilReadOnlyAdmin):
    list_display = ("held_on", "title", "kind", "status", "council", "is_demo")
    list_filter = ("status", "kind", "council", "is_demo")
    list_select_related = ("council",)
    date_hierarchy = "held_on"


@admin.register(Proposal)
class ProposalAdmin(CouncilReadOnlyAdmin):
    list_display = ("submitted_on", "title", "body", "status", "policy_area", "is_demo")
    list_filter = ("status", "policy_area", "is_demo")
    list_select_related = ("body",)
    search_fields = ("title",)


class ReportInline(admin.TabularInline):
    model = RecommendationReport
    extra = 0
    fields = ("body", "status", "filed_on", "on_time")
    readonly_fields = fields
    can_delete = False


@admin.register(Recommendation)
class RecommendationAdmin(CouncilReadOnlyAdmin):
    list_display = ("adopted_on", "number", "title", "due_on", "council", "is_demo")
    list_filter = ("council", "is_demo")
    list_select_related = ("council",)
    inlines = [ReportInline]
