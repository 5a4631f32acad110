"""Under the Content-Security-Policy the browser blocks nothing on the main pages: no CSP
violation, no script error in the console (home, find, appeal form, scorecard, news, a
constituency page, the API docs)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "/en/",
    "/kk/find/",
    "/kk/find/?lat=51.13&lon=71.43",
    "/ru/appeals/new/?body={body}",
    "/en/scorecard/?figure=appeals_received",
    "/kk/news/",
    "/en/areas/KZ-71/",
    "/api/v1/docs",
]


def test_main_pages_raise_no_csp_violation(live_server: Any, browser: Any, reference: Any) -> None:
    from maslikhat.directory.models import Organization

    body = Organization.objects.get(slug="kz-71-maslikhat")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    violations: list[str] = []
    page.expose_function("cspViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.cspViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));"
    )
    for path in PAGES:
        url = live_server.url + path.format(body=body.pk)
        response = page.goto(url)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if path == "/api/v1/docs":
            page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    page.close()
    assert violations == []
    assert [p for p in problems if "Content Security Policy" in p or "pageerror" in p] == []
