"""What the HTTP-level benchmarks share: a gunicorn server started with the deployment's
settings and waited for through /readyz, free ports, valid IINs, percentiles, and rewriting one
section of bench/README.md between its markers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
README = ROOT / "bench" / "README.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    *,
    app: str,
    env: dict[str, str],
    port: int,
    log: Path,
    extra: Sequence[str] = (),
    timeout_s: float = 60,
) -> subprocess.Popen[bytes]:
    """gunicorn with deploy/gunicorn.conf.py, returned once /readyz answers (at most `timeout_s`:
    a loaded machine boots five workers slowly)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), *extra, app],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5).read()  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def valid_iins(n: int) -> list[str]:
    """n distinct IINs with a correct check digit (bounded search)."""
    from maslikhat.core.iin import check_digit

    out: list[str] = []
    serial = 0
    while len(out) < n and serial < 10 * n:
        serial += 1
        month, day = 1 + serial % 12, 1 + serial % 28
        first = f"{70 + serial % 30:02d}{month:02d}{day:02d}{3 + serial % 2}{serial % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            out.append(f"{first}{digit}")
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def update_readme_section(*, begin: str, end: str, heading: str, table: str) -> None:
    """Rewrite only the text between the markers (add the section at the end if absent)."""
    if not README.exists():
        return
    text = README.read_text()  # re-read right before writing: other benches edit their sections
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        README.write_text(f"{head}{begin}\n{table}\n{end}{tail}")
    else:
        README.write_text(f"{text.rstrip()}\n\n{heading}{begin}\n{table}\n{end}\n")
