"""aptrack settings: one module, driven by the environment (see .env.example).

SQLite by default; PostgreSQL when DATABASE_URL is set. DEBUG is off unless asked for, and a
production start (DEBUG off) refuses to run without a SECRET_KEY from the environment.
"""

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from aptrack.ops.errors import init_error_reporting
from aptrack.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent  # src/aptrack
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (for container secrets)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return None


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("APTRACK_TESTING", False)  # set by the test run (aptrack/pytest_plugin.py)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off "
            "(set DEBUG=true for local development)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Before django_tasks_db: its `db_worker` command adds the heartbeat /readyz reads.
    "aptrack.ops",
    "django_tasks",
    "django_tasks_db",
    "aptrack.core",
    "aptrack.organisations",
    "aptrack.accounts",
    "aptrack.audit",
    "aptrack.children",
    "aptrack.calendars",
    "aptrack.providers",
    "aptrack.returns",
    "aptrack.quality",
    "aptrack.referrals",
    "aptrack.panels",
    "aptrack.placements",
    "aptrack.attendance",
    "aptrack.alerts",
    "aptrack.documents",
    "aptrack.notifications",
    "aptrack.outcomes",
    "aptrack.oversight",
    "aptrack.improvement",
    "aptrack.census",
    "aptrack.sufficiency",
    "aptrack.notices",
    "aptrack.commissioning",
    "aptrack.reports",
    "aptrack.api",
    "aptrack.dataprotection",
    # django-ninja's own Swagger UI files, served from here: the CSP allows no CDN.
    # After aptrack.api, whose templates/ninja/swagger.html adds the CSP nonce.
    "ninja",
    "aptrack.synthetic",
]

MIDDLEWARE = [
    "aptrack.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aptrack.core.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aptrack.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "aptrack.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aptrack.config.urls"
WSGI_APPLICATION = "aptrack.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "aptrack.core.govuk.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "aptrack.core.context_processors.navigation",
            ],
        },
    },
    {
        # Django templates: the admin and the form renderer's fallbacks only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_connection_age(*, configured: str | None, debug: bool, argv: list[str]) -> int:
    """Seconds a database connection is kept between requests (CONN_MAX_AGE).

    Kept connections are one per server thread: right for gunicorn's few sync workers
    (DATABASE_CONN_MAX_AGE=60 in production), wrong for the development server, which starts a
    thread per request and would leave each one's connection idle until every connection the
    database allows is taken. So unless set, 0 (close after each request) under `runserver` or
    DEBUG, and 60 otherwise."""
    if configured:  # neither None nor ""
        if not configured.strip().isdigit():
            raise ImproperlyConfigured(
                "DATABASE_CONN_MAX_AGE must be a whole number of seconds, 0 or more"
            )
        return int(configured)
    if debug or "runserver" in argv[1:2]:
        return 0
    return 60


OWNER_COMMANDS = frozenset({"migrate", "grant-app-role", "restore"})


def database_url(*, environ: dict[str, str], argv: list[str]) -> str:
    """The database to connect to: DATABASE_URL, except that the commands that change the schema
    or grant on it connect as the owner role (MIGRATE_DATABASE_URL) when it is set. The web
    server and worker then connect as the application role, which may only read and append to
    the audit trail (see `aptrack grant-app-role`)."""
    if environ.get("MIGRATE_DATABASE_URL") and argv[1:2] and argv[1] in OWNER_COMMANDS:
        return environ["MIGRATE_DATABASE_URL"]
    return environ.get("DATABASE_URL", "")


DATABASE_URL = database_url(environ=dict(os.environ), argv=sys.argv)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=database_connection_age(
                configured=os.environ.get("DATABASE_CONN_MAX_AGE"), debug=DEBUG, argv=sys.argv
            ),
            # A kept connection the database has dropped is replaced, not handed to a request.
            conn_health_checks=True,
        )
    }
    # PostgreSQL's planner prices a random page read at 4 sequential ones by default, which
    # models spinning disks: on SSDs, or with the data in memory as it is here, it scans whole
    # tables (every referral, every child) to answer a dashboard about one LA's few thousand
    # placements by hash join, where index lookups take a third of the time. 1.1 is the value
    # PostgreSQL's documentation suggests for SSDs; PG_RANDOM_PAGE_COST="" keeps the server's.
    _page_cost = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _page_cost:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} -c random_page_cost={float(_page_cost)}".strip()
        )
    # PostgreSQL's JIT compiler starts when a plan's estimated cost passes jit_above_cost, and
    # aptrack's scoping queries (an OR of an LA's own children and an EXISTS over placements)
    # are estimated far dearer than they are: at national scale the children register's count
    # took 25 ms to run and 550 ms to compile. Pages are short queries, so it is off unless
    # PG_JIT=on ("" keeps the server's setting).
    _jit = os.environ.get("PG_JIT", "off")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _jit:
        if _jit not in {"on", "off"}:
            raise ImproperlyConfigured(f"PG_JIT must be on, off or empty, not {_jit!r}")
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit={_jit}".strip()
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and TESTING:
        # A test database is thrown away: its commits need not wait for the disk. Each commit
        # (every migration, every transactional test) otherwise waits for a WAL flush, which on
        # a busy shared disk is most of the PostgreSQL run's extra time over SQLite's.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
else:
    SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", PROJECT_DIR / "var" / "aptrack.sqlite3"))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
                # The web server and the task worker share the file: wait for a lock, not fail.
                "timeout": 20,
            },
        }
    }


def cache_from_url(url: str) -> dict[str, str]:
    """A Django cache from ``CACHE_URL``: ``redis://host:port/db`` (or ``rediss://``) Redis,
    ``db://table`` a table in the database (`migrate` makes it), ``locmem://``
    this process's memory."""
    scheme, _, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "aptrack",
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must start redis://, rediss://, db:// or locmem://, not {url!r}"
    )


# Django's cache framework: sessions are read through it (cached_db: written to the database as
# well, so a restart signs nobody out). Every web process must see the same cache, or a
# sign-out in one would leave the session cached in another: so in production the default is a
# table in the database (`aptrack migrate` makes it), and
# CACHE_URL=redis://... is faster where there is a Redis. One process (runserver, tests) keeps
# it in memory.
CACHE_URL = os.environ.get("CACHE_URL", "" if DEBUG or TESTING else "db://aptrack_cache")
CACHES = {"default": cache_from_url(CACHE_URL or "locmem://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "aptrack.accounts.backends.UserWithOrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing strength is not under test; a fast hasher keeps persona set-up quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A second factor (TOTP, aptrack/accounts/two_factor.py) for LA managers, QA leads and analysts:
# on in production, off with DEBUG (the demo) and in tests unless a test turns it on.
APTRACK_REQUIRE_2FA = env_bool("APTRACK_REQUIRE_2FA", not DEBUG and not TESTING)
OTP_TOTP_ISSUER = "aptrack"

# Single sign-on for LA staff with the council's OpenID Connect provider (for Microsoft Entra ID:
# https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration lists the
# endpoints). On when OIDC_RP_CLIENT_ID is set; see aptrack/accounts/single_sign_on.py.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_secret("OIDC_RP_CLIENT_SECRET") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sign-in/"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("aptrack.accounts.single_sign_on.LocalAuthorityStaffBackend")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Refuse sign-in, for LOGIN_LOCKOUT_MINUTES after the last failure, to an account that failed
# LOGIN_FAILURE_LIMIT times from one address or LOGIN_ACCOUNT_FAILURE_LIMIT times from any, and
# from an address that failed on LOGIN_ADDRESS_ACCOUNT_LIMIT different accounts (password
# spraying). The rules, and the audit of every refusal, are in aptrack/accounts/lockout.py.
AXES_HANDLER = "aptrack.accounts.lockout.AccountAndAddressLockoutHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
APTRACK_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 10)
APTRACK_ADDRESS_ACCOUNT_LIMIT = env_int("LOGIN_ADDRESS_ACCOUNT_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "aptrack.accounts.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after SESSION_MINUTES idle (30 by default, as councils' security policies ask),
# and with the browser.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"  # the database, read through CACHES["default"]
)
SESSION_COOKIE_AGE = env_int("SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = (
    False  # SessionRenewalMiddleware renews a session in use, once a minute
)
APTRACK_SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [SELF, NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or PROJECT_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Files found when asked for, not all scanned when the middleware starts: a test client starts
# the middleware afresh, and scanning every static file took 29 ms each time (issue 16).
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Uploaded documents (aptrack/documents): never under a public URL; only the download view, which
# checks who may see the record, serves them. A private folder by default (under var/, not
# static or media), or an S3-compatible bucket through django-storages when DOCUMENTS_S3_BUCKET
# is set (install the `s3` extra).


def documents_storage() -> dict[str, Any]:
    """The `documents` storage the environment asks for."""
    bucket = os.environ.get("DOCUMENTS_S3_BUCKET") or ""
    if bucket:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": os.environ.get("DOCUMENTS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("DOCUMENTS_S3_REGION") or None,
                "access_key": env_secret("DOCUMENTS_S3_ACCESS_KEY_ID"),
                "secret_key": env_secret("DOCUMENTS_S3_SECRET_ACCESS_KEY"),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("DOCUMENTS_ROOT") or str(PROJECT_DIR / "var" / "documents"),
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    }


STORAGES["documents"] = documents_storage()
APTRACK_DOCUMENT_MAX_MB = env_int("DOCUMENTS_MAX_MB", 20)

# Notifications (aptrack/notifications): email through Django's mail backend (the console in
# development), or GOV.UK Notify when NOTIFY_API_KEY is set, which also sends text messages.
# Links in messages start with APTRACK_SITE_URL.
APTRACK_SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or TESTING
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "aptrack <noreply@aptrack.invalid>"
NOTIFY_API_KEY = env_secret("NOTIFY_API_KEY")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL") or "https://api.notifications.service.gov.uk"
# Notify templates: each takes ((subject)) and ((body)) (the SMS template ((body)) only).
NOTIFY_TEMPLATES = {
    "email": os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID") or "",
    "sms": os.environ.get("NOTIFY_SMS_TEMPLATE_ID") or "",
}
# A failed send is tried again after 1, 5, 25 and 125 minutes, then given up.
APTRACK_NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)

# Background work (alert checks, committee packs) through Django's task framework. The database
# backend keeps the queue in PostgreSQL/SQLite and `aptrack db_worker` runs it; tests run tasks
# as they are enqueued.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

FORM_RENDERER = "aptrack.core.govuk.forms.GovukFormRenderer"

# One JSON object per line on stderr, each with its request's id, paths without query strings
# (aptrack/ops/logs.py); one line per request from aptrack.requests.
LOGGING = logging_config(os.environ.get("LOG_LEVEL") or "WARNING")

# /readyz: ready while a task worker (`aptrack db_worker`, which beats every 30 s) has been seen
# within this many seconds; not asked when tasks run as they are enqueued (tests).
APTRACK_WORKER_SEEN_WITHIN_SECONDS = env_int("WORKER_SEEN_WITHIN_SECONDS", 180)
APTRACK_READY_NEEDS_WORKER = TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"

# Error reporting through Sentry when SENTRY_DSN is set (aptrack/ops/errors.py), without
# personal data.
SENTRY_DSN = env_secret("SENTRY_DSN")
SENTRY_ENABLED = init_error_reporting(
    dsn=SENTRY_DSN,
    environment=os.environ.get("SENTRY_ENVIRONMENT") or "production",
    release=os.environ.get("SENTRY_RELEASE") or None,
)

# aptrack's own rules that an LA may tune (domain.md marks these as practice, not law).
APTRACK_CHILDREN_PAGE_SIZE = 25
# The council's logo in the header (a URL or a path under /static/); blank shows its name only.
APTRACK_COUNCIL_LOGO = os.environ.get("APTRACK_COUNCIL_LOGO", "")
# Suitable full-time education by key stage (LGSCO: about 21 h at KS1 up to 25 h at KS4).
APTRACK_FULL_TIME_HOURS = {"KS1": 25, "KS2": 25, "KS3": 25, "KS4": 25, "KS5": 25}
# Hours a week from which a pupil counts as full-time for the independent-school registration test.
APTRACK_REGISTRATION_FULL_TIME_HOURS = env_int("REGISTRATION_FULL_TIME_HOURS", 18)
# The day section 43 of the Children's Wellbeing and Schools Act 2026 (the new s92 of the Education
# and Skills Act 2008: one full-time pupil with special educational needs is enough) comes into
# force, as YYYY-MM-DD; empty while it has not been commenced (returns/threshold.py).
APTRACK_CWSA_S92_COMMENCEMENT = os.environ.get("CWSA_S92_COMMENCEMENT", "")
# Non-school placements past this many weeks are flagged (DfE 2024 consultation: 12 weeks).
APTRACK_NON_SCHOOL_MAX_WEEKS = env_int("NON_SCHOOL_MAX_WEEKS", 12)
APTRACK_TIER_2_MAXIMUM_WEEKS = {"NON_SCHOOL": APTRACK_NON_SCHOOL_MAX_WEEKS, "REGISTERED": None}
# Days between placement reviews, by tier (at least half-termly).
APTRACK_REVIEW_CADENCE_DAYS = {1: 42, 2: 42, 3: 42}
APTRACK_ENDING_SOON_DAYS = 20
# Same-day attendance alerts: register cut-offs (Europe/London); minutes before an unresolved alert
# about a looked-after child or one on a CP plan goes to the social worker and virtual school head;
# absent sessions in a row that raise an alert; codes that leave whereabouts unknown; possible
# sessions in the year before persistent (>=10%) or severe (>=50%) absence is alerted.
APTRACK_ALERT_CUTOFFS = {"AM": "10:00", "PM": "14:00"}
APTRACK_ALERT_ESCALATE_AFTER_MINUTES = env_int("ALERT_ESCALATE_AFTER_MINUTES", 60)
APTRACK_ALERT_CONSECUTIVE_SESSIONS = env_int("ALERT_CONSECUTIVE_SESSIONS", 4)
APTRACK_ALERT_UNKNOWN_CODES = ["N", "O", "U"]
APTRACK_ALERT_MEASURE_MIN_SESSIONS = 10
# The weekly rollups' covering indexes (INCLUDE columns) are for PostgreSQL; SQLite builds them as
# plain indexes, which is all the embedded database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Every figure (the LA dashboard, its drill-downs, the regional and national view, the improvement
# plan's measures, the committee pack) is read from one store of figures (oversight/figures.py):
# served while nothing behind them has changed, or while data is coming in for at most this long
# after they were computed; older than that they are computed on the request. Tests serve only
# current figures.
APTRACK_FIGURES_MAX_AGE = dt.timedelta(
    seconds=env_int("FIGURES_MAX_AGE_SECONDS", 0 if TESTING else 60)
)
# Changes to the data are counted when their transaction commits (core/changes.py); tests run in
# a transaction that never commits, so they count them at once.
APTRACK_CHANGES_AT_COMMIT = not TESTING
# The retention schedule `aptrack apply-retention` applies (docs/deployment.md, "Data protection").
# Years are counted from the day the child left AP (their last placement ended, none open).
# Attendance: registers are kept 6 years (domain.md; the School Attendance (Pupil Registration)
# (England) Regulations 2024). Case records: 6 years after leaving and not before the child's
# 25th birthday (the IRMS Records Management Toolkit keeps a secondary pupil's file to date of
# birth + 25 years); then the child's identifying details and the case notes are removed.
APTRACK_RETENTION = {
    "ATTENDANCE_YEARS_AFTER_LEAVING": env_int("RETENTION_ATTENDANCE_YEARS", 6),
    "CASE_RECORD_YEARS_AFTER_LEAVING": env_int("RETENTION_CASE_RECORD_YEARS", 6),
    "CASE_RECORD_MINIMUM_AGE": env_int("RETENTION_CASE_RECORD_MINIMUM_AGE", 25),
}
