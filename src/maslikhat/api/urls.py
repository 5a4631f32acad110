"""The public API v1: django-ninja routers, adapters only."""

from ninja import NinjaAPI

from . import errors
from .appeals import router as appeals_router
from .directory import router as directory_router

api = NinjaAPI(
    title="Maslikhat API",
    version="1",
    urls_namespace="api",
    description="Open data of Kazakhstan's maslikhats: directory, find my deputies, appeals.",
)
errors.install(api)
api.add_router("", directory_router)
api.add_router("", appeals_router)
