"""The news tests' fixtures serve here too (the council, its staff, an empty cache)."""

from tests.news.conftest import _empty_cache, council_body, council_staff  # noqa: F401
