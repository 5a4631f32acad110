"""Page-specific reads for the web layout (the directory's selectors do the heavy lifting)."""

from __future__ import annotations

from django.core.cache import cache

from maslikhat.directory.models import Area, Organization, Person

DEMO_FLAG_SECONDS = 60


def demo_data_present() -> bool:
    """Whether the directory holds synthetic records (checked at most once a minute)."""
    flag = cache.get("web:demo-present")
    if flag is None:
        flag = (
            Organization.objects.filter(is_demo=True).exists()
            or Person.objects.filter(is_demo=True).exists()
            or Area.objects.filter(is_demo=True).exists()
        )
        cache.set("web:demo-present", flag, DEMO_FLAG_SECONDS)
    return bool(flag)
