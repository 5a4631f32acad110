"""Production mode: health and readiness, request ids and JSON logs, a clean 503 when the
database is lost, the deploy check, the demo-data guard and the staff second factor."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from maslikhat.core.logging import JsonFormatter, RequestIdFilter, request_id_var
from maslikhat.core.middleware import DatabaseUnavailableMiddleware, RequestIdMiddleware
from maslikhat.core.startup import guard, startup_problems
from maslikhat.demo.guard import demo_models, demo_problems
from tests.factories import UserFactory

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_and_readyz() -> None:
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["ok"] is True
    assert "redis" not in ready.json()["checks"]


@pytest.mark.django_db
def test_readyz_is_503_when_redis_is_configured_but_down(settings: Any) -> None:
    settings.REDIS_URL = CLOSED_PORT_REDIS
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_request_id_is_returned_and_a_valid_one_is_kept() -> None:
    client = Client()
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234567890")["X-Request-ID"] == "lb-1234567890"
    bad = "bad id\nwith newline"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"] != bad


@pytest.mark.django_db
def test_access_log_has_request_id_and_no_query_string(caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="maslikhat.access")
    Client().get("/en/find/?lat=43.2&lon=76.9&q=secret-name", HTTP_X_REQUEST_ID="req-abcdefgh")
    records = [r for r in caplog.records if r.name == "maslikhat.access"]
    assert len(records) == 1
    line = JsonFormatter().format(_with_filter(records[0], "req-abcdefgh"))
    data = json.loads(line)
    assert data["path"] == "/en/find/" and data["status"] == 200 and data["method"] == "GET"
    assert data["request_id"] == "req-abcdefgh"
    assert "secret-name" not in line and "43.2" not in line


def _with_filter(record: logging.LogRecord, rid: str) -> logging.LogRecord:
    token = request_id_var.set(rid)
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    return record


def _raises_operational(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize(("path", "json_body"), [("/api/v1/appeals", True), ("/en/appeals/new/", False)])
def test_lost_database_answers_503_with_retry_after(path: str, json_body: bool) -> None:
    middleware = DatabaseUnavailableMiddleware(_raises_operational)
    request = RequestFactory().post(path)
    request.request_id = "r-12345678"  # type: ignore[attr-defined]
    try:
        _raises_operational(request)
    except OperationalError as exc:
        response = middleware.process_exception(request, exc)
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "5"
    if json_body:
        assert json.loads(response.content)["code"] == "service_unavailable"
    else:
        assert b"r-12345678" in response.content


def test_other_exceptions_are_not_turned_into_503() -> None:
    middleware = DatabaseUnavailableMiddleware(_raises_operational)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_request_id_middleware_resets_the_context() -> None:
    middleware = RequestIdMiddleware(lambda request: HttpResponse("ok"))
    middleware(RequestFactory().get("/x", HTTP_X_REQUEST_ID="abcdefgh-1"))
    assert request_id_var.get() == "-"


def _production_env(**extra: str) -> dict[str, str]:
    # the browser tests allow async-unsafe ORM calls in this process: not in a deployment
    drop = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        MASLIKHAT_MODE="production",
        SECRET_KEY="a-real-secret-key-of-fifty-characters-0123456789-abcdef",
        ALLOWED_HOSTS="maslikhat.example.kz",
    )
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings(tmp_path: Any) -> None:
    env = _production_env(MASLIKHAT_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "maslikhat", "migrate", "-v0"], env=env, check=True, capture_output=True
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "maslikhat", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_a_short_secret_key(tmp_path: Any) -> None:
    env = _production_env(MASLIKHAT_VAR_DIR=str(tmp_path), SECRET_KEY="short")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "maslikhat", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_guard_refuses_demo_accounts_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    guard()  # an empty database is fine
    UserFactory(username="demo-citizen", is_demo=True)
    assert demo_problems() == ["demo accounts are present"]
    with pytest.raises(ImproperlyConfigured, match="demo accounts"):
        guard()


def test_demo_models_are_every_model_with_a_demo_flag() -> None:
    # given the installed models, then the guard checks each one that has an is_demo field
    names = {m._meta.label for m in demo_models()}
    assert {"directory.Area", "directory.Organization", "directory.Person", "appeals.Appeal"} <= names
    assert {"news.Publication", "council.Meeting", "council.Proposal", "council.Recommendation"} <= names
    assert "core.User" not in names  # accounts are checked on their own


@pytest.mark.django_db
def test_guard_refuses_synthetic_rows_of_a_module_it_does_not_name(settings: Any, reference: Any) -> None:
    # given production and one synthetic news item (a model the old guard did not list)
    from maslikhat.directory.models import Organization
    from tests.news.factories import make_publication

    settings.PRODUCTION = True
    assert startup_problems() == []
    publication = make_publication(body=Organization.objects.get(slug="kz-71-maslikhat"))
    type(publication).objects.filter(pk=publication.pk).update(is_demo=True)
    # then the start-up is refused
    assert demo_problems() == [
        "synthetic demo data is present (run `maslikhat demo-data --reset` on a copy, not here)"
    ]
    with pytest.raises(ImproperlyConfigured, match="synthetic demo data"):
        guard()


@pytest.mark.django_db
def test_guard_refuses_a_staff_account_with_the_demo_password(settings: Any) -> None:
    from maslikhat.demo.accounts import DEMO_PASSWORD

    settings.PRODUCTION = True
    UserFactory(username="clerk", is_staff=True, password=DEMO_PASSWORD)
    with pytest.raises(ImproperlyConfigured, match="demo password"):
        guard()


@pytest.mark.django_db
def test_guard_is_silent_outside_production(settings: Any) -> None:
    settings.PRODUCTION = False
    UserFactory(username="demo-citizen", is_demo=True)
    guard()


@pytest.mark.django_db
def test_staff_must_set_up_totp_before_the_inbox(settings: Any, astana: dict[str, Any]) -> None:
    from allauth.mfa.models import Authenticator

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    client = Client()
    client.force_login(astana["staff_user"])
    response = client.get("/en/inbox/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/2fa/totp/activate/"
    Authenticator.objects.create(
        user=astana["staff_user"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client.get("/en/inbox/").status_code == 200
    # citizens' pages are not affected
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    assert Client().get("/en/find/").status_code == 200


@pytest.mark.django_db
def test_security_headers() -> None:
    response = Client().get("/en/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_answers_503_when_the_database_is_lost(monkeypatch: Any) -> None:
    # the fault bench restarts a real PostgreSQL; here the selector fails as a lost connection does
    from maslikhat.directory import selectors

    def lost(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "area_list", lost)
    response = Client().get("/api/v1/areas", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "service_unavailable"


def test_rate_limit_lets_requests_through_while_redis_is_down(settings: Any) -> None:
    from maslikhat.core.ratelimit import hit

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    results = [hit("test", "client", limit=1, window=60).allowed for _ in range(3)]
    assert results == [True, True, True]


def test_rate_limit_counts_with_a_working_cache() -> None:
    from django.core.cache import cache

    from maslikhat.core.ratelimit import hit

    cache.clear()
    results = [hit("test", "client-2", limit=2, window=60).allowed for _ in range(3)]
    assert results == [True, True, False]
