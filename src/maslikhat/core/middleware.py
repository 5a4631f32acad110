"""Request-wide concerns: request ids and the access log, a clean 503 when the database is
unreachable, and the second factor required of staff."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .logging import request_id_var

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


STAFF_PREFIXES = ("/admin/", "/inbox/", "/council/meetings/new/", "/news/newsroom/")


def _needs_second_factor(request: HttpRequest) -> bool:
    path = request.path
    # strip the language prefix (/kk/, /ru/, /en/)
    if len(path) > 4 and path[3] == "/" and path[1:3] in ("kk", "ru", "en"):
        path = path[3:]
    return path.startswith(STAFF_PREFIXES)


class StaffSecondFactorMiddleware:
    """Staff accounts must have TOTP before they use the back office, the inbox or the
    newsroom (when STAFF_SECOND_FACTOR_REQUIRED): they are sent to set it up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STAFF_SECOND_FACTOR_REQUIRED and _needs_second_factor(request):
            user: Any = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff and not has_totp(user):
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
