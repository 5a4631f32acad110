"""Requests refused before any view runs: too large (413), unreadable (400), or carrying a NUL
character in a page's query or form fields (400). JSON with a stable code under /api/, a
translated page elsewhere; never Django's bare 400 for RequestDataTooBig, never a 500.

Limits:
- the whole body: `REQUEST_BODY_MAX_BYTES` (default `DEFAULT_BODY_MAX_BYTES`), checked against
  Content-Length before anything is read; it allows an appeal's 5 attachments of 10 MB with its
  fields (core.uploads);
- the part of a body that is not files (a JSON body, urlencoded fields, the text fields of a
  multipart form): Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`. The body is parsed here, so that
  Django's RequestDataTooBig is raised (and answered 413) here rather than later as a 400.

NUL on pages: views that read request.GET/request.POST themselves would pass it to PostgreSQL,
which refuses it in text (a 500). A browser never sends one from a typed field, so the whole
request is refused with a page that says so. The API is not checked here: its typed parameters
answer 422 with the field (api.schemas, core.text).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

PAYLOAD_TOO_LARGE = "payload_too_large"
BAD_REQUEST = "bad_request"
NULL_CHARACTERS = "null_characters"

MB = 1024 * 1024
# 5 attachments of 10 MB (core.uploads), 2.5 MB of fields (Django's default
# DATA_UPLOAD_MAX_MEMORY_SIZE) and room for the multipart headers.
DEFAULT_BODY_MAX_BYTES = 5 * 10 * MB + 4 * MB

_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def body_max_bytes() -> int:
    return int(getattr(settings, "REQUEST_BODY_MAX_BYTES", DEFAULT_BODY_MAX_BYTES))


def payload_too_large_message() -> str:
    return _("The request is too large: at most %(mb)d MB in all, files included.") % {
        "mb": body_max_bytes() // MB
    }


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except (TypeError, ValueError):
        return 0  # as Django reads it: no body


def refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message}, status=status)
    title = _("The request is too large") if status == 413 else _("The request was refused")
    return render(request, "web/request_refused.html", {"title": title, "message": message}, status=status)


def _has_nul(request: HttpRequest) -> bool:
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
                return True
    return False


def check_request(request: HttpRequest) -> HttpResponse | None:
    """The refusal for this request, or None to let it through."""
    length = _content_length(request)
    if length > body_max_bytes():
        return refusal(request, 413, PAYLOAD_TOO_LARGE, payload_too_large_message())
    if request.method in _BODY_METHODS and length:
        try:
            # The API reads JSON only (ninja reads request.body: parsing the stream as a form
            # here would leave it nothing to read); pages read forms.
            api = request.path.startswith("/api/")
            if not api and request.method == "POST" and request.content_type in _FORM_TYPES:
                request.POST  # noqa: B018  (parsed now: files stream to disk, fields are limited)
            else:
                request.body  # noqa: B018
        except RequestDataTooBig:
            return refusal(request, 413, PAYLOAD_TOO_LARGE, payload_too_large_message())
        except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError, UnreadablePostError):
            return refusal(request, 400, BAD_REQUEST, _("The request could not be read."))
    if not request.path.startswith("/api/") and _has_nul(request):
        return refusal(request, 400, NULL_CHARACTERS, _("Null characters are not allowed."))
    return None


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = check_request(request)
        return refused if refused is not None else self.get_response(request)
