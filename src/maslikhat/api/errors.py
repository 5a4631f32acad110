"""Every API error is JSON with a stable `code` and a translated `message`; nothing is a 500."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)


def _field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "field": _field(list(e.get("loc", []))),
                "code": str(e.get("type", "invalid")),
                "message": str(e.get("msg", "")),
            }
            for e in exc.errors
        ]
        return api.create_response(
            request,
            {"code": "validation_error", "message": _("Some fields are not valid."), "errors": errors},
            status=422,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"code": "not_found", "message": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"code": "unauthorized", "message": _("A valid bearer token is required.")}, status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error on %s", request.path)
        return api.create_response(
            request, {"code": "internal_error", "message": _("Something went wrong on our side.")}, status=500
        )
