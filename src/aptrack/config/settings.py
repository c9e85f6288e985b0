"""aptrack settings: one module, driven by the environment (see .env.example).

SQLite by default; PostgreSQL when DATABASE_URL is set. DEBUG is off unless asked for, and a
production start (DEBUG off) refuses to run without a SECRET_KEY from the environment.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

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
    "csp",
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
    "aptrack.outcomes",
    "aptrack.oversight",
    "aptrack.improvement",
    "aptrack.census",
    "aptrack.api",
    "aptrack.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aptrack.core.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "aptrack.accounts.middleware.AuthenticationMiddleware",  # Django's, reading the user with the session
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

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # PostgreSQL's planner prices a random page read at 4 sequential ones by default, which
    # models spinning disks: on SSDs, or with the data in memory as it is here, it scans whole
    # tables (every referral, every child) to answer a dashboard about one LA's few thousand
    # placements by hash join, where index lookups take a third of the time. 1.1 is the value
    # PostgreSQL's documentation suggests for SSDs; PG_RANDOM_PAGE_COST="" keeps the server's.
    _page_cost = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _page_cost:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c random_page_cost={float(_page_cost)}".strip()
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "aptrack.accounts.backends.UserWithOrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing strength is not under test; a fast hasher keeps persona set-up quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account (by username and address) after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after a working day's inactivity at most, and with the browser.
SESSION_ENGINE = "aptrack.accounts.sessions"  # Django's database store; the user is read with the session
SESSION_COOKIE_AGE = env_int("SESSION_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = False  # SessionRenewalMiddleware renews a session in use, once a minute
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
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# aptrack's own rules that an LA may tune (domain.md marks these as practice, not law).
APTRACK_CHILDREN_PAGE_SIZE = 25
# Suitable full-time education by key stage (LGSCO: about 21 h at KS1 up to 25 h at KS4).
APTRACK_FULL_TIME_HOURS = {"KS1": 25, "KS2": 25, "KS3": 25, "KS4": 25, "KS5": 25}
# Hours a week from which a pupil counts as full-time for the independent-school registration test.
APTRACK_REGISTRATION_FULL_TIME_HOURS = env_int("REGISTRATION_FULL_TIME_HOURS", 18)
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
# The LA dashboard is served from a snapshot of its rendered figures while no data behind them
# has changed (see oversight/freshness.py). Off in tests unless a test turns it on, because
# tests run in a transaction that never commits, and changes are counted at commit.
APTRACK_DASHBOARD_SNAPSHOTS = env_bool("DASHBOARD_SNAPSHOTS", not TESTING)
# Each process holds the content of the snapshots it served lately, up to this much (characters,
# about bytes), and moves it out of the database again only when a new build has replaced it.
APTRACK_DASHBOARD_HELD_CHARACTERS = env_int("DASHBOARD_HELD_MB", 64) * 1_000_000
# The national and regional view reads every LA's figures (seconds at national scale): they are
# kept, and served while nothing has changed since or for this long after they were read.
APTRACK_NATIONAL_FIGURES_MAX_AGE = dt.timedelta(minutes=env_int("NATIONAL_FIGURES_MAX_AGE_MINUTES", 15))
