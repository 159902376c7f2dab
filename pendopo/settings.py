"""Pendopo settings, read from environment variables with safe local defaults.

Every variable is documented in README.md and `.env.example`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pendopo.lib.env import env_bool, env_int, env_list, parse_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PENDOPO_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "pendopo-insecure-local-development-key-change-me"  # noqa: S105 -- local default only, refused above when DEBUG is off

# Key for the keyed hash and the encryption of personal data (NIK, phone). Defaults to one
# derived from SECRET_KEY; set it separately in production so that rotating SECRET_KEY does
# not make stored personal data unreadable.
PENDOPO_DATA_KEY = os.environ.get("PENDOPO_DATA_KEY", "") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "pendopo.regions",
    "pendopo.workflow",
    "pendopo.catalog",
    "pendopo.worker",
    "pendopo.notifications",
    "pendopo.accounts",
    "pendopo.applications",
    "pendopo.complaints",
    "pendopo.queueing",
    "pendopo.surveys",
    "pendopo.innovations",
    "pendopo.performance",
    "pendopo.prices",
    "axes",
    "csp",
    "pendopo.setup",
    "pendopo.privacy",
    "pendopo.cooperation",
    "pendopo.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pendopo.lib.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "pendopo.lib.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "pendopo.lib.replica.ReadYourWritesMiddleware",
]

ROOT_URLCONF = "pendopo.urls"
WSGI_APPLICATION = "pendopo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'pendopo.sqlite3'}"
DATABASES = {"default": parse_database_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # On: a kept connection broken by a database restart is replaced before a request uses it, so a
    # restart fails only the requests in flight (scripts/drills/pg_restart.py, docs/worker.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_HEALTH_CHECKS", default=True)
    # Behind PgBouncer in transaction mode a server connection serves another client after each
    # transaction, so no cursor may outlive one (docs/scaling.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_TRANSACTION_POOLER", default=False)
# The same PostgreSQL server without the pooler, for the tools that need a session of their own
# (`pendopo backup` and `pendopo restore`: pg_dump and pg_restore set session parameters that a
# transaction pooler would hand on to other clients). Its host, port and credentials are used.
DATABASE_TRANSACTION_POOLER = env_bool("DATABASE_TRANSACTION_POOLER", default=False)
_direct_url = os.environ.get("DATABASE_DIRECT_URL", "")
DATABASE_DIRECT = parse_database_url(_direct_url, "DATABASE_DIRECT_URL") if _direct_url else None
# A streaming replica for the heavy reads (reports, dashboards, comparisons, public lists); writes and the
# writer's next pages stay on the primary (pendopo/lib/replica.py, docs/scaling.md). Tests read it as the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", default=15)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = parse_database_url(DATABASE_REPLICA_URL, "DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = DATABASES["default"].get("CONN_HEALTH_CHECKS", False)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pendopo.lib.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        # A fresh checkout has no var/ yet; SQLite cannot create the folder of its file.
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker write while the web server reads; IMMEDIATE makes
    # select_for_update-style transactions take the write lock up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache in each process's memory, unless REDIS_URL (redis://127.0.0.1:6379/0) names one shared by all processes
# (install the `redis` extra: `pip install pendopo[redis]`). Rate limits (survey submissions, code requests) use
# the "limits" cache, which all processes must share: Redis when set, else the database (table pendopo_cache,
# made by `pendopo migrate`), so that limits hold across gunicorn workers without Redis.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pendopo_cache"},
}

AUTH_USER_MODEL = "regions.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:start"  # each role's work (pendopo/accounts/selectors.py landing_url)
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded documents are private: stored outside the web root and served only through
# permission-checked views, never by URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pendopo <noreply@pendopo.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

PENDOPO_SMS_BACKEND = os.environ.get("PENDOPO_SMS_BACKEND", "pendopo.notifications.senders.FileSender")
PENDOPO_WHATSAPP_BACKEND = os.environ.get("PENDOPO_WHATSAPP_BACKEND", "pendopo.notifications.senders.FileSender")
# The real channels (docs/accounts.md): WhatsApp Business Cloud API and a generic HTTP SMS gateway.
PENDOPO_SENDER_TIMEOUT = env_int("PENDOPO_SENDER_TIMEOUT", default=10)
PENDOPO_WHATSAPP_API_URL = os.environ.get("PENDOPO_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
PENDOPO_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("PENDOPO_WHATSAPP_PHONE_NUMBER_ID", "")
PENDOPO_WHATSAPP_TOKEN = os.environ.get("PENDOPO_WHATSAPP_TOKEN", "")
PENDOPO_WHATSAPP_TEMPLATE = os.environ.get("PENDOPO_WHATSAPP_TEMPLATE", "")
PENDOPO_WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("PENDOPO_WHATSAPP_TEMPLATE_LANGUAGE", "id")
PENDOPO_SMS_URL = os.environ.get("PENDOPO_SMS_URL", "")
PENDOPO_SMS_METHOD = os.environ.get("PENDOPO_SMS_METHOD", "POST")
PENDOPO_SMS_FORMAT = os.environ.get("PENDOPO_SMS_FORMAT", "json")
PENDOPO_SMS_PARAMS = os.environ.get("PENDOPO_SMS_PARAMS", "")
PENDOPO_SMS_HEADERS = os.environ.get("PENDOPO_SMS_HEADERS", "")
PENDOPO_SMS_USERNAME = os.environ.get("PENDOPO_SMS_USERNAME", "")
PENDOPO_SMS_PASSWORD = os.environ.get("PENDOPO_SMS_PASSWORD", "")
PENDOPO_SMS_TOKEN = os.environ.get("PENDOPO_SMS_TOKEN", "")
PENDOPO_SMS_SENDER = os.environ.get("PENDOPO_SMS_SENDER", "")
PENDOPO_SMS_BASIC_AUTH = env_bool("PENDOPO_SMS_BASIC_AUTH", default=False)
PENDOPO_SMS_SUCCESS_PATTERN = os.environ.get("PENDOPO_SMS_SUCCESS_PATTERN", "")
PENDOPO_SMS_ID_FIELD = os.environ.get("PENDOPO_SMS_ID_FIELD", "")
# Accounts (pendopo/accounts): one-time codes and staff invitations.
PENDOPO_OTP_MINUTES = env_int("PENDOPO_OTP_MINUTES", default=5)
PENDOPO_OTP_MAX_TRIES = env_int("PENDOPO_OTP_MAX_TRIES", default=5)
PENDOPO_OTP_PER_TARGET = env_int("PENDOPO_OTP_PER_TARGET", default=3)
PENDOPO_OTP_WINDOW_MINUTES = env_int("PENDOPO_OTP_WINDOW_MINUTES", default=15)
PENDOPO_OTP_PER_CLIENT = env_int("PENDOPO_OTP_PER_CLIENT", default=20)
PENDOPO_INVITATION_DAYS = env_int("PENDOPO_INVITATION_DAYS", default=7)

# Django's database sessions; with REDIS_URL, read through the shared cache (cached_db).
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if os.environ.get("REDIS_URL") else "db")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less header set in base.html
CSRF_FAILURE_VIEW = "pendopo.views.csrf_failure"  # the site's own page in the user's language (templates/403_csrf.html)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000)  # sent on HTTPS requests only

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "pendopo.lib.logs.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO; only their problems matter.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Demo password for `pendopo demo`; refused when DEBUG is off.
PENDOPO_DEMO_PASSWORD = os.environ.get("PENDOPO_DEMO_PASSWORD", "pendopo-demo")

NINJA_PAGINATION_PER_PAGE = 20

# --- Pendopo's own settings (each documented in README.md and .env.example) -------------------
# Public address of the site, for absolute links in emails, messages, receipts and QR codes.
PENDOPO_BASE_URL = os.environ.get("PENDOPO_BASE_URL", "http://127.0.0.1:8000")
# Largest uploaded application document and complaint photo, in KiB.
PENDOPO_UPLOAD_MAX_KB = env_int("PENDOPO_UPLOAD_MAX_KB", default=5120)
PENDOPO_COMPLAINT_PHOTO_MAX_KB = env_int("PENDOPO_COMPLAINT_PHOTO_MAX_KB", default=5120)
PENDOPO_COMPLAINT_MAX_PHOTOS = env_int("PENDOPO_COMPLAINT_MAX_PHOTOS", default=5)
# Largest image (document or photo) by its pixels, checked from its header before decoding.
PENDOPO_IMAGE_MAX_PIXELS = env_int("PENDOPO_IMAGE_MAX_PIXELS", default=40_000_000)
# Where the development SMS/WhatsApp sender writes its messages.
PENDOPO_OUTBOX_DIR = Path(os.environ.get("PENDOPO_OUTBOX_DIR", VAR_DIR / "outbox"))
PENDOPO_NOTIFICATIONS_MAX_ATTEMPTS = env_int("PENDOPO_NOTIFICATIONS_MAX_ATTEMPTS", default=6)
# The lease of a message being sent: a row 'sending' longer than this is taken back by the sweep
# (its worker died) and sent again with the same idempotency key; the sweep runs every SWEEP seconds.
PENDOPO_NOTIFICATIONS_LEASE_SECONDS = env_int("PENDOPO_NOTIFICATIONS_LEASE_SECONDS", default=60)
PENDOPO_NOTIFICATIONS_SWEEP_SECONDS = env_int("PENDOPO_NOTIFICATIONS_SWEEP_SECONDS", default=30)
# A background task left RUNNING longer than this by a worker that died is put back in the queue
# (worker.requeue_abandoned_tasks, pendopo/worker/recovery.py); keep it above the longest task.
PENDOPO_WORKER_TASK_LEASE_SECONDS = env_int("PENDOPO_WORKER_TASK_LEASE_SECONDS", default=600)
PENDOPO_WORKER_RECOVERY_SECONDS = env_int("PENDOPO_WORKER_RECOVERY_SECONDS", default=60)
# Open311 discovery: contact line and endpoint type (production or test).
PENDOPO_OPEN311_CONTACT = os.environ.get("PENDOPO_OPEN311_CONTACT", "")
PENDOPO_OPEN311_ENDPOINT_TYPE = os.environ.get("PENDOPO_OPEN311_ENDPOINT_TYPE", "production")
# Reverse proxies in front of the web server (nginx: 1); only then is X-Forwarded-For trusted for rate limits.
NINJA_NUM_PROXIES = env_int("PENDOPO_NUM_PROXIES", default=0) or None
# A survey kiosk clears a form nobody has touched for this long.
PENDOPO_KIOSK_IDLE_SECONDS = env_int("PENDOPO_KIOSK_IDLE_SECONDS", default=180)
# The service mall queue (docs/queueing.md): days ahead a visit may be booked, the check-in window around a session.
PENDOPO_QUEUE_BOOKING_DAYS = env_int("PENDOPO_QUEUE_BOOKING_DAYS", default=7)
PENDOPO_QUEUE_CHECKIN_OPEN_MINUTES = env_int("PENDOPO_QUEUE_CHECKIN_OPEN_MINUTES", default=15)
PENDOPO_QUEUE_CHECKIN_GRACE_MINUTES = env_int("PENDOPO_QUEUE_CHECKIN_GRACE_MINUTES", default=15)

# --- Security (docs/security.md) -----------------------------------------------------------------
# Wrong passwords and codes: django-axes locks the account (from any address) and the address (for
# any account) after AXES_FAILURE_LIMIT failures, for PENDOPO_LOCKOUT_MINUTES (pendopo/accounts/lockout.py).
AUTHENTICATION_BACKENDS = ["pendopo.accounts.lockout.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("PENDOPO_LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("PENDOPO_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not axes' business: it keeps only failures
AXES_USERNAME_CALLABLE = "pendopo.accounts.lockout.username"
AXES_CLIENT_IP_CALLABLE = "pendopo.lib.clients.client_address"
AXES_LOCKOUT_CALLABLE = "pendopo.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# HTTPS: with DEBUG off, HSTS for a year on every HTTPS response (SECURE_HSTS_SECONDS above; 0 switches it off).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): only the site's own scripts, styles, images and fonts; no inline
# script, no frames, no plug-ins. Pages' scripts are static files (pendopo/static/js/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style="" attributes of server-rendered SVG charts
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# Browser features no page needs are switched off; the map and the kiosk ask for none either.
PENDOPO_PERMISSIONS_POLICY = os.environ.get(
    "PENDOPO_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=()",
)
# SAKIP (docs/performance.md): below this achievement (%) an indicator is at risk; the heads' weekly digest
# goes out on this weekday (0 = Monday, -1: never) from this hour, local time.
PENDOPO_SAKIP_AT_RISK_BELOW = env_int("PENDOPO_SAKIP_AT_RISK_BELOW", default=90)
PENDOPO_SAKIP_DIGEST_WEEKDAY = env_int("PENDOPO_SAKIP_DIGEST_WEEKDAY", default=0)
PENDOPO_SAKIP_DIGEST_HOUR = env_int("PENDOPO_SAKIP_DIGEST_HOUR", default=7)
# Cooperation (docs/cooperation.md): evaluations an agreement needs per budget year, days before its end to remind.
PENDOPO_COOPERATION_EVALUATIONS_PER_YEAR = env_int("PENDOPO_COOPERATION_EVALUATIONS_PER_YEAR", default=2)
PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS = env_int("PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS", default=90)
PENDOPO_COOPERATION_REMINDER_HOUR = env_int("PENDOPO_COOPERATION_REMINDER_HOUR", default=7)
# Regions compared (docs/insights.md): a figure from fewer cases or answers than this is marked as a small sample.
PENDOPO_INSIGHTS_MIN_SAMPLE = env_int("PENDOPO_INSIGHTS_MIN_SAMPLE", default=30)
# The complaint map's base map (docs/complaints.md): a tile URL template and its attribution; empty: no tiles.
PENDOPO_MAP_TILE_URL = os.environ.get("PENDOPO_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
PENDOPO_MAP_ATTRIBUTION = os.environ.get("PENDOPO_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
# The same survey answers again from one device within this many minutes are held for review (docs/surveys.md).
PENDOPO_SURVEY_REPEAT_MINUTES = env_int("PENDOPO_SURVEY_REPEAT_MINUTES", default=10)
