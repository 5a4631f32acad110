"""What the browser tests share (not a test module): axe-core's serious and critical violations
of a page, and the elements sticking out of a 360 px page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# The visible elements sticking out of a 360 px page (outside scrolling containers).
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > 361
          && !el.closest('.scorecard-scroll'))
  .slice(0, 5)
  .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


def serious_violations(page: Any, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core (WCAG 2.1 A and AA) on the page, leaving out the elements matching `exclude`:
    the serious and critical violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (exclude) => await axe.run(exclude.length ? {exclude: exclude.map(s => [s])} : document,"
        " {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})",
        list(exclude),
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
