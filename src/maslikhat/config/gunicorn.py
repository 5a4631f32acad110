"""gunicorn settings for production (`maslikhat serve --production`, deploy/gunicorn.conf.py).

Every value can be overridden from the environment (GUNICORN_*)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
# a wide jitter: workers that started together must not all restart together under load
max_requests_jitter = 1000
# The app writes its own access line (with the request id, without query strings).
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "maslikhat.config.wsgi:application"


def post_worker_init(worker: object) -> None:
    """Before a worker takes its first request, what that request would wait for: the URLconf
    imported (the API's schemas built: ~0.7 s) and, on PostgreSQL, the database connection opened
    with the Kazakh dictionary loaded (~0.1-0.65 s a connection, which every worker's first search
    paid), and find-my-deputies' index and snapshot built (~1.3 s on the real country). The
    connection then lives CONN_MAX_AGE (600 s) in the worker's thread."""
    from django.urls import get_resolver

    from maslikhat.directory import lookup
    from maslikhat.search import engines

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view and schema
    engines.warm_up()
    lookup.warm_up()
