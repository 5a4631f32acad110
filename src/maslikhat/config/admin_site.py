"""The back office: Django's admin, open to staff and deputies for their own body only."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
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

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The site's one login (allauth's, with its second-factor stage and its limits), not the
        admin's own password-only form."""
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(target)
            raise PermissionDenied  # logged in, but the back office is not for this account
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")

    def logout(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        """Logging out of the back office revokes the API tokens issued from this session, as the
        site's logout does (core.accounts.AccountAdapter.logout)."""
        from maslikhat.core.tokens import api_tokens_revoke_for_session

        if request.method == "POST" and request.user.is_authenticated:
            api_tokens_revoke_for_session(user=request.user, session_key=request.session.session_key)
        return super().logout(request, extra_context)


class MaslikhatAdminConfig(AdminConfig):
    default_site = "maslikhat.config.admin_site.MaslikhatAdminSite"
