"""Every error under /api/v1/ is JSON with a stable code and a message; no input gives a 500."""

from __future__ import annotations

import logging

import pytest

from maslikhat.api import directory


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/nope", "/api/v1/areas/", "/api/v1/areas/KZ-71/extra", "/api/v1/bodies/1/nope"],
)
def test_unknown_address_is_json_404(db, client, en, path):
    r = client.get(path, **en)
    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"code": "not_found", "message": "Not found."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_wrong_method_is_json_405_with_allow(db, client, en, method):
    r = getattr(client, method)("/api/v1/areas", **en)
    assert r.status_code == 405
    assert r["Allow"] == "GET"
    assert r.json() == {"code": "method_not_allowed", "message": "This method is not allowed here."}


def test_unexpected_failure_is_logged_and_answered_as_json_500(db, client, en, monkeypatch, caplog):
    # given a selector that fails (standing in for a bug: no input is meant to get here)
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(directory.selectors, "area_list", broken)
    monkeypatch.setattr(directory.selectors, "area_search", broken)
    # when the endpoint is called
    with caplog.at_level(logging.ERROR, logger="maslikhat.api.errors"):
        r = client.get("/api/v1/areas?q=secret", **en)
    # then the client gets the JSON error, and the log has the traceback but not the query string
    assert r.status_code == 500
    assert r.json() == {"code": "internal_error", "message": "Something went wrong on our side."}
    [record] = [rec for rec in caplog.records if rec.name == "maslikhat.api.errors"]
    assert record.getMessage() == "unhandled API error on GET /api/v1/areas"
    assert record.exc_info is not None
    assert "secret" not in caplog.text


def test_malformed_json_body_is_a_json_error(db, client, en):
    # a body that is not JSON, to an endpoint that reads one
    r = client.post("/api/v1/appeals", "{not json", content_type="application/json", **en)
    assert r.status_code in (400, 422)
    assert r.json()["code"] in ("bad_request", "validation_error")
    assert r.json()["message"]


NASTY = [
    "%00",
    "%FF%FE",
    "x" * 300,
    "-1",
    "0",
    "1e309",
    "-0",
    "18446744073709551616",
    "%F0%9F%98%80",
    "'; DROP TABLE directory_area; --",
    "..%2F..%2Fetc%2Fpasswd",
    "[]",
    "{}",
]

ENDPOINTS = [
    "/api/v1/areas?kind={v}&parent={v}&q={v}&limit={v}&offset={v}",
    "/api/v1/areas/{v}",
    "/api/v1/bodies?kind={v}&area={v}&include_dissolved={v}&limit={v}",
    "/api/v1/bodies/{v}?date={v}",
    "/api/v1/people?q={v}&body={v}&current={v}",
    "/api/v1/people/{v}",
    "/api/v1/lookup?lat={v}&lon={v}&date={v}",
    "/api/v1/calendar/working-days?start={v}&days={v}",
]


@pytest.mark.parametrize("template", ENDPOINTS)
def test_no_input_gives_a_server_error(reference, client, template):
    # given every parameter of every read endpoint filled with hostile values
    for value in NASTY:
        r = client.get(template.format(v=value))
        # then each answer is a client error or a success, always JSON with a code on error
        assert r.status_code < 500, (template, value, r.content[:200])
        if r.status_code >= 400:
            assert r.json()["code"] in {"validation_error", "not_found", "outside_coverage"}
