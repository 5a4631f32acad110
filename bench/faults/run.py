"""bench/faults: what the service does when PostgreSQL restarts or Redis goes away under load.

Sets up its own database (bench_faults: migrations and the reference data) and Redis database
(6), starts gunicorn with the deployment's settings (deploy/gunicorn.conf.py) in production-like
settings (DEBUG off, REDIS_URL set), then runs two scenarios, the load coming from a second
process (this script with `client`):

1. PostgreSQL restart: 20 clients submit appeals for ~40 s; at ~10 s the cluster is restarted
   (`pg_ctlcluster --skip-systemctl-redirect <version> main restart`). Every 201 must be in the
   database (matched by registration number), every other answer a clean 503 (JSON, Retry-After),
   no timeout (client timeout 15 s), and the service must recover by itself.
2. Redis outage: a Celery worker runs; Redis is shut down for ~20 s while pages and submissions
   keep coming (they must keep working, their emails sent in-process), then Redis is started
   again and a job enqueued afterwards must be executed by the worker.

PostgreSQL and Redis are always left running (try/finally). Loopback only; every loop is bounded.
Writes results.json beside this file and rewrites only the faults section of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: bench/ importable
from bench.common import (  # noqa: E402
    free_port,
    percentile,
    start_gunicorn,
    stop,
    update_readme_section,
    valid_iins,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
README = ROOT / "bench" / "README.md"
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench-faults"

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_faults")
ADMIN_URL = DB_URL.rsplit("/", 1)[0] + "/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]
CLIENT_TIMEOUT_S = 15.0
PG_SECONDS = float(os.environ.get("BENCH_PG_SECONDS", "40"))
PG_RESTART_AT_S = float(os.environ.get("BENCH_PG_RESTART_AT_S", "10"))
PG_SUBMITTERS = int(os.environ.get("BENCH_PG_SUBMITTERS", "20"))
REDIS_OUTAGE_S = float(os.environ.get("BENCH_REDIS_OUTAGE_S", "20"))


# ------------------------------------------------------------------ the load (second process)


def _one(port: int, method: str, path: str, body: bytes | None) -> dict[str, Any]:
    req = urllib.request.Request(  # noqa: S310 (loopback)
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": "application/json"} if body else {},
        method=method,
    )
    out: dict[str, Any] = {"path": path.split("?")[0], "start": time.time()}
    try:
        with urllib.request.urlopen(req, timeout=CLIENT_TIMEOUT_S) as resp:  # noqa: S310
            data = resp.read()
            out["status"] = resp.status
            if resp.status == 201:
                out["number"] = json.loads(data).get("registration_number")
    except urllib.error.HTTPError as exc:
        out["status"] = exc.code
        out["retry_after"] = exc.headers.get("Retry-After")
        out["content_type"] = exc.headers.get("Content-Type", "")
        try:
            out["code"] = json.loads(exc.read()).get("code")
        except (ValueError, OSError, AttributeError):
            out["code"] = None
    except TimeoutError:
        out["status"] = "timeout"
    except urllib.error.URLError as exc:
        out["status"] = "timeout" if isinstance(exc.reason, TimeoutError) else "connection_error"
        out["error"] = str(exc.reason)[:80]
    except OSError as exc:  # reset by peer and the like
        out["status"] = "connection_error"
        out["error"] = type(exc).__name__
    out["end"] = time.time()
    return out


def run_client(args: argparse.Namespace) -> None:
    """Submitters POST appeals, readers GET pages, until the deadline; one JSON file of outcomes."""
    config = json.loads(Path(args.config).read_text())
    payloads: list[str] = config["payloads"]
    paths: list[str] = config["paths"]
    deadline = time.time() + args.seconds
    outcomes: list[dict[str, Any]] = []
    lock = threading.Lock()
    counter = iter(range(10**9))

    def submitter() -> None:
        while time.time() < deadline:
            with lock:
                i = next(counter)
            result = _one(args.port, "POST", "/api/v1/appeals", payloads[i % len(payloads)].encode())
            result["kind"] = "submit"
            with lock:
                outcomes.append(result)

    def reader(offset: int) -> None:
        i = offset
        while time.time() < deadline:
            result = _one(args.port, "GET", paths[i % len(paths)], None)
            result["kind"] = "read"
            i += 1
            with lock:
                outcomes.append(result)
            time.sleep(0.05)

    threads = [threading.Thread(target=submitter) for _ in range(args.submitters)]
    threads += [threading.Thread(target=reader, args=(k,)) for k in range(args.readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 2 * CLIENT_TIMEOUT_S)
    Path(args.out).write_text(json.dumps(outcomes))


# ------------------------------------------------------------------ services


def pg_version() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.name.isdigit())
    return versions[-1]


def postgres_up() -> bool:
    import psycopg

    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def redis_up() -> bool:
    done = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True, timeout=10, check=False)
    return done.stdout.strip() == "PONG"


def wait_for(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def ensure_services() -> dict[str, bool]:
    """PostgreSQL and Redis running, whatever happened (the test suite needs them)."""
    if not postgres_up():
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "start"],
            check=False,
            timeout=60,
        )
        wait_for(postgres_up, 30)
    if not redis_up():
        subprocess.run(REDIS_START, check=False, timeout=30)
        wait_for(redis_up, 15)
    return {"postgres": postgres_up(), "redis": redis_up()}


def server_env(port: int, mail_dir: Path, role: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # bench.faults.mailbox for the worker too
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "DATABASE_URL": DB_URL,
        "MASLIKHAT_VAR_DIR": str(VAR),
        "DEBUG": "false",
        "REDIS_URL": REDIS_URL,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "APPEAL_SUBMIT_LIMIT_PER_HOUR": "1000000000",
        "EMAIL_BACKEND": "bench.faults.mailbox.EmailBackend",
        "BENCH_MAIL_DIR": str(mail_dir),
        "BENCH_MAIL_ROLE": role,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


def setup_database(env: dict[str, str]) -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    for cmd in (["migrate", "-v", "0"], ["load-reference"]):
        subprocess.run(
            [str(BIN / "maslikhat"), *cmd], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )


def flush_redis() -> None:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.RedisError:
        pass


# ------------------------------------------------------------------ helpers


def payloads(bodies: list[int], n: int = 500) -> list[str]:
    return [
        json.dumps(
            {
                "body_id": bodies[i % len(bodies)],
                "kind": "application",
                "topic": "roads",
                "text": f"Fault bench appeal {i}",
                "language": "ru",
                "applicant": {
                    "full_name": "Bench Applicant",
                    "iin": iin,
                    "address": "Astana",
                    "phone": "+7 701 234 56 78",
                    "email": f"faults{i}@example.org",
                },
            }
        )
        for i, iin in enumerate(valid_iins(n))
    ]


def body_ids() -> list[int]:
    import psycopg

    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute(
            "SELECT id FROM directory_organization WHERE kind = 'regional_maslikhat' ORDER BY id"
        ).fetchall()
    return [r[0] for r in rows]


def stored_numbers() -> set[str]:
    import psycopg

    with psycopg.connect(DB_URL) as conn:
        return {r[0] for r in conn.execute("SELECT registration_number FROM appeals_appeal").fetchall()}


def load(
    port: int, workdir: Path, name: str, seconds: float, submitters: int, readers: int, config: dict[str, Any]
) -> subprocess.Popen[bytes]:
    cfg = workdir / f"{name}.config.json"
    cfg.write_text(json.dumps(config))
    cmd = [sys.executable, str(Path(__file__).resolve()), "client", "--port", str(port)]
    cmd += ["--seconds", str(seconds), "--submitters", str(submitters), "--readers", str(readers)]
    cmd += ["--config", str(cfg), "--out", str(workdir / f"{name}.out.json")]
    return subprocess.Popen(cmd, cwd=ROOT)


def outcomes_of(
    proc: subprocess.Popen[bytes], workdir: Path, name: str, seconds: float
) -> list[dict[str, Any]]:
    proc.wait(timeout=seconds + 4 * CLIENT_TIMEOUT_S)
    data: list[dict[str, Any]] = json.loads((workdir / f"{name}.out.json").read_text())
    return sorted(data, key=lambda o: o["start"])


def summary(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for o in outcomes:
        statuses[str(o["status"])] = statuses.get(str(o["status"]), 0) + 1
    latencies = [o["end"] - o["start"] for o in outcomes]
    return {
        "sent": len(outcomes),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0.0,
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
    }


def mails(mail_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in mail_dir.iterdir():
        role = f.name.split("-", 1)[0]
        counts[role] = counts.get(role, 0) + 1
    return counts


def worker_lines(log: Path, text: str) -> int:
    if not log.exists():
        return 0
    return log.read_text(errors="replace").count(text)


# ------------------------------------------------------------------ scenarios


def scenario_postgres(port: int, workdir: Path, config: dict[str, Any]) -> dict[str, Any]:
    version = pg_version()
    restart = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
    before = len(stored_numbers())
    t0 = time.time()
    client = load(port, workdir, "postgres", PG_SECONDS, PG_SUBMITTERS, 2, config)
    time.sleep(PG_RESTART_AT_S)
    restart_start = time.time()
    done = subprocess.run(restart, capture_output=True, text=True, timeout=120, check=False)
    restart_end = time.time()
    print(f"postgres restarted ({restart_end - restart_start:.1f} s, exit {done.returncode})", flush=True)
    outcomes = outcomes_of(client, workdir, "postgres", PG_SECONDS)
    submits = [o for o in outcomes if o["kind"] == "submit"]
    reads = [o for o in outcomes if o["kind"] == "read"]
    stored = stored_numbers()
    acked = [o["number"] for o in submits if o["status"] == 201]
    failures = [o for o in submits if o["status"] != 201]
    unclean_503 = [
        o
        for o in submits
        if o["status"] == 503 and not (o.get("retry_after") and o.get("code") == "service_unavailable")
    ]
    result: dict[str, Any] = {
        "restart_command": " ".join(restart),
        "restart_exit": done.returncode,
        "restart_at_s": round(restart_start - t0, 1),
        "restart_took_s": round(restart_end - restart_start, 1),
        "submissions": summary(submits),
        "sent": len(submits),
        "created_201": len(acked),
        "service_unavailable_503": sum(1 for o in submits if o["status"] == 503),
        "other_status": sum(
            1 for o in submits if isinstance(o["status"], int) and o["status"] not in (201, 503)
        ),
        "timeouts": sum(1 for o in submits if o["status"] == "timeout"),
        "connection_errors": sum(1 for o in submits if o["status"] == "connection_error"),
        "acked_but_missing": sum(1 for n in acked if n not in stored),
        "stored_without_201": len(stored) - before - len(set(acked) & stored),
        "unclean_503": len(unclean_503),
        "pages_during_run": summary(reads),
    }
    if failures:
        first_fail, last_fail = failures[0], max(failures, key=lambda o: o["end"])
        later_ok = [o for o in submits if o["status"] == 201 and o["start"] >= last_fail["start"]]
        result["first_failure_at_s"] = round(first_fail["start"] - t0, 1)
        result["last_failure_at_s"] = round(last_fail["end"] - t0, 1)
        if later_ok:
            result["first_201_after_failures_at_s"] = round(later_ok[0]["end"] - t0, 1)
            result["recovery_s_from_restart"] = round(later_ok[0]["end"] - restart_start, 1)
        result["recovered"] = bool(later_ok)
        result["failure_examples"] = [
            {k: v for k, v in o.items() if k in ("status", "code", "retry_after", "error", "content_type")}
            for o in failures[:3]
        ]
    else:
        result["recovered"] = True
        result["recovery_s_from_restart"] = 0.0
    return result


def enqueue_directly(env: dict[str, str], appeal_number: str) -> str:
    """In a fresh process (the bench's own, role 'bench'): enqueue appeals.status for an appeal."""
    code = (
        "import django; django.setup()\n"
        "from maslikhat.appeals.models import Appeal\n"
        "from maslikhat.core.background import enqueue\n"
        f"enqueue('appeals.status', Appeal.objects.get(registration_number={appeal_number!r}).pk)\n"
        "print('enqueued')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "BENCH_MAIL_ROLE": "bench"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return (done.stdout + done.stderr).strip()[-400:]


def scenario_redis(port: int, workdir: Path, config: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    mail_dir = Path(env["BENCH_MAIL_DIR"])
    worker_log = VAR / "worker.log"
    worker_env = {**env, "BENCH_MAIL_ROLE": "worker"}
    result: dict[str, Any] = {}
    # Scenario 1 ran with a broker and no worker: its registration emails wait in Redis. Drop them,
    # so that what the worker does below is only this scenario's.
    flush_redis()
    with worker_log.open("wb") as out:
        worker = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "maslikhat.config.celery",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "-n",
                "bench-faults@%h",
            ],
            env=worker_env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        result["worker_ready"] = wait_for(lambda: worker_lines(worker_log, " ready.") > 0, 60)
        # Before: submissions' emails go through the broker to the worker.
        pre = [_one(port, "POST", "/api/v1/appeals", p.encode()) for p in config["payloads"][:3]]
        pre_numbers = [str(o["number"]) for o in pre if o["status"] == 201 and o.get("number")]
        wait_for(lambda: worker_lines(worker_log, "job appeals.registered done") >= 3, 30)
        result["before"] = {
            "statuses": [o["status"] for o in pre],
            "worker_jobs_done": worker_lines(worker_log, "job appeals.registered done"),
            "mails": mails(mail_dir),
        }
        # Outage.
        mails_before = mails(mail_dir)
        t0 = time.time()
        subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True, timeout=10, check=False)
        result["redis_down"] = wait_for(lambda: not redis_up(), 10)
        client = load(port, workdir, "redis", REDIS_OUTAGE_S, 4, 4, config)
        time.sleep(REDIS_OUTAGE_S / 2)
        ready = _one(port, "GET", "/readyz", None)
        # The fallback itself, whatever the web requests do: enqueue from a new process while
        # the broker is down (core/background.py runs the job in-process).
        bench_mails = mails(mail_dir).get("bench", 0)
        started = time.time()
        fallback_output = enqueue_directly(env, pre_numbers[0]) if pre_numbers else "no appeal"
        fallback = {
            "output": fallback_output.splitlines()[-1] if fallback_output else "",
            "broker_unreachable_logged": "broker unreachable" in fallback_output,
            "emails_in_process": mails(mail_dir).get("bench", 0) - bench_mails,
            "seconds": round(time.time() - started, 1),
        }
        outcomes = outcomes_of(client, workdir, "redis", REDIS_OUTAGE_S)
        mails_after = mails(mail_dir)
        submits = [o for o in outcomes if o["kind"] == "submit"]
        reads = [o for o in outcomes if o["kind"] == "read"]
        stored = stored_numbers()
        acked = [o["number"] for o in submits if o["status"] == 201]
        result["outage"] = {
            "seconds": round(time.time() - t0, 1),
            "submissions": summary(submits),
            "created_201": len(acked),
            "acked_but_missing": sum(1 for n in acked if n not in stored),
            "pages": summary(reads),
            "pages_by_path": {
                path: summary([o for o in reads if o["path"] == path])
                for path in sorted({o["path"] for o in reads})
            },
            "readyz_status": ready["status"],
            "enqueue_from_new_process": fallback,
            "emails_sent_in_process": mails_after.get("web", 0) - mails_before.get("web", 0),
            "emails_by_worker": mails_after.get("worker", 0) - mails_before.get("worker", 0),
            "failure_examples": [
                {k: v for k, v in o.items() if k in ("path", "status", "code", "error", "content_type")}
                for o in outcomes
                if o["status"] not in (200, 201)
            ][:3],
        }
        # Back: Redis returns; the worker reconnects; jobs enqueued now run on the worker.
        back = time.time()
        subprocess.run(REDIS_START, capture_output=True, timeout=30, check=False)
        result["redis_back"] = wait_for(redis_up, 15)
        done_before = worker_lines(worker_log, "job appeals.registered done")
        status_before = worker_lines(worker_log, "job appeals.status done")
        mails_back = mails(mail_dir)
        post = [_one(port, "POST", "/api/v1/appeals", p.encode()) for p in config["payloads"][-3:]]
        numbers = [str(o["number"]) for o in post if o["status"] == 201 and o.get("number")]
        enqueue_output = enqueue_directly(env, numbers[0]) if numbers else "no appeal to enqueue for"
        executed = wait_for(
            lambda: (
                worker_lines(worker_log, "job appeals.status done") > status_before
                and worker_lines(worker_log, "job appeals.registered done") >= done_before + len(numbers)
            ),
            90,
        )
        mails_end = mails(mail_dir)
        result["after"] = {
            "statuses": [o["status"] for o in post],
            "enqueue_output": enqueue_output,
            "worker_executed_jobs_enqueued_after_return": executed,
            "worker_registered_jobs_after_return": worker_lines(worker_log, "job appeals.registered done")
            - done_before,
            "worker_status_jobs_after_return": worker_lines(worker_log, "job appeals.status done")
            - status_before,
            "emails_by_worker_after_return": mails_end.get("worker", 0) - mails_back.get("worker", 0),
            "emails_in_process_after_return": mails_end.get("web", 0)
            - mails_back.get("web", 0)
            + mails_end.get("bench", 0)
            - mails_back.get("bench", 0),
            "seconds_from_restart_to_worker_done": round(time.time() - back, 1),
        }
    finally:
        stop(worker)
    return result


# ------------------------------------------------------------------ report


def render(results: dict[str, Any]) -> str:
    pg = results["postgres_restart"]
    rd = results["redis_outage"]
    out = rd.get("outage", {})
    after = rd.get("after", {})
    before = rd.get("before", {})
    m = results["machine"]
    lines = [
        f"Last run: {results['date']}, {m['cores']} cores, Python {m['python']}, load average "
        f"{m['load_average_1m_start']} at start; gunicorn {results['workers']} sync workers "
        "(deploy/gunicorn.conf.py), DEBUG off, Redis cache/sessions/broker; load from a second process "
        f"(urllib threads, timeout {CLIENT_TIMEOUT_S:.0f} s).",
        "",
        f"**1. PostgreSQL restart** (`{pg['restart_command']}` at {pg['restart_at_s']} s, took "
        f"{pg['restart_took_s']} s) under {PG_SUBMITTERS} concurrent submitters for {PG_SECONDS:.0f} s:",
        "",
        "| sent | 201 | 503 | other status | timeouts | connection errors | 201 but missing | "
        "stored without a 201 | 503 without Retry-After/JSON | recovery |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {pg['sent']} | {pg['created_201']} | {pg['service_unavailable_503']} | {pg['other_status']} | "
        f"{pg['timeouts']} | {pg['connection_errors']} | **{pg['acked_but_missing']}** | "
        f"{pg['stored_without_201']} | {pg['unclean_503']} | "
        + (
            f"first 201 {pg['recovery_s_from_restart']} s after the restart began"
            if pg.get("recovered")
            else "**did not recover**"
        )
        + " |",
        "",
        f"Submission statuses: {pg['submissions']['statuses']}; p50 {pg['submissions']['p50_ms']} ms, "
        f"p99 {pg['submissions']['p99_ms']} ms, max {pg['submissions']['max_ms']} ms. Pages read meanwhile "
        f"(2 readers): {pg['pages_during_run']['statuses']}.",
        "",
        f"**2. Redis outage** ({out.get('seconds', '?')} s, `redis-cli shutdown nosave`, then "
        "`redis-server --daemonize yes ... --save '' --appendonly no`), Celery worker "
        "(`--pool solo`) running throughout:",
        "",
        "| phase | what | result |",
        "|---|---|---|",
        f"| before | 3 submissions | {before.get('statuses')}, emails by the worker: "
        f"{before.get('mails', {}).get('worker', 0)} |",
        f"| outage | submissions (4 clients) | {out.get('submissions', {}).get('statuses')}, p50 "
        f"{out.get('submissions', {}).get('p50_ms')} ms, p99 {out.get('submissions', {}).get('p99_ms')} ms; "
        f"201 but missing: {out.get('acked_but_missing')} |",
        f"| outage | emails of those submissions | {out.get('emails_sent_in_process')} sent in-process, "
        f"{out.get('emails_by_worker')} by the worker |",
        f"| outage | public pages (4 readers) | {out.get('pages', {}).get('statuses')}, p50 "
        f"{out.get('pages', {}).get('p50_ms')} ms, p99 {out.get('pages', {}).get('p99_ms')} ms |",
        f"| outage | /readyz | {out.get('readyz_status')} |",
        f"| outage | `enqueue('appeals.status', …)` from a new process | "
        f"{out.get('enqueue_from_new_process')} |",
        f"| after | 3 submissions + `enqueue('appeals.status', …)` from a new process | "
        f"{after.get('statuses')}; worker ran {after.get('worker_registered_jobs_after_return')} "
        f"`appeals.registered` and {after.get('worker_status_jobs_after_return')} `appeals.status` "
        f'("job appeals.status done" in its log), {after.get("emails_by_worker_after_return")} emails by '
        f"the worker, {after.get('emails_in_process_after_return')} in-process; "
        f"{after.get('seconds_from_restart_to_worker_done')} s from the restart |",
        "",
        f"Services at the end: {results['services_at_end']}.",
    ]
    if results.get("findings"):
        lines += ["", "Findings: " + " ".join(results["findings"])]
    return "\n".join(lines)


BEGIN, END = "<!-- faults:results:begin -->", "<!-- faults:results:end -->"
SECTION_HEAD = """## bench/faults — faults

`.venv/bin/python bench/faults/run.py` (about three minutes; root: it restarts the PostgreSQL
cluster and shuts Redis down, and always starts both again). Database `bench_faults` (recreated,
reference data), Redis database 6, gunicorn with the deployment's settings, DEBUG off, emails
through a bench-only backend (`bench/faults/mailbox.py`: one file per message, named after the
process that sent it, so in-process and worker emails can be counted). Load from a second process
(this script's `client` mode). Knobs: `BENCH_PG_SECONDS` (40), `BENCH_PG_RESTART_AT_S` (10),
`BENCH_PG_SUBMITTERS` (20), `BENCH_REDIS_OUTAGE_S` (20).

"""


def findings(results: dict[str, Any]) -> list[str]:
    pg = results["postgres_restart"]
    out = results["redis_outage"].get("outage", {})
    after = results["redis_outage"].get("after", {})
    found = []
    if pg["acked_but_missing"]:
        found.append(f"{pg['acked_but_missing']} submissions answered 201 are missing from the database.")
    if pg["other_status"] or pg["timeouts"] or pg["unclean_503"]:
        found.append(
            f"PostgreSQL restart: {pg['other_status']} answers other than 201/503, "
            f"{pg['timeouts']} timeouts, "
            f"{pg['unclean_503']} 503 without Retry-After/JSON."
        )
    if not pg.get("recovered"):
        found.append("The service did not recover after the PostgreSQL restart.")
    bad = {k: v for k, v in out.get("submissions", {}).get("statuses", {}).items() if k != "201"}
    if bad:
        found.append(f"Redis outage: submissions answered {bad}.")
    bad_pages = {k: v for k, v in out.get("pages", {}).get("statuses", {}).items() if k != "200"}
    if bad_pages:
        found.append(f"Redis outage: pages answered {bad_pages}.")
    if not after.get("worker_executed_jobs_enqueued_after_return"):
        found.append("After Redis returned, the worker did not run the jobs enqueued.")
    return found


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "client":
        parser = argparse.ArgumentParser()
        parser.add_argument("client")
        for name in ("--port", "--submitters", "--readers"):
            parser.add_argument(name, type=int, required=True)
        parser.add_argument("--seconds", type=float, required=True)
        parser.add_argument("--config", required=True)
        parser.add_argument("--out", required=True)
        run_client(parser.parse_args())
        return

    VAR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="maslikhat-bench-faults-"))
    mail_dir = workdir / "mail"
    mail_dir.mkdir()
    port = free_port()
    env = server_env(port, mail_dir, "web")
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MASLIKHAT_VAR_DIR")})
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m_start": round(os.getloadavg()[0], 2),
        },
        "workers": (os.cpu_count() or 1) * 2 + 1,
    }
    server = None
    try:
        ensure_services()
        setup_database(env)
        flush_redis()
        bodies = body_ids()
        config = {
            "payloads": payloads(bodies),
            "paths": [f"/en/bodies/{b}/" for b in bodies[:5]] + ["/api/v1/areas", "/en/", "/healthz"],
        }
        server = start_gunicorn(
            app="maslikhat.config.wsgi:application", env=env, port=port, log=VAR / "gunicorn.log"
        )
        results["postgres_restart"] = scenario_postgres(port, workdir, config)
        print(json.dumps(results["postgres_restart"]), flush=True)
        wait_for(postgres_up, 30)
        results["redis_outage"] = scenario_redis(port, workdir, config, env)
        print(json.dumps(results["redis_outage"]), flush=True)
    finally:
        stop(server)
        results["services_at_end"] = ensure_services()
        flush_redis()
        shutil.rmtree(workdir, ignore_errors=True)
    results["findings"] = findings(results)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = render(results)
    print(table)
    update_readme_section(begin=BEGIN, end=END, heading=SECTION_HEAD, table=table)


if __name__ == "__main__":
    main()
