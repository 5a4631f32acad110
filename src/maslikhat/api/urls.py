"""The public API v1: django-ninja routers, adapters only."""

from ninja import NinjaAPI

api = NinjaAPI(title="Maslikhat API", version="1", urls_namespace="api")

from maslikhat.api.appeals import router as appeals_router  # noqa: E402

api.add_router("", appeals_router)
