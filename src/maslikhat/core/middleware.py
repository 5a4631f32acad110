"""Request-wide concerns: request ids and the access log, a clean 503 when the database is
unreachable, and the second factor required of staff."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .logging import request_id_var
from .second_factor import is_staff_page, second_factor_missing

access_log = logging.getLogger("maslikhat.access")
logger = logging.getLogger(__name__)
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
RETRY_AFTER_SECONDS = 5


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,  # no query string: it may hold personal data
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class DatabaseUnavailableMiddleware:
    """A lost database connection answers 503 with Retry-After (JSON under /api/), not a 500.
    Nothing was committed for such a request: the transaction could not complete."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        message = _("The service is briefly unavailable. Nothing was saved; please try again in a minute.")
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "service_unavailable", "message": message}, status=503)
        else:
            response = render(request, "web/unavailable.html", {"message": message}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class StaffSecondFactorMiddleware:
    """No path around the second factor (when STAFF_SECOND_FACTOR_REQUIRED): an account that must
    use one (`second_factor.needs_second_factor`: roles from memberships) and has none set up is
    sent to set it up before any staff page (`second_factor.is_staff_page`: the URL names in
    settings.STAFF_PAGES); under /api/ its session counts for nothing (a bearer token is checked
    on its own, see core.tokens)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            user: Any = getattr(request, "user", None)
            if user is not None and user.is_authenticated and second_factor_missing(user):
                request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_staff_page(request.resolver_match):
            return None
        if second_factor_missing(user):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return None
