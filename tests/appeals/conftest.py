"""The appeals tests' fixtures live in tests/appeals/fixtures.py (shared with other directories'
tests, which may not import a conftest)."""

from tests.appeals.fixtures import submit, time_machine_today  # noqa: F401
