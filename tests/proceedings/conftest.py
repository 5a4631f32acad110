"""The proceedings tests' fixtures live in tests/proceedings/fixtures.py (shared with other
directories' tests, which may not import a conftest)."""

from tests.proceedings.fixtures import body, sitting  # noqa: F401
