"""Bench-only WSGI entry point: the product's application, plus GET /bench-hello.

/bench-hello is the reference ceiling of bench/http: a bare Django view behind the product's full
middleware stack (request id, sessions, locale, CSRF, auth...), served by the same gunicorn
workers. It is routed through this module's own URLconf (set on the request), never through the
product's: `gunicorn bench.http.wsgi:application` exists only for the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path

from maslikhat.config.wsgi import application as maslikhat_application

HELLO_PATH = "/bench-hello"


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path(HELLO_PATH.lstrip("/"), hello)]


class _HelloHandler(WSGIHandler):
    """Django's handler with this module as the request's URLconf (middleware unchanged)."""

    def get_response(self, request: HttpRequest) -> Any:
        request.urlconf = __name__  # type: ignore[attr-defined]
        return super().get_response(request)


_hello_application = _HelloHandler()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == HELLO_PATH:
        return _hello_application(environ, start_response)
    return maslikhat_application(environ, start_response)
