"""bench/http/profile_hits.py: the server CPU of one request of each public page and API list,
in-process through the benchmark's WSGI application (bench/http/wsgi.py: the full middleware
stack, no network, no load generator), against the database bench/http/run.py loads.

On a shared machine the HTTP figures swing with the other load; the CPU time a request costs the
server process (`time.process_time`, median of BENCH_REPEAT requests) does much less. Each page
is asked for once first (stored in the page cache), then measured as an anonymous visitor
(a hit) and, for the body page, with a session cookie (never from the page cache: a render with
its fragments kept). The ratio hello CPU / page CPU estimates the share of hello's requests/s a
page can reach when the server's CPU is the limit. Redis and PostgreSQL CPU are not counted
(a hit reads one small key).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_http")
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
PAGES = {
    "home": "/en/",
    "bodies_page": "/en/bodies/",
    "area_page": "/en/areas/KZ-71/",
    "news_page": "/en/news/",
    "news_feed": "/en/news/feed/",
    "council_page": "/en/council/",
    "scorecard_page": "/en/scorecard/",
    "scorecard_csv": "/en/scorecard/scorecard.csv",
    "api_bodies": "/api/v1/bodies",
    "api_news": "/api/v1/news",
    "api_meetings": "/api/v1/council/meetings",
    "api_sessions": "/api/v1/proceedings/sessions",
    "api_processes": "/api/v1/participation/processes",
    "areas": "/api/v1/areas",
    "scorecard_api": "/api/v1/scorecard?period=2026",
}


def main() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
            "DATABASE_URL": DB_URL,
            "DEBUG": "false",
            "PAGE_CACHE_ENABLED": "true",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
            "LOG_LEVEL": "WARNING",
        }
    )
    from bench.http.wsgi import application
    from maslikhat.directory.models import Organization

    def call(path: str, cookie: str = "") -> tuple[str, dict[str, str], bytes]:
        route, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        out: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
            out["status"], out["headers"] = status, dict(headers)

        body = b"".join(application(environ, start_response))
        return out["status"], out["headers"], body

    def cpu_ms(path: str, cookie: str = "", repeat: int = REPEAT) -> tuple[float, str]:
        status, headers, _ = call(path, cookie)
        assert status.startswith("200"), (path, status)
        samples = []
        for _ in range(repeat):
            started = time.process_time()
            _, headers, _ = call(path, cookie)
            samples.append((time.process_time() - started) * 1000)
        return statistics.median(samples), headers.get("X-Page-Cache", "")

    body = Organization.objects.filter(kind__endswith="maslikhat").order_by("id").first()
    assert body is not None
    pages = {**PAGES, "body_page": f"/en/bodies/{body.pk}/"}
    load = round(os.getloadavg()[0], 2)
    hello, _ = cpu_ms("/bench-hello", repeat=REPEAT * 2)
    rows = {}
    for name, path in pages.items():
        ms, cache = cpu_ms(path)
        rows[name] = {
            "path": path,
            "cpu_ms": round(ms, 3),
            "page_cache": cache,
            "ratio": round(hello / ms, 3),
        }
    uncached, _ = cpu_ms(f"/en/bodies/{body.pk}/", cookie="sessionid=bench-uncached", repeat=REPEAT // 4)
    rows["body_page_uncached"] = {
        "path": f"/en/bodies/{body.pk}/ (session cookie)",
        "cpu_ms": round(uncached, 3),
        "page_cache": "",
        "ratio": round(hello / uncached, 3),
    }
    hello_again, _ = cpu_ms("/bench-hello", repeat=REPEAT * 2)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_1m_start": load,
        "hello_cpu_ms": [round(hello, 3), round(hello_again, 3)],
        "pages": rows,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
