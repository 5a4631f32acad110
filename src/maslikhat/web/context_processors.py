from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import demo_data_present


def site(request: HttpRequest) -> dict[str, Any]:
    # Lazy: the (cached) check runs only when a template asks whether demo data is present.
    return {"PRODUCTION": settings.PRODUCTION, "DEMO_DATA": SimpleLazyObject(demo_data_present)}
