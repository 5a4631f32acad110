"""The one DomainError handler of the API (api/errors.py): a service's refusal becomes JSON in
the shapes the endpoints always answered, without any endpoint catching it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from maslikhat.api import errors
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors, NotAllowed

API_DIR = Path(errors.__file__).parent
# The API modules of the appeals side (council, directory and scorecard have their own owners).
ADAPTERS = ("appeals.py", "inbox.py", "auth.py", "news.py", "calendar.py")


def _client() -> TestClient:
    router = Router()

    @router.get("/fields")
    def fields(request):
        raise FieldErrors(
            [("text", "required", gettext_lazy("Write the note.")), ("kind", "invalid_choice", "x")]
        )

    @router.get("/state")
    def state(request):
        raise NotAllowed("not_open", "Only an open appeal.")

    @router.get("/plain")
    def plain(request):
        raise DomainError("forward_same_body", "Choose another body.", field="to_body_id")

    @router.get("/limited")
    def limited(request):
        error = DomainError("rate_limited", "Too many.", retry_after=30)
        error.status = 429
        raise error

    api = NinjaAPI(urls_namespace="test-domain-errors")
    errors.install(api)
    api.add_router("", router)
    return TestClient(api)


@pytest.fixture
def client_for_handler(settings):
    settings.LANGUAGE_CODE = "en"
    return _client()


def test_field_errors_are_a_422_with_every_field(client_for_handler):
    r = client_for_handler.get("/fields")
    assert r.status_code == 422
    assert r.json() == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "errors": [
            {"field": "text", "code": "required", "message": "Write the note."},
            {"field": "kind", "code": "invalid_choice", "message": "x"},
        ],
    }


def test_not_allowed_is_a_409(client_for_handler):
    r = client_for_handler.get("/state")
    assert r.status_code == 409
    assert r.json() == {"code": "not_open", "message": "Only an open appeal."}


def test_another_domain_error_keeps_its_status_and_field(client_for_handler):
    r = client_for_handler.get("/plain")
    assert r.status_code == 400
    assert r.json() == {"code": "forward_same_body", "message": "Choose another body.", "field": "to_body_id"}


def test_retry_after_is_a_key_and_a_header(client_for_handler):
    r = client_for_handler.get("/limited")
    assert r.status_code == 429
    assert r.json() == {"code": "rate_limited", "message": "Too many.", "retry_after": 30}
    assert r["Retry-After"] == "30"


def test_shared_codes_are_plain_strings():
    assert ErrorCode.NOT_FOUND == "not_found"
    assert str(ErrorCode.RATE_LIMITED) == "rate_limited"
    assert FieldErrors([("a", ErrorCode.REQUIRED, "m")]).errors == [("a", "required", "m")]


@pytest.mark.parametrize("name", ADAPTERS)
def test_api_adapters_hold_no_query_no_transaction_and_no_catch_of_domain_errors(name):
    tree = ast.parse((API_DIR / name).read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "atomic"):
            found.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught = ast.unparse(node.type)
            if any(n in caught for n in ("DomainError", "FieldErrors", "NotAllowed", "TokenRefused")):
                found.append(f"line {node.lineno}: except {caught}")
    assert found == []
