"""No API write acts for a signed-in visitor without the CSRF check (the class of "a side door
around a control": the pages' forms check CSRF, so a form on another site must not reach the same
services through the API with the visitor's session cookie).

Every unsafe operation of the published OpenAPI schema is posted with a signed-in session and no
CSRF token: each is refused before it runs (401 or 403), except the operations listed below that
never act for the session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Operations that ignore the session: they act on the credentials in their body alone.
SESSION_IGNORED = {("post", "/api/v1/auth/token")}
UNSAFE = ("post", "put", "patch", "delete")


def _fill(path: str) -> str:
    return re.sub(r"\{number\}", "KZ-71-2026-000001", re.sub(r"\{[a-z_]*id\}|\{pk\}", "1", path))


def _unsafe_operations() -> list[tuple[str, str]]:
    schema = Client().get("/api/v1/openapi.json").json()
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in UNSAFE and (method, path) not in SESSION_IGNORED
    )


def test_every_api_write_refuses_a_session_without_the_csrf_token() -> None:
    citizen: Any = UserFactory(username="csrf-citizen")
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    operations = _unsafe_operations()
    assert len(operations) >= 10  # the schema does list the writes
    acted = []
    for method, path in operations:
        url = _fill(path)
        response = getattr(client, method)(url, "{}", content_type="application/json")
        if response.status_code not in (401, 403):
            acted.append(f"{method.upper()} {url}: {response.status_code}")
    assert acted == []


def test_the_same_session_with_the_token_is_let_through_to_validation() -> None:
    """The control: with the CSRF cookie's token in the header, the session reaches the operation
    (an empty body is then a validation error, not a refusal of the caller)."""
    citizen: Any = UserFactory(username="csrf-citizen-2")
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    token = "a" * 32  # the cookie's secret, sent back in the header as a page's script would
    client.cookies["csrftoken"] = token
    response = client.post("/api/v1/appeals", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 422
