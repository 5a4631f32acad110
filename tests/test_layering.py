"""The layers of the tree, as docs/architecture.md states them, checked on every import.

Imports point down: `config` → `api`, `web`, `demo` → cross-cutting apps (`scorecard`,
`notifications`, `search`) → domain apps → `directory` → `core`. A domain app never imports an
adapter or a cross-cutting app; cross-cutting apps read the domains through registries the
domains fill. Every import statement counts, those inside functions too, and so does a string
that is a dotted path into another app (`"maslikhat.appeals.emails.send_status"`, the way
`core` named the jobs before they were registered by their apps); docstrings do not count. A
package of `maslikhat` that is not in the table fails, so a new app must be placed in a layer
here. Every job name given to `after_commit` or `enqueue` is one the apps register.
"""

from __future__ import annotations

import ast
import re
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
    "proceedings": DOMAIN,
    "participation": DOMAIN,
    "deputies": DOMAIN,
    "scorecard": CROSS_CUTTING,
    "notifications": CROSS_CUTTING,
    "search": CROSS_CUTTING,  # the index: every module registers its documents (core.search)
    "api": ADAPTER,
    "web": ADAPTER,
    "demo": ADAPTER,
    "config": CONFIG,
}
# Domain apps that a domain app may read (the apps "below" it in the chain): an initiative is
# carried out by a session's agenda item; a deputy's record shows their votes, and a question
# raised at a reception becomes an appeal.
DOMAIN_BELOW: dict[str, frozenset[str]] = {
    "participation": frozenset({"proceedings"}),
    "deputies": frozenset({"appeals", "proceedings"}),
}
# Adapters that another adapter may import (the web pages' templates and layout).
ADAPTER_BELOW: dict[str, frozenset[str]] = {"demo": frozenset(), "api": frozenset(), "web": frozenset()}


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


# A string that is a dotted path into the package ("python:" is gunicorn's prefix for a module).
DOTTED_PATH = re.compile(r"(?:python:)?(maslikhat(?:\.\w+)+)")


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring constants of a module, its classes and its functions."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    tree = _parse(path)
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            dotted = DOTTED_PATH.fullmatch(node.value)
            parts = dotted.group(1).split(".") if dotted else []
            if len(parts) > 1 and parts[1] in _apps():
                found.add((parts[1], node.lineno))
            continue
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


def test_a_dotted_path_in_a_string_counts_as_an_import(tmp_path: Path) -> None:
    # given a core module naming a job of an app above it by its dotted path, in code and in a
    # docstring
    module = tmp_path / "registry.py"
    module.write_text(
        '"""Jobs such as maslikhat.appeals.emails.send_status are registered by their apps."""\n'
        'JOBS = {"appeals.status": "maslikhat.appeals.emails.send_status"}\n'
        'WORKER = "python:maslikhat.config.gunicorn"\n'
        'LOGGER = "maslikhat.access"\n',
        encoding="utf-8",
    )
    # then the code's paths count as imports of appeals and config, which core may not make; the
    # docstring and a logger name that is no app do not count
    found = _imported_apps(module)
    assert found == {("appeals", 2), ("config", 3)}
    assert sorted(app for app, _line in found if not _allowed("core", app)) == ["appeals", "config"]


JOB_CALLS = frozenset({"after_commit", "enqueue"})


def _job_names(path: Path) -> list[tuple[int, str | None]]:
    """(line, job name) of every after_commit/enqueue call; None when the name is not a literal."""
    found: list[tuple[int, str | None]] = []
    for node in ast.walk(_parse(path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in JOB_CALLS or not node.args:
            continue
        first = node.args[0]
        literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        found.append((node.lineno, literal))
    return found


def test_every_scheduled_job_is_registered() -> None:
    from maslikhat.core.background import JOBS

    # given every call that schedules a job in the package (but the mechanism itself, which
    # passes its argument on)
    calls = [
        (f"{path.relative_to(PACKAGE)}:{line}", job)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "core" / "background.py"
        for line, job in _job_names(path)
    ]
    assert len(calls) >= 6  # the appeals' and the council's emails at least
    # then each names, as a literal, a job that an app registered from its AppConfig.ready
    assert [(where, job) for where, job in calls if job not in JOBS] == []


# In templates, {% extends %}, {% include %}, {% load %} and {% url "<app>:..." %} are imports too
# (a link to another app's page names that app). Every app may use the site's layout
# (web/base.html and its partials, web's template tags): it is the frame of all pages.
TEMPLATE_USE = re.compile(
    r"{%\s*(?:extends|include)\s+[\"']([a-z_]+)/|{%\s*load\s+([\w ]+?)\s*%}|{%\s*url\s+[\"']([a-z_]+):"
)
LAYOUT = "web"


def _tag_libraries() -> dict[str, str]:
    """Template tag library -> the app that defines it."""
    return {
        lib.stem: app
        for app in _apps()
        for lib in (PACKAGE / app / "templatetags").glob("*.py")
        if lib.stem != "__init__"
    }


def _template_uses(path: Path, libraries: dict[str, str]) -> set[str]:
    used: set[str] = set()
    for directory, loads, linked in TEMPLATE_USE.findall(path.read_text(encoding="utf-8")):
        used.update((directory, linked))
        used.update(libraries.get(lib, "") for lib in loads.split())
    return {app for app in used if app in LAYER}


def test_templates_use_no_app_above_them() -> None:
    # given every template of every app
    libraries = _tag_libraries()
    violations = [
        f"{path.relative_to(PACKAGE)}: {app} uses {used}"
        for app in _apps()
        for path in sorted((PACKAGE / app / "templates").rglob("*.html"))
        for used in sorted(_template_uses(path, libraries))
        if used != LAYOUT and not _allowed(app, used)
    ]
    # then none extends, includes or loads tags of an app above it (the directory's pages get the
    # appeals', news' and follow blocks through core.sections)
    assert violations == []


def test_a_template_including_an_app_above_it_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '{% extends "web/base.html" %}{% load i18n follows %}{% include "news/_list_block.html" %}'
        "<a href=\"{% url 'scorecard:index' %}\">",
        encoding="utf-8",
    )
    used = _template_uses(page, _tag_libraries())
    assert used == {"web", "notifications", "news", "scorecard"}
    assert sorted(app for app in used if app != LAYOUT and not _allowed("directory", app)) == [
        "news",
        "notifications",
        "scorecard",
    ]


def test_no_view_runs_a_query_of_its_own() -> None:
    """Views are thin adapters: what they read comes from a selector (or a permission), so the
    admin, the API and the page ask the same function."""
    import re

    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.glob("*/views.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.objects\.", line)
    ]
    assert offenders == []
