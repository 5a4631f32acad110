"""Settings, all from the environment.

The development default needs no variable at all (SQLite under ./var, console email,
local-memory cache). `MASLIKHAT_MODE=production` turns on the production mode, which refuses
to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path.cwd()

env = environ.Env()

MODE = env.str("MASLIKHAT_MODE", default="development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured("MASLIKHAT_MODE must be 'development' or 'production'")
PRODUCTION = MODE == "production"

VAR_DIR = Path(env.str("MASLIKHAT_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET_KEY = "dev-insecure-maslikhat-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("Production mode needs a real SECRET_KEY (at least 32 characters).")

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production mode needs ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "maslikhat.config.admin_site.MaslikhatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # web first: its templates override allauth's layout.
    "maslikhat.web",
    "ninja",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "maslikhat.core",
    "maslikhat.directory",
    "maslikhat.appeals",
    "maslikhat.council",
    "maslikhat.news",
    "maslikhat.proceedings",
    "maslikhat.participation",
    "maslikhat.deputies",
    "maslikhat.notifications",
    "maslikhat.scorecard",
    "maslikhat.demo",
]

MIDDLEWARE = [
    # first: every log line of the request carries its id; a lost database answers 503
    "maslikhat.core.middleware.RequestIdMiddleware",
    "maslikhat.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maslikhat.core.dbrouting.ReplicaReadsMiddleware",  # after the session: a session reads the primary
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "maslikhat.core.request_limits.RequestLimitsMiddleware",  # 413/400 before any view reads the body
    "allauth.account.middleware.AccountMiddleware",
    "maslikhat.core.middleware.StaffSecondFactorMiddleware",
    "maslikhat.core.calendar.OverridesPerRequestMiddleware",  # one override read per request
]

ROOT_URLCONF = "maslikhat.config.urls"
WSGI_APPLICATION = "maslikhat.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maslikhat.web.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked":
    # - WAL: readers work while a write is in progress (and a write never waits for readers);
    # - IMMEDIATE: every transaction takes the write lock when it begins. A DEFERRED one that
    #   read first and writes later cannot wait for the lock (SQLite answers SQLITE_BUSY at
    #   once, since its snapshot is stale), which made 25 of 40 simultaneous submissions fail;
    # - timeout: the busy timeout (seconds) a writer waits for the lock (below gunicorn's 30 s).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A worker keeps its connection (bench/sqlite: appeals 98-104/s -> 161-222/s at 8-64
    # connections): opening one per request costs the open, the PRAGMAs and a WAL check.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
else:
    # Connections kept ten minutes: a new one costs the connect and, at its first search, the
    # Kazakh dictionary (~0.65 s; loaded before a gunicorn worker's first request), and
    # CONN_HEALTH_CHECKS replaces one that broke in between.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A PostgreSQL streaming replica for anonymous reads (maslikhat.core.dbrouting): writes, signed-in
# sessions and a browser's reads for REPLICA_PIN_SECONDS after its own write use the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=5)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].update(
        {
            "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
            "CONN_HEALTH_CHECKS": True,
            "ATOMIC_REQUESTS": False,
            # the test run reads its one test database through both aliases
            "TEST": {"MIRROR": "default"},
        }
    )
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "REPLICA_CONNECT_TIMEOUT", default=2
    )
DATABASE_ROUTERS = ["maslikhat.core.dbrouting.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional" if not PRODUCTION else "mandatory"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# allauth asks the client address (for its per-address limits) from our adapter: see core/client.py.
ACCOUNT_ADAPTER = "maslikhat.core.accounts.AccountAdapter"
# Proxies in front of the app that append to X-Forwarded-For (0: trust only REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Staff (anyone who reaches the back office, the inbox or the council's work pages) must use a
# TOTP second factor; on by default in production.
STAFF_SECOND_FACTOR_REQUIRED = env.bool("STAFF_SECOND_FACTOR_REQUIRED", default=PRODUCTION)
# Who must use it: one function of the roles from memberships (not `is_staff`).
STAFF_SECOND_FACTOR_POLICY = "maslikhat.directory.permissions.needs_second_factor"
# Staff pages (URL names, fnmatch patterns): every page that shows or changes something only a
# role may. tests/hostile/test_authorization.py classifies every URL pattern against this list.
STAFF_PAGES = (
    "admin:*",
    "appeals:inbox",
    "appeals:bulk_assign",
    "appeals:staff_*",
    "appeals:attachment",  # staff open an appeal's files without its tracking token
    "council:mine",
    "council:meeting",  # council staff see draft meetings
    "council:meeting_new",
    "council:meeting_act",
    "council:report_file",
    "council:proposal_new",
    "council:proposal_document",
    "council:proposal_act",
    "news:detail",  # staff see their body's drafts
    "news:newsroom",
    "news:create",
    "news:edit",
    "news:publish",
    "news:withdraw",
    "proceedings:sessions",  # staff see planned sessions
    "proceedings:session",
    "proceedings:session_act",
    "proceedings:draft",  # staff see drafts in preparation
    "proceedings:comment",
    "proceedings:comment_act",
    "proceedings:results",
    "participation:initiative",  # staff see initiatives before moderation
    "participation:initiative_act",
    "participation:process_act",
    "deputies:office",  # who booked a deputy's receptions
    "deputies:office_act",
    "deputies:slot_office",
    "deputies:slot_act",
    "deputies:question_appeal",
    "deputies:akim_office",  # the apparatus puts akims' meetings on the area calendar
    "deputies:akim_office_act",
    "proceedings:commission",  # staff see the planning form
    "proceedings:commission_meeting_new",
    "proceedings:commission_meeting",
    "proceedings:commission_meeting_act",
    "proceedings:hearing_new",
    "proceedings:hearing",  # staff see the record and cancel forms
    "proceedings:hearing_act",
    "participation:staff_verify",  # staff record an identity document seen
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maslikhat"

# Redis, when configured, holds the cache (look-up answers, maps, rate-limit counters) and the
# sessions (cached_db: written through to the database, so a Redis outage loses no session) and
# is Celery's broker. Its failures are ignored by the cache: the site degrades, it does not fail.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "maslikhat.cache"
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (emails, reminders, digests, rollups). With a broker, Celery workers run it;
# without one (the embedded default), jobs run in-process right after the commit.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request never waits long for a broker that is down: it runs the job in-process instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_BEAT_SCHEDULE = {
    "appeal-reminders": {"task": "maslikhat.job", "schedule": 3600.0, "args": ["appeals.reminders"]},
    "daily-digests": {"task": "maslikhat.job", "schedule": 3600.0, "args": ["notifications.daily_digests"]},
    "weekly-digests": {"task": "maslikhat.job", "schedule": 3600.0, "args": ["notifications.weekly_digests"]},
    "scorecard-overdue": {"task": "maslikhat.job", "schedule": 300.0, "args": ["scorecard.refresh_overdue"]},
    "reception-reminders": {"task": "maslikhat.job", "schedule": 3600.0, "args": ["deputies.remind"]},
}

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["maslikhat.core.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Files that are never served publicly (appeal attachments): sent only through permission checks.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "maslikhat.core.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Several app servers share their media through an S3-compatible store (django-storages, the
# `s3` extra): public media in one bucket, private files (appeal attachments) in another that is
# never public; both read only with the app's credentials.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    _s3 = {
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default=""),
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=""),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "bucket_name": env.str("S3_MEDIA_BUCKET"), "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "bucket_name": env.str("S3_PRIVATE_BUCKET"), "default_acl": "private"},
    }
# Outside production (the demo serves with DEBUG off) whitenoise serves the assets straight from
# the apps' static folders, found once when a worker starts: nothing to collect, no copy that
# goes stale after a code change, and a second `make demo` starts at once. Production collects
# them (`serve --production`: hashed, compressed, cached for a year) and reads only STATIC_ROOT.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=not PRODUCTION)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Maslikhat <noreply@localhost>")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): only the site's own scripts, styles,
# fonts and connections; no inline script, style element or style attribute anywhere (they
# live in static files). Images may also be data: URIs (the TOTP QR code). The API's Swagger
# page alone allows inline styles (maslikhat.api.urls: its React UI sets style attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Logs: one JSON object per line in production (LOG_FORMAT=json), plain text otherwise; every
# line carries the request id. No personal data: paths without query strings, user ids only.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maslikhat.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "maslikhat.core.logging.JsonFormatter"},
        "text": {
            "()": "maslikhat.core.logging.TextFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # the access log line is written by RequestIdMiddleware; Django's own 4xx lines repeat it
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Appeal submissions ACCEPTED per client per hour (pages and API; typos don't count), and
# submission attempts per client per hour (never below the first): see appeals/limits.py.
APPEAL_SUBMIT_LIMIT_PER_HOUR = env.int("APPEAL_SUBMIT_LIMIT_PER_HOUR", default=10)
APPEAL_ATTEMPT_LIMIT_PER_HOUR = env.int("APPEAL_ATTEMPT_LIMIT_PER_HOUR", default=60)

# The port `make demo` / `make serve` listen on, and the public address of the site for links
# in emails (by default this machine at that port: `PORT=8080 make demo` links to :8080).
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
# The gunicorn settings `maslikhat serve --production` and `maslikhat demo-serve` start with.
GUNICORN_CONFIG = "python:maslikhat.config.gunicorn"

# How often (seconds) a process checks whether boundaries changed and its look-up index is stale.
LOOKUP_INDEX_CHECK_SECONDS = env.float("LOOKUP_INDEX_CHECK_SECONDS", default=5.0)

# participation: the daily close (support periods, budget phases, overdue answers); idempotent
CELERY_BEAT_SCHEDULE["participation-close-day"] = {
    "task": "maslikhat.job",
    "schedule": 3600.0,
    "args": ["participation.close_day"],
}

# accounts (A): allauth's forms with our labels, its messages and errors from our adapters (our
# catalogue has every text the account pages show); see core/account_forms.py, core/accounts.py.
ACCOUNT_FORMS = {
    name: f"maslikhat.core.account_forms.{cls}"
    for name, cls in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
MFA_ADAPTER = "maslikhat.core.accounts.MFAAdapter"
# Tracking links emailed again (appeals/links.py): requests per client per hour.
APPEAL_LINKS_LIMIT_PER_HOUR = env.int("APPEAL_LINKS_LIMIT_PER_HOUR", default=5)

# The public page cache (maslikhat.core.pagecache): anonymous visitors' pages, per path, language
# and query, invalidated when a family of objects they show is written. Its own cache alias, so
# clearing it (tests) touches nothing else. PAGE_CACHE_SECONDS bounds what moves with the clock.
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
_PC_FIGURES: tuple[str, ...] = ("directory", "appeals-public", "council", "proceedings", "participation")
_PC_FIGURES += ("deputies", "scorecard")
_PC_ALL = (*_PC_FIGURES, "news")
# URL name -> the families its page shows (the one table; a page not named here is never cached).
PAGE_CACHE_FAMILIES: dict[str, tuple[str, ...]] = {
    "web:home": _PC_ALL,
    "directory:bodies": ("directory",),
    "directory:body": _PC_ALL,
    "directory:area": _PC_ALL,
    "directory:person": _PC_ALL,
    **{f"scorecard:{n}": _PC_FIGURES for n in ("index", "region", "body", "csv", "xlsx", "pdf")},
    **{
        f"news:{n}": ("directory", "news")
        for n in ("index", "feed", "detail", "body", "body_feed", "area", "area_feed", "tag", "tag_feed")
    },
    **{
        f"council:{n}": ("directory", "council")
        for n in ("index", "meeting", "proposals", "proposal", "recommendations", "recommendation")
    },
    **{
        f"proceedings:{n}": ("directory", "proceedings")
        for n in (
            "sessions",
            "session",
            "decision",
            "draft",
            "register",
            "register_csv",
            "decisions_feed",
            "drafts_feed",
            "commission",
            "commission_meeting",
            "hearing",
            "body_calendar",
            "session_calendar",
            "commission_calendar",
        )
    },
    **{
        f"participation:{n}": ("directory", "proceedings", "participation")
        for n in ("index", "initiative", "process", "implementation", "feed", "results_csv")
    },
    **{
        f"deputies:{n}": ("directory", "proceedings", "deputies")
        for n in ("deputy", "inquiry", "feed", "ical", "slot_ical") + ("area_calendar", "area_calendar_ical")
    },
    **{
        f"api:{n}": ("directory",)
        for n in ("areas", "area_detail", "bodies", "body_detail", "people", "person_detail", "export_popolo")
    },
    "api:appeal_kinds": ("appeals-public",),
    "api:appeal_topics": ("appeals-public",),
    "api:appeal_stats": ("directory", "appeals-public"),
    **{
        f"api:{n}": ("directory", "council")
        for n in ("meetings", "meeting_detail", "proposals", "proposal_detail")
        + ("recommendations", "recommendation_detail")
    },
    **{f"api:{n}": _PC_FIGURES for n in ("scorecard", "scorecard_csv", "definitions")},
    "api:news": ("directory", "news"),
    "api:news_detail": ("directory", "news"),
    **{
        f"api:proceedings_{n}": ("directory", "proceedings")
        for n in (
            "sessions",
            "session",
            "agenda",
            "agenda_item",
            "decisions",
            "decision",
            "drafts",
            "draft",
            "draft_versions",
            "comments",
            "votes",
            "vote",
        )
    },
    **{
        f"api:participation_{n}": ("directory", "proceedings", "participation")
        for n in ("processes", "process", "results", "initiatives", "initiative")
        + ("implementations", "implementation")
    },
    **{
        f"api:deputy_{n}": ("directory", "proceedings", "deputies")
        for n in ("schedules", "slots", "receptions", "reports", "inquiries")
    },
}
INSTALLED_APPS.append("maslikhat.core.pagecache.PageCacheConfig")  # connects every app's pagecache.py
# after authentication (a hit skips the view, not the security headers); compression and 304s
# outermost but inside the request id (BREACH: see pagecache.SafeGZipMiddleware)
MIDDLEWARE.insert(
    MIDDLEWARE.index("maslikhat.core.middleware.StaffSecondFactorMiddleware") + 1,
    "maslikhat.core.pagecache.PageCacheMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
    "maslikhat.core.pagecache.SafeGZipMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
    "django.middleware.http.ConditionalGetMiddleware",
)
# The appeals' follow-up questions (appeals.followup): daily (idempotent, so a re-run is harmless).
CELERY_BEAT_SCHEDULE["appeal-followups"] = {
    "task": "maslikhat.job",
    "schedule": 86400.0,
    "args": ["appeals.followups"],
}

# Public search (issue 16): appended last, so every app has registered its models first.
INSTALLED_APPS += ["maslikhat.search"]  # saved searches ride in the follows' digests
