"""The back office: Django's admin, open to staff and deputies for their own body only."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class MaslikhatAdminSite(admin.AdminSite):
    site_header = _("Maslikhat back office")
    site_title = _("Maslikhat back office")
    index_title = _("Back office")

    def has_permission(self, request: HttpRequest) -> bool:
        from maslikhat.directory.permissions import can_access_backoffice

        return can_access_backoffice(request.user)

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        return super().each_context(request)


class MaslikhatAdminConfig(AdminConfig):
    default_site = "maslikhat.core.admin_site.MaslikhatAdminSite"
