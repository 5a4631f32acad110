"""The authorization matrix's rows of the apps built after it: one module per app.

Each module `<app>.py` defines `TABLE` (URL name -> requests, as in test_authorization.TABLE),
`POST_DATA` and `JSON_DATA` (URL name -> the body posted), `SECOND_FACTOR` (URL name -> roles.STAFF
or roles.OPEN: whether staff need their second factor there), and `objects(w)`, which builds that
app's rows in the shared world (tests/hostile/world.py) and returns the ids its paths use.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from ..roles import Req
from . import (
    accounts_ux,
    appeals_ux,
    deputies,
    inbox_ux,
    pages_ux,
    participation,
    proceedings,
    scorecard_ux,
    search,
)

MODULES: tuple[ModuleType, ...] = (
    proceedings,
    participation,
    deputies,
    accounts_ux,
    appeals_ux,
    inbox_ux,
    pages_ux,
    scorecard_ux,
    search,
)

TABLES: dict[str, list[Req]] = {}
POST_DATA: dict[str, dict[str, Any]] = {}
JSON_DATA: dict[str, dict[str, Any]] = {}
SECOND_FACTOR: dict[str, str] = {}
OBJECT_BUILDERS: list[Callable[[dict[str, Any]], dict[str, Any]]] = []
for _module in MODULES:
    TABLES.update(_module.TABLE)
    POST_DATA.update(_module.POST_DATA)
    JSON_DATA.update(_module.JSON_DATA)
    SECOND_FACTOR.update(getattr(_module, "SECOND_FACTOR", {}))
    OBJECT_BUILDERS.append(_module.objects)
