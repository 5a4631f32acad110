"""Liveness and readiness for load balancers and orchestrators (no language prefix, no auth)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers (it does not touch the database)."""
    return JsonResponse({"status": "ok"})


def _check_database() -> tuple[bool, float]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        ok = True
    except Exception:
        ok = False
    return ok, round((time.perf_counter() - started) * 1000, 1)


def _check_redis() -> tuple[bool, float]:
    import redis

    started = time.perf_counter()
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        ok = bool(client.ping())
        client.close()
    except Exception:
        ok = False
    return ok, round((time.perf_counter() - started) * 1000, 1)


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database answers and, when configured, Redis does. 503 otherwise."""
    checks: dict[str, dict[str, object]] = {}
    ok, ms = _check_database()
    checks["database"] = {"ok": ok, "ms": ms}
    if settings.REDIS_URL:
        r_ok, r_ms = _check_redis()
        checks["redis"] = {"ok": r_ok, "ms": r_ms}
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
