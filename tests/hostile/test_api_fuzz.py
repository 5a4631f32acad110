"""schemathesis against the published OpenAPI schema, on a live server with the reference data.

Every GET operation (and the appeal submission) gets generated requests, valid ones and, for the
GETs, invalid ones too; no answer may be a 5xx and every documented answer must match its schema.
The failures of all operations are collected so one run names every broken operation.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db(transaction=True)

POSITIVE_EXAMPLES = 25
NEGATIVE_EXAMPLES = 15


def _run(operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance], timeout=30
        )

    check()


def test_no_operation_answers_5xx_or_off_schema(
    live_server: Any, astana: dict[str, Any], settings: Any
) -> None:
    # given: the reference data, Astana's body with a deputy and a staff account with a token
    from maslikhat.core.tokens import api_token_issue

    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 10_000
    token = api_token_issue(username="staff-test-kz-71", password="test-password")
    assert token is not None
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")

    # when: every GET and the appeal submission get generated requests
    tested: list[str] = []
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        method, path = operation.method.upper(), operation.path
        if method != "GET" and (method, path) != ("POST", "/api/v1/appeals"):
            continue
        tested.append(f"{method} {path}")
        modes = [(GenerationMode.POSITIVE, POSITIVE_EXAMPLES)]
        if method == "GET":
            modes.append((GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES))
        for mode, examples in modes:
            try:
                _run(operation, mode, examples, headers)
            except Unsatisfiable:
                # An operation without parameters or body has no invalid request to generate.
                assert mode is GenerationMode.NEGATIVE, f"{method} {path}: no valid request"
            except Exception as exc:  # collected: every broken operation is named at once
                failures[f"{method} {path} ({mode.value})"] = str(exc)[:2000]

    # then: nothing failed, and the run covered the whole API
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    assert "GET /api/v1/lookup" in tested
    assert "GET /api/v1/inbox" in tested
    assert "POST /api/v1/appeals" in tested
    assert len(tested) >= 15
