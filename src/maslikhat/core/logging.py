"""Structured logs: the request id on every line, JSON lines in production.

The request id comes from the `X-Request-ID` header of a trusted proxy (validated) or is made
here; it is returned in the response header so a citizen's "error reference" can be found.
Nothing personal is logged: no query strings, no form data, no names; users by id only.

Both formatters enforce the "no query string" rule on whatever a library logs: Django's
`django.request` logger passes the request itself in `extra`, and its repr holds the full path
with the query (``?iin=...``); it is written as method and path only, and a query string is
cut from every message, extra value and traceback. The text formatter also escapes control
characters (CR, LF, ESC, ...) in the message, so a hostile path cannot forge a log line or
drive a terminal; the traceback lines it appends are indented under their record.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


# A query string after a path or URL ("/x?iin=1", "https://h/x?a=b"): up to white space or a quote.
_QUERY = re.compile(r"(/[^\s?#'\"<>]*)\?[^\s#'\"<>]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def strip_query(text: str) -> str:
    """The text with every query string after a path cut off ("/x?iin=1" → "/x")."""
    return _QUERY.sub(r"\1", text)


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Control characters (and Unicode line separators) as visible escapes: "\\n", "\\x1b"."""

    def escaped(m: re.Match[str]) -> str:
        ch = m.group()
        if ch == "\n" and keep_newlines:
            return ch
        if ch in _NAMED:
            return _NAMED[ch]
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"

    return _CONTROL.sub(escaped, text)


def _request_text(request: Any) -> str:
    """A request as method and path, never its query string."""
    return f"{getattr(request, 'method', '')} {getattr(request, 'path', '')}".strip()


def _extra(key: str, value: Any) -> Any:
    if key == "request":
        return _request_text(value)
    if isinstance(value, str):
        return strip_query(value)
    if isinstance(value, int | float | bool | type(None)):
        return value
    return strip_query(str(value))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": strip_query(record.getMessage()),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = _extra(key, value)
        if record.exc_info:
            out["exception"] = strip_query(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Plain-text lines (the `fmt` of the LOGGING dict): the message without query strings and
    with control characters escaped; a traceback follows, each of its lines indented."""

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(vars(record))  # a copy: other handlers see the original
        safe.msg = escape_controls(strip_query(record.getMessage()))
        safe.args = None
        safe.exc_text = None  # never another formatter's (unsanitised) cached text
        if not hasattr(safe, "request_id"):  # a handler without the filter
            safe.request_id = request_id_var.get()
        return super().format(safe)

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return self._indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        return self._indented(super().formatStack(stack_info))

    @staticmethod
    def _indented(text: str) -> str:
        lines = escape_controls(strip_query(text), keep_newlines=True).split("\n")
        return "\n".join("    " + line for line in lines)
