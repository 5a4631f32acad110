"""The public API v1: django-ninja routers, adapters only.

Errors are JSON everywhere under /api/v1/: endpoint errors through the handlers in `errors`,
an unknown address through a catch-all 404, a wrong method through a JSON 405.
The docs page loads Swagger UI from ninja's own static files (no CDN); its online validator
badge, which would send the schema's address to validator.swagger.io, is switched off.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import URLPattern, URLResolver, path, re_path
from ninja import NinjaAPI, Swagger

from . import errors
from .appeals import router as appeals_router
from .auth import router as auth_router
from .calendar import router as calendar_router
from .council import router as council_router
from .deputies import router as deputies_router
from .directory import router as directory_router
from .inbox import router as inbox_router
from .news import router as news_router
from .participation import router as participation_router
from .proceedings import router as proceedings_router
from .scorecard import router as scorecard_router

DOCS_CSP = csp_update({"style-src": ["'unsafe-inline'"]})


class MaslikhatAPI(NinjaAPI):
    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        result: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                # ninja's root view raises Http404 outside its handlers (an HTML page); the name
                # must stay: ninja resolves it to find the API's prefix.
                result.append(path("", errors.not_found_view, name="api-root"))
            elif isinstance(pattern, URLPattern):
                if pattern.name == "openapi-view":
                    # Swagger UI (React) sets style attributes: this page alone allows inline
                    # styles under the Content-Security-Policy (not the schema, not the API).
                    pattern.callback = DOCS_CSP(pattern.callback)
                pattern.callback = errors.json_405(pattern.callback)
                result.append(pattern)
            else:
                result.append(pattern)
        result.append(re_path(r"^.*$", errors.not_found_view, name="api-not-found"))
        return result, app_name, namespace


api = MaslikhatAPI(
    title="Maslikhat API",
    version="1",
    urls_namespace="api",
    description=(
        "Open data of Kazakhstan's maslikhats: directory, find my deputies, appeals, "
        "the national council, the scorecard, news."
    ),
    docs=Swagger(settings={"validatorUrl": "none"}),
)
errors.install(api)
api.add_router("", directory_router)
api.add_router("", calendar_router)
api.add_router("", auth_router)
api.add_router("", appeals_router)
api.add_router("", inbox_router)
api.add_router("", council_router)
api.add_router("", scorecard_router)
api.add_router("", news_router)
api.add_router("", proceedings_router)
api.add_router("", participation_router)
api.add_router("", deputies_router)
from .search import router as search_router  # noqa: E402 (public search, issue 16)

api.add_router("", search_router)
