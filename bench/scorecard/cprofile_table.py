"""cProfile of the scorecard table on the bench database (after `run.py load` and `finish`):
cold (new connection, caches emptied), computed (nothing kept) and warm (kept values), at a
level (argument: regional | district, default district). Prints the top functions by
cumulative time. Run: `.venv/bin/python bench/scorecard/cprofile_table.py district`."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.scorecard import run  # noqa: E402  (sets the environment first)

TOP = int(os.environ.get("BENCH_PROFILE_TOP", "25"))


def _profile(label: str, fn: object) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()  # type: ignore[operator]
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(TOP)
    print(f"===== {label}\n{out.getvalue()}")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from maslikhat.scorecard import selectors as sc

    level = sys.argv[1] if len(sys.argv) > 1 else "district"
    period = sc.period_parse(str(run.YEAR))

    def build() -> None:
        sc.scorecard_build(period=period, level=level, today=run.TODAY)

    run._cold()
    _profile(f"{level} cold", build)
    settings.SCORECARD_KEEP_VALUES = False
    build()
    _profile(f"{level} computed (nothing kept)", build)
    settings.SCORECARD_KEEP_VALUES = True
    build()
    _profile(f"{level} warm", build)


if __name__ == "__main__":
    main()
