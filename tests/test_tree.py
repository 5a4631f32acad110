"""The test tree keeps its layout rules (tests/README.md): nothing imports from a test module or a
conftest (shared helpers live in world builders, shared fixtures in tests/conftest.py), and API
tests live in tests/api/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# tests.<anything>.test_<x> or tests.<anything>.conftest (a module, or a name imported from one)
FORBIDDEN = re.compile(r"^tests(\.[A-Za-z_][A-Za-z0-9_]*)*\.(test_[A-Za-z0-9_]*|conftest)(\.|$)")
# the hostile suite's schemathesis run against the whole schema, not one router's tests
API_OUTSIDE_ALLOWED = {
    "hostile/test_api_fuzz.py",
    "hostile/test_api_csrf.py",
}  # hostile, over every operation


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from tests.x import test_y` imports a test module too
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_no_module_imports_from_a_test_module_or_a_conftest() -> None:
    # given every Python file of the test tree; when their imports are read
    offending = [
        f"{path.relative_to(TESTS)}:{line}: {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if FORBIDDEN.match(module)
    ]
    # then none names tests.<x>.test_* or tests.<x>.conftest
    assert offending == []


def test_the_check_recognizes_the_imports_it_forbids() -> None:
    # (written with a placeholder, so that a grep of the tree for such imports finds none here)
    source = (
        "from PKG.scorecard.test_figures import World\n"
        "from PKG.appeals.conftest import valid_iin\n"
        "import PKG.core.test_emails\n"
        "from PKG.core import test_emails\n"
        "from PKG.factories import valid_iin\n"
        "from PKG.scorecard.world import World\n"
    )
    tree = ast.parse(source.replace("PKG.", "tests."))
    assert [m for _, m in _imported_modules(tree) if FORBIDDEN.match(m)] == [
        "tests.scorecard.test_figures",
        "tests.scorecard.test_figures.World",
        "tests.appeals.conftest",
        "tests.appeals.conftest.valid_iin",
        "tests.core.test_emails",
        "tests.core.test_emails",
    ]


def test_api_tests_live_in_tests_api() -> None:
    outside = sorted(
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("test_api*.py")
        if path.parent != TESTS / "api" and str(path.relative_to(TESTS)) not in API_OUTSIDE_ALLOWED
    )
    assert outside == []
