"""Django settings. Configuration comes from the environment (README: Configuration):

HONGNIANG_ENV  production | demo | local. The web server entry point (hongniang.wsgi) defaults to production;
               `make demo` sets demo; manage.py, the tests and anything else default to local.
               Production refuses to start without SECRET_KEY and a separate FIELD_KEY, and sends cookies
               over HTTPS only. Demo and local keep generated keys in var/ (never a published constant).
DEBUG          off unless DEBUG=1 (development only; refused in production)
DATABASE_URL   unset → embedded SQLite in var/hongniang.sqlite3; postgres://user@host:5432/db in production
SECRET_KEY     signs sessions, CSRF tokens, check-in links and keyed hashes of throttle counters and codes
FIELD_KEY      encrypts ID numbers and keys their look-up hashes; FIELD_KEY_PREVIOUS (comma-separated) are
               older keys still read during a rotation: `manage.py reencrypt_fields --wet-run` moves every
               row onto FIELD_KEY (docs/security.md)
ALLOWED_HOSTS  comma-separated host names
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HONGNIANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

HONGNIANG_ENV = os.environ.get("HONGNIANG_ENV", "local").strip().lower() or "local"
if HONGNIANG_ENV not in ("production", "demo", "local"):
    raise ImproperlyConfigured(f"HONGNIANG_ENV must be production, demo or local, not {HONGNIANG_ENV!r}")
PRODUCTION = HONGNIANG_ENV == "production"
DEBUG = os.environ.get("DEBUG", "0") == "1"
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG=1 is for development only: it shows tracebacks and settings to visitors")

# Demo databases made before keys were generated used this published key; it is only ever read (never used
# to encrypt) outside production, so `manage.py reencrypt_fields --wet-run` can move those rows to the new key.
_LEGACY_DEMO_FIELD_KEY = "field:dev-only-insecure-key-hongniang-demo"


def _kept_key(name: str) -> str:
    """A random key generated once and kept in var/<name> (mode 600), for the demo and local runs."""
    path = VAR_DIR / name
    if not path.exists():
        tmp = VAR_DIR / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)  # atomic, and never overwrites a key another process wrote first
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
FIELD_KEY = os.environ.get("FIELD_KEY", "").strip()
FIELD_KEY_PREVIOUS = [k.strip() for k in os.environ.get("FIELD_KEY_PREVIOUS", "").split(",") if k.strip()]
if PRODUCTION:
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("production needs SECRET_KEY (at least 32 random characters)")
    if len(FIELD_KEY) < 32:
        raise ImproperlyConfigured("production needs FIELD_KEY (at least 32 random characters), the key that "
                                   "encrypts ID numbers: keep it stable, secret and backed up")
    if FIELD_KEY == SECRET_KEY:
        raise ImproperlyConfigured("FIELD_KEY must differ from SECRET_KEY")
else:
    SECRET_KEY = SECRET_KEY or _kept_key("secret_key")
    FIELD_KEY = FIELD_KEY or _kept_key("field_key")
    if _LEGACY_DEMO_FIELD_KEY not in FIELD_KEY_PREVIOUS:
        FIELD_KEY_PREVIOUS.append(_LEGACY_DEMO_FIELD_KEY)
FIELD_KEYS = [FIELD_KEY, *[k for k in FIELD_KEY_PREVIOUS if k != FIELD_KEY]]

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "hongniang.core",
    "hongniang.geo",
    "hongniang.catalog",
    "hongniang.employers",
    "hongniang.jobs",
    "hongniang.seekers",
    "hongniang.applications",
    "hongniang.gigs",
    "hongniang.search",
    "hongniang.recommend",
    "hongniang.outreach",
    "hongniang.moderation",
    "hongniang.events",
    "hongniang.live",
    "hongniang.workshops",
    "hongniang.notifications",
    "hongniang.siting",
    "hongniang.dashboards",
    "hongniang.flows",
    "hongniang.demo",
]

MIDDLEWARE = [
    "hongniang.core.metrics.RequestMetricsMiddleware",  # first: every request counted, cached and static ones too
    # text answers gzipped (30-60 kB pages -> 8-12 kB on a phone's slow network), never where BREACH could read them
    "hongniang.core.compression.PageGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hongniang.core.middleware.SecurityHeadersMiddleware",
    "hongniang.core.middleware.InputEdgeMiddleware",  # 413 for big bodies, deep JSON, control characters
    "hongniang.live.middleware.LiveFastPathMiddleware",  # a stream's crowd: the cached page and counter, early
    # anonymous public pages cached per URL: a hit is answered here (with the visitor's own CSRF cookie and token),
    # before the session, locale, CSRF and auth middleware; a miss is kept on its way out through them
    "hongniang.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "hongniang.core.middleware.ApiCsrfMiddleware",
    "hongniang.core.viewer.AuthenticationMiddleware",  # Django's, with the user kept per process (issue 20)
    "hongniang.core.middleware.PrivateAnswersMiddleware",  # a logged-in person's answers: private; logout clears
    "django.contrib.messages.middleware.MessageMiddleware",
    "hongniang.core.dbrouter.PublicReadsMiddleware",  # anonymous public pages read from the replica, if any
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hongniang.core.middleware.DomainErrorMiddleware",
    "hongniang.core.middleware.DatabaseUnavailableMiddleware",  # OperationalError/InterfaceError -> 503
]

# Request bodies (core.middleware.InputEdgeMiddleware answers 413 above these, before reading): a JSON or form
# body, and a multipart upload (the Excel imports take files up to 15 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_BODY_BYTES = 16 * 1024 * 1024

ROOT_URLCONF = "hongniang.urls"
WSGI_APPLICATION = "hongniang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hongniang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hongniang.core.context.roles",
                "hongniang.notifications.context.notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'hongniang.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are kept too (CONN_MAX_AGE, as for PostgreSQL; issue 20): opening one per request, with its
    # PRAGMAs, was a seventh of a logged-in request's CPU. Between requests a kept connection holds no transaction
    # (autocommit), so it blocks neither writers nor WAL checkpoints.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
# A streaming read replica for the anonymous public pages (docs/deployment.md; hongniang.core.dbrouter). In the
# tests it mirrors the default database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"],
                                                 conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["hongniang.core.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hongniang" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "hongniang" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Static files (docs/deployment.md, "Static files"). Production and the demo serve what `manage.py collectstatic`
# wrote to STATIC_ROOT: names with a hash of their content, a gzip copy beside each, answered gzipped to browsers
# that accept it and cached by them for good (hongniang.core.staticfiles). Local runs and the tests use the source
# folders as they are. In all cases WhiteNoise also serves the source folders under the plain names (the finders):
# a file collectstatic has not seen yet is still served, fresh and uncompressed.
STATIC_COLLECTED = HONGNIANG_ENV in ("production", "demo")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "hongniang.core.staticfiles.CollectedStaticStorage" if STATIC_COLLECTED
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Sessions and cookies: HttpOnly everywhere; Secure in production (served over HTTPS).
SESSION_ENGINE = "hongniang.core.sessions"  # database sessions, read with one plain statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "hongniang.web.errors.csrf_failure"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Platform rules (Jiangxi class 3, Ruijin, from 2021-04-01; see data/NOTICE.md).
MINIMUM_WAGE_MONTHLY = int(os.environ.get("MINIMUM_WAGE_MONTHLY", "1610"))
MINIMUM_WAGE_HOURLY = os.environ.get("MINIMUM_WAGE_HOURLY", "16.1")
DEFAULT_COUNTY_CODE = os.environ.get("COUNTY_CODE", "360781000000")
POSTING_VALID_DAYS = int(os.environ.get("POSTING_VALID_DAYS", "30"))

# Background work: django-tasks with the database backend (no broker; workers on any machine claim tasks
# from the shared database). Run workers with `manage.py db_worker`. Tests use the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# SMS: a class with send(phone, body); the default logs with the phone number masked.
SMS_SENDER = os.environ.get("SMS_SENDER", "hongniang.notifications.senders.ConsoleSender")

# The reverse proxies whose X-Forwarded-For hops are believed (addresses or networks, comma-separated), e.g.
# "127.0.0.1,10.0.0.0/8". Empty: REMOTE_ADDR is the client (no proxy). See hongniang.core.throttle.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

# Login throttling within the window: LOGIN_MAX_FAILURES failures for one account from one address → that
# address may not try that account; more failures per account (from all addresses) or per address (across
# accounts) → refused. hongniang.core.throttle explains why three counters.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "20"))
LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))

# Logs never carry personal data: a filter masks 11-digit phone numbers and 18-character ID numbers, and the JSON
# formatter (LOG_FORMAT=json, the default; "text" for plain lines) masks each finished line again. gunicorn's
# error and access logs use the same formatter (gunicorn.conf.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "hongniang.core.logging.MaskPersonalDataFilter"}},
    "formatters": {"json": {"()": "hongniang.core.logging.JsonFormatter"},
                   "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"],
                             "formatter": "text" if LOG_FORMAT == "text" else "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Caches: this process's memory. "pages" holds whole public pages for anonymous visitors (hongniang.core.pagecache:
# PAGE_CACHE_SECONDS, 0 turns it off; a write bumps a generation in the database that every process reads at most
# every PAGE_CACHE_POLL_SECONDS), "fragments" the parts that are the same for everyone (job cards, facet counts).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))
PAGE_CACHE_POLL_SECONDS = float(os.environ.get("PAGE_CACHE_POLL_SECONDS", "1"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "hongniang.core.pagecache.ObjectCache", "LOCATION": "pages",
              "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "600"))}},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                  "OPTIONS": {"MAX_ENTRIES": 20000}},
}
# The logged-in visitor's user, seeker, memberships and unread count, kept per process and checked against a
# per-user generation in the database on each request (hongniang.core.viewer). VIEWER_CACHE=0 turns it off.
VIEWER_CACHE = os.environ.get("VIEWER_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")
# Widgets written in Python, as Django's templates write them (a <select> of 30 options cost ~1 ms).
FORM_RENDERER = "hongniang.core.formrender.FastRenderer"

# Operations (docs/deployment.md). /metrics answers a bearer METRICS_TOKEN, or without a token only a direct
# request from this machine (loopback, no X-Forwarded-For). /readyz fails when the oldest task ready to run has
# waited more than READYZ_MAX_TASK_AGE seconds (0: not checked).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
READYZ_MAX_TASK_AGE = int(os.environ.get("READYZ_MAX_TASK_AGE", "900"))
