"""The public API v1: django-ninja routers, adapters only."""

from ninja import NinjaAPI

api = NinjaAPI(title="Maslikhat API", version="1", urls_namespace="api")
