"""Every API error is JSON with a stable `code` and a translated `message`; no input gives a 500.

Shapes:
  {"code": "not_found", "message": "..."}                       (404 and every other error)
  {"code": "payload_too_large", "message": "..."}               (413: core.request_limits)
  {"code": "validation_error", "message": "...",
   "errors": [{"field": "lat", "code": "less_than_equal", "message": "..."}]}   (422)

Domain errors: an endpoint does not catch `maslikhat.core.errors.DomainError`; it raises it (or
lets the service's propagate) and the one handler installed here answers:
  FieldErrors  -> 422 {"code": "validation_error", "message": "Some fields are not valid.",
                       "errors": [{"field", "code", "message"}, ...]}   (the service's fields)
  NotAllowed   -> 409 {"code", "message"}
  any other    -> its `status` (400 unless the class sets one), {"code", "message"}
A DomainError's `field` is added as "field", its `data` keyword arguments as extra keys, and a
`retry_after` among them also sets the Retry-After header. The service has rolled its
transaction back before the handler runs: the answer reports an error and nothing was saved.
`ApiError(status, code, message, **extra)` remains for errors of the adapter itself (an
unknown id in the path, a caller without a token).

Field-level codes are pydantic's error types ("missing", "less_than_equal", "date_from_datetime_parsing",
...), which are stable; their messages are ours, translated. Where Django already ships a message
with the same meaning, its msgid is reused so the translation exists in Django's own catalogues too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import BaseModel

from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors
from maslikhat.core.middleware import RETRY_AFTER_SECONDS
from maslikhat.core.request_limits import PAYLOAD_TOO_LARGE, payload_too_large_message
from maslikhat.core.text import INVALID_CHARACTERS
from maslikhat.core.text import MESSAGES as TEXT_MESSAGES

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """Raised by an endpoint to answer with an error: a status, a stable code, a translated message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


class ErrorOut(BaseModel):
    code: str
    message: str


class FieldErrorOut(BaseModel):
    field: str
    code: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


def error_response(status: int, code: str, message: Any, **extra: Any) -> JsonResponse:
    response = JsonResponse({"code": str(code), "message": str(message), **extra}, status=status)
    if "retry_after" in extra:
        response["Retry-After"] = str(extra["retry_after"])
    return response


def not_found_response() -> JsonResponse:
    return error_response(404, ErrorCode.NOT_FOUND, _("Not found."))


def domain_error_response(exc: DomainError) -> JsonResponse:
    """The JSON answer to a refusal of the domain (see the module docstring)."""
    if isinstance(exc, FieldErrors):
        return error_response(
            422,
            ErrorCode.VALIDATION_ERROR,
            _("Some fields are not valid."),
            errors=[{"field": f, "code": c, "message": str(m)} for f, c, m in exc.errors],
        )
    extra: dict[str, Any] = {"field": exc.field} if exc.field else {}
    return error_response(exc.status, exc.code, exc.message, **extra, **exc.data)


# ------------------------------------------------------------------ field-level messages


def _limit(ctx: dict[str, Any], *keys: str) -> dict[str, Any]:
    value = next((ctx[k] for k in keys if k in ctx), "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # "90", not "90.0"
    return {"limit_value": value}


def _field_message(error: dict[str, Any]) -> str:
    """Our translated message for one pydantic error (its `type` stays as the stable code)."""
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("float_parsing", "float_type", "finite_number"):
        return _("Enter a number.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % _limit(ctx, "ge", "gt")
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is less than or equal to %(limit_value)s.") % _limit(ctx, "le", "lt")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date.")
    if kind in TEXT_MESSAGES:
        # Refused by core.text.clean_text: NUL, lone surrogates, only invisible characters.
        return str(TEXT_MESSAGES[kind])
    if kind == "string_unicode":
        # pydantic's own refusal of a lone surrogate (before any type check): the same meaning.
        return str(TEXT_MESSAGES[INVALID_CHARACTERS])
    if kind in ("string_too_long", "too_long"):
        return _("Ensure this value has at most %(limit_value)s characters.") % _limit(ctx, "max_length")
    if kind == "string_pattern_mismatch":
        return _("Null characters are not allowed.")
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "json_invalid":
        return _("Enter a valid JSON.")
    if kind == "value_error" and ctx.get("error"):
        # A validator of ours raised ValueError with an already translated message.
        return str(ctx["error"])
    return _("Enter a valid value.")


_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")
_CONTAINERS = ("payload", "filters")


def _field_name(loc: list[Any]) -> str:
    """The field as the client named it: without the source ("query", "body") and the name of
    the endpoint's schema argument, which lead the location (a query parameter may itself be
    called "body")."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _CONTAINERS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "field": _field_name(list(e.get("loc", []))),
            "code": str(e.get("type", "invalid")),
            "message": _field_message(e),
        }
        for e in errors
    ]


# ------------------------------------------------------------------ HTTP errors raised by ninja

_HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: PAYLOAD_TOO_LARGE,
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _http_message(status: int) -> str:
    messages = {
        400: _("The request could not be read."),
        401: _("A valid bearer token is required."),
        403: _("Forbidden"),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: payload_too_large_message(),
        429: _("Too many attempts. Try again later."),
    }
    return messages.get(status, _("The request could not be processed."))


def method_not_allowed_response(allowed: list[str]) -> JsonResponse:
    response = error_response(405, "method_not_allowed", _http_message(405))
    response["Allow"] = ", ".join(sorted(allowed))
    return response


def json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a ninja path view so its bare-text 405 becomes our JSON error (with the Allow header)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            return method_not_allowed_response(allowed)
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    wrapped.__name__ = getattr(view, "__name__", "ninja_view")
    wrapped.__doc__ = getattr(view, "__doc__", None)
    return wrapped


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under the API that names no endpoint."""
    return not_found_response()


not_found_view.csrf_exempt = True  # type: ignore[attr-defined]


# ------------------------------------------------------------------ handlers


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, **exc.extra)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return domain_error_response(exc)

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(
            422, "validation_error", _("Some fields are not valid."), errors=field_errors(exc.errors)
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return not_found_response()

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, "forbidden", _http_message(403))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, "unauthorized", _http_message(401))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Normally answered before the view by core.request_limits; this covers a body read later.
        return error_response(413, PAYLOAD_TOO_LARGE, payload_too_large_message())

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
        return error_response(400, "bad_request", _http_message(400))

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
        return error_response(400, "bad_request", _http_message(400))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        return error_response(status, _HTTP_CODES.get(status, "http_error"), _http_message(status))

    def _db_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database connection was lost (a restart, a failover): nothing was committed for
        # this request. A clean, retryable 503, like the pages' (core.middleware).
        logger.error("database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__)
        response = error_response(
            503,
            "service_unavailable",
            _("The service is briefly unavailable. Nothing was saved; please try again in a minute."),
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(OperationalError)
    def db_operational(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        return _db_unavailable(request, exc)

    @api.exception_handler(InterfaceError)
    def db_interface(request: HttpRequest, exc: InterfaceError) -> HttpResponse:
        return _db_unavailable(request, exc)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The last resort: no input is meant to get here. Log it (path only: query strings and
        # bodies may carry personal data) and answer in the same JSON shape.
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", _("Something went wrong on our side."))
