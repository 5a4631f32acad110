"""What the demo leaves behind that production must refuse: synthetic records of any model
with an `is_demo` flag, demo accounts, staff accounts with the public demo password.

The list of demo models is computed from the installed models (every model with an `is_demo`
field), so a new module's synthetic records are covered without an edit here.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from maslikhat.core.synthetic import demo_models, synthetic_rows_present

from .accounts import DEMO_PASSWORD

__all__ = ["demo_models", "demo_problems"]


def demo_problems() -> list[str]:
    """What makes this database unfit for production (empty when it is fit)."""
    problems = []
    if synthetic_rows_present():
        problems.append(
            "synthetic demo data is present (run `maslikhat demo-data --reset` on a copy, not here)"
        )
    users = get_user_model().objects.filter(is_active=True)
    if users.filter(is_demo=True).exists():
        problems.append("demo accounts are present")
    elif any(u.check_password(DEMO_PASSWORD) for u in users.filter(is_staff=True)[:500]):
        problems.append("a staff account uses the public demo password")
    return problems
