"""The error log never holds a query string (the request's repr included), and a text log line
cannot be forged with control characters in a path."""

from __future__ import annotations

import json
import logging
import logging.config
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from maslikhat.core.logging import escape_controls, strip_query

IIN = "850315300125"
SECRET = "tok-5ecret"


def boom(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"cannot serve {request.get_full_path()}\nFORGED 2026-01-01 ERROR root [-] ok")


urlpatterns = [path("boom/", boom)]


def _formatter(name: str) -> logging.Formatter:
    """The formatter exactly as the LOGGING setting builds it."""
    config: dict[str, Any] = settings.LOGGING
    formatter: logging.Formatter = logging.config.DictConfigurator(config).configure_formatter(
        dict(config["formatters"][name])
    )
    return formatter


def _server_error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/boom/?iin={IIN}&token={SECRET}")
    assert response.status_code == 500
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert f"iin={IIN}" in repr(records[0].__dict__["request"])  # what Django passes in `extra`
    return records


@pytest.mark.urls(__name__)
def test_json_error_log_of_a_500_has_no_query_string(db: Any, caplog: pytest.LogCaptureFixture) -> None:
    # given a view that fails on a request whose query holds an IIN and a token
    (record,) = _server_error_records(caplog)
    # when Django's error line is formatted as JSON
    line = _formatter("json").format(record)
    # then neither the message, the request extra nor the traceback holds the query
    assert IIN not in line and SECRET not in line and "?iin" not in line
    out = json.loads(line)
    assert out["message"] == "Internal Server Error: /boom/"
    assert out["request"] == "GET /boom/"
    assert out["status_code"] == 500
    assert "ValueError: cannot serve /boom/" in out["exception"]


@pytest.mark.urls(__name__)
def test_text_error_log_of_a_500_has_no_query_string_and_no_forged_line(
    db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    (record,) = _server_error_records(caplog)
    text = _formatter("text").format(record)
    assert IIN not in text and SECRET not in text and "?iin" not in text
    lines = text.split("\n")
    # the record is its first line; every traceback line is indented under it
    assert lines[0].endswith("ERROR django.request [-] Internal Server Error: /boom/") or (
        " ERROR django.request [" in lines[0] and lines[0].endswith("] Internal Server Error: /boom/")
    )
    assert all(line.startswith("    ") for line in lines[1:])
    assert "    FORGED 2026-01-01 ERROR root [-] ok" in lines


def test_text_log_escapes_control_characters_in_a_path(db: Any, caplog: pytest.LogCaptureFixture) -> None:
    # given a request whose path holds CR, LF and an ANSI escape (percent-encoded on the wire)
    with caplog.at_level(logging.INFO, logger="maslikhat.access"):
        response = Client().get("/en/no-such-page%0D%0A2026-01-01 INFO forged%1B[2J/?iin=" + IIN)
    assert response.status_code == 404
    (record,) = [r for r in caplog.records if r.name == "maslikhat.access"]
    assert "\n" in record.getMessage()  # the raw path really holds the line break
    # when the access line is formatted as text, then it stays one line, controls made visible
    text = _formatter("text").format(record)
    assert "\n" not in text and "\r" not in text and "\x1b" not in text
    assert "/en/no-such-page\\r\\n2026-01-01 INFO forged\\x1b[2J/ 404" in text
    assert IIN not in text
    # and as JSON the path is one escaped string
    assert "\n" not in _formatter("json").format(record)


def test_a_logger_cannot_forge_a_text_line_with_its_arguments() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "bad input %s", ("a\nb\x1bc\u2028d",), None)
    text = _formatter("text").format(record)
    assert text.endswith("bad input a\\nb\\x1bc\\u2028d")
    assert record.getMessage() == "bad input a\nb\x1bc\u2028d"  # the original record is untouched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /en/find/?iin=850315300125 200", "GET /en/find/ 200"),
        ("<WSGIRequest: GET '/en/?iin=1&x=2'>", "<WSGIRequest: GET '/en/'>"),
        ("see https://example.org/a/b?token=x#top.", "see https://example.org/a/b#top."),
        ("is it done? yes", "is it done? yes"),
        ("no query /en/news/", "no query /en/news/"),
    ],
)
def test_strip_query(text: str, expected: str) -> None:
    assert strip_query(text) == expected


def test_escape_controls_keeps_newlines_only_when_asked() -> None:
    assert escape_controls("a\r\n\tb\x00\x7f\x9b") == "a\\r\\n\\tb\\x00\\x7f\\x9b"
    assert escape_controls("a\nb\rc", keep_newlines=True) == "a\nb\\rc"
    assert escape_controls("Қазақ тілі — русский") == "Қазақ тілі — русский"
