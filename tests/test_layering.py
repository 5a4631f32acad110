"""The layers of the tree, as docs/architecture.md states them, checked on every import.

Imports point down: `config` → `api`, `web`, `demo` → cross-cutting apps (`scorecard`,
`notifications`, `search`) → domain apps → `directory` → `core`. A domain app never imports an
adapter or a cross-cutting app; cross-cutting apps read the domains through registries the
domains fill. Every import statement counts, those inside functions too; a package of
`maslikhat` that is not in the table fails, so a new app must be placed in a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import maslikhat

PACKAGE = Path(maslikhat.__file__).parent

CORE, DIRECTORY, DOMAIN, CROSS_CUTTING, ADAPTER, CONFIG = range(6)
LAYER: dict[str, int] = {
    "core": CORE,
    "directory": DIRECTORY,
    "appeals": DOMAIN,
    "council": DOMAIN,
    "news": DOMAIN,
    "scorecard": CROSS_CUTTING,
    "notifications": CROSS_CUTTING,
    "api": ADAPTER,
    "web": ADAPTER,
    "demo": ADAPTER,
    "config": CONFIG,
}
# Domain apps that a domain app may read (the apps "below" it in the chain); none today.
DOMAIN_BELOW: dict[str, frozenset[str]] = {}
# Adapters that another adapter may import (the web pages' templates and layout).
ADAPTER_BELOW: dict[str, frozenset[str]] = {"demo": frozenset(), "api": frozenset(), "web": frozenset()}


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level >= 2:
            # `from ..x import y` inside maslikhat/<app>/<pkg>/: still the same app at level 2
            depth = len(path.relative_to(PACKAGE).parts) - 1
            if node.level > depth:
                raise AssertionError(f"{path}: relative import leaves its app")
        for name in names:
            parts = name.split(".")
            if parts[0] == "maslikhat" and len(parts) > 1 and (parts[1] in LAYER or parts[1] in _apps()):
                found.add((parts[1], node.lineno))
    return found


def _allowed(importer: str, imported: str) -> bool:
    if importer == imported:
        return True
    low, high = LAYER[imported], LAYER[importer]
    if low < high:
        return True
    if low == high == DOMAIN:
        return imported in DOMAIN_BELOW.get(importer, frozenset())
    if low == high == ADAPTER:
        return imported in ADAPTER_BELOW.get(importer, frozenset())
    return False


def test_every_app_has_a_layer() -> None:
    # given the packages of maslikhat, then each is placed in the table above
    assert [app for app in _apps() if app not in LAYER] == []


def test_imports_point_down() -> None:
    # given every module of every app (migrations included: they import models)
    violations = []
    for app in _apps():
        for path in sorted((PACKAGE / app).rglob("*.py")):
            for imported, line in sorted(_imported_apps(path)):
                if imported in LAYER and app in LAYER and not _allowed(app, imported):
                    violations.append(f"{path.relative_to(PACKAGE)}:{line}: {app} imports {imported}")
    # then no module imports an app above it or beside it
    assert violations == []
