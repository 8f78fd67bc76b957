"""Settings for theodoi: one file, every installation-specific value read from the environment.

Defaults are safe for a single ward on one machine (SQLite and a local media folder under
``THEODOI_DATA_DIR``); production sets ``DEBUG=0``, ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """Read a setting; ``NAME_FILE`` (a path to a secret file) wins over ``NAME``."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    try:
        return int(env(name, str(default)))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
DATA_DIR = Path(env("THEODOI_DATA_DIR", str(Path.cwd() / "var")))

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and envbool("THEODOI_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # A development key: fine for the demo and tests, refused by `check --deploy`.
    SECRET_KEY = "django-insecure-theodoi-development-key-change-me"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "theodoi.core",
    "theodoi.org",
    "theodoi.plans",
    "theodoi.reporting",
    "theodoi.alerts",
    "theodoi.notifications",
    "theodoi.tracking",
    "theodoi.budget",
    "theodoi.audit",
    "theodoi.importer",
    "theodoi.api",
    "theodoi.dashboards",
    "theodoi.exports",
    "theodoi.ranking",
    "theodoi.assessment",
    "theodoi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "theodoi.core.middleware.vietnamese_unless_chosen",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "theodoi.urls"
WSGI_APPLICATION = "theodoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "theodoi.core.context_processors.theodoi",
                "theodoi.notifications.context_processors.unread",
            ],
        },
    }
]

# SQLite in the data folder unless DATABASE_URL names another database (PostgreSQL in production).
DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    # The embedded default: a fresh installation must start without any preparation.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'theodoi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        # A kept connection the database closed meanwhile (a restart, a proxy's idle timeout)
        # is noticed at the start of the next request instead of failing it with a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A ward's office on the embedded database, served by several processes and threads:
    # - WAL: readers never wait for the writer, nor the writer for readers;
    # - IMMEDIATE: a transaction takes the write lock when it begins, so one that reads and then
    #   writes waits its turn (the busy timeout) instead of failing with "database is locked"
    #   when another process wrote in between (SQLite cannot upgrade a stale read to a write);
    # - the busy timeout (seconds): how long a writer waits for the one before it;
    # - synchronous=NORMAL is durable with WAL except for the last commits on a power cut.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": envint("THEODOI_SQLITE_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    # Past the busy timeout: 503 and "try again", not a 500.
    MIDDLEWARE.append("theodoi.core.middleware.DatabaseBusy")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# Argon2id with the cheapest parameters OWASP still recommends (theodoi.accounts.hashers): a
# sign-in costs a few milliseconds of CPU instead of Django's default, so a burst of sign-ins at
# quarter's end does not hold the workers. Hashes made with other parameters still verify and are
# re-hashed at the next sign-in (the hasher keeps Django's "argon2" name, so it reads them).
PASSWORD_HASHERS = [
    "theodoi.accounts.hashers.Argon2idOwaspHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
# Vietnamese on purpose: each language is named in itself, so anyone finds their own in the
# switcher whatever the page's language.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Thousands grouped the Vietnamese way ("1.234,5") where a template asks for grouping.
FORMAT_MODULE_PATH = ["theodoi.core.formats"]
TIME_ZONE = env("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# --- Storage (local folder or S3) ---
# Evidence files go to MEDIA_ROOT unless THEODOI_S3_BUCKET names a bucket on an S3-compatible
# service (MinIO, Ceph, a cloud's object storage) reached through django-storages. Files are
# stored under their SHA-256 and never overwritten; they are served only through the app.
THEODOI_S3_BUCKET = env("THEODOI_S3_BUCKET")
if THEODOI_S3_BUCKET:
    AWS_STORAGE_BUCKET_NAME = THEODOI_S3_BUCKET
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID") or None
    AWS_S3_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", env("AWS_DEFAULT_REGION")) or None
    # "path" for most self-hosted services (MinIO), "virtual" for the large clouds.
    AWS_S3_ADDRESSING_STYLE = env("AWS_S3_ADDRESSING_STYLE") or None
    AWS_LOCATION = env("THEODOI_S3_PREFIX", "")
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None  # the bucket's own policy: private
    AWS_QUERYSTRING_AUTH = True  # never a public URL
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    _DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# --- end Storage (local folder or S3) ---
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("THEODOI_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# --- Cache and sessions ---
# Local memory by default: one machine, nothing more to run. THEODOI_CACHE=redis puts the cache on
# the Redis server at REDIS_URL (THEODOI_CACHE_URL for another one), shared by every process on
# every machine; the key prefix keeps two installations on one Redis server apart.
THEODOI_CACHE = env("THEODOI_CACHE", "local").strip().lower()
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
if THEODOI_CACHE == "local":
    # Room for the rendered rows of many plans and units (a plan page alone keeps 150): past
    # Django's default of 300 entries the rows would push each other out at every page.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
    # Sessions stay in the database: a local-memory cache is one per process, so a session
    # cached there would outlive a sign-out made in another process (each process would keep
    # its own copy), and one process would not see a session created by another.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
elif THEODOI_CACHE == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("THEODOI_CACHE_URL", REDIS_URL),
            "KEY_PREFIX": env("THEODOI_CACHE_PREFIX", "theodoi"),
        }
    }
    # One cache for all the processes: a session is read from it and written through to the
    # database, so a sign-out anywhere ends it everywhere and a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    raise ImproperlyConfigured(f"THEODOI_CACHE must be 'local' or 'redis', got {THEODOI_CACHE!r}")
# Whether every process sees what another one cached or deleted: only then may a value that
# writes change be cached (it is forgotten by the write, in every process at once).
THEODOI_CACHE_SHARED = THEODOI_CACHE == "redis"
# Neither the messages ("report saved": a signed cookie, or the session when too long) nor the
# CSRF token (a cookie) live in a process: any process with the same SECRET_KEY reads them.
# The name of this application process, sent back in an X-Theodoi-Node header when set: which
# server behind the proxy answered (theodoi.core.middleware.node_name).
THEODOI_NODE_NAME = env("THEODOI_NODE_NAME")
if THEODOI_NODE_NAME:
    MIDDLEWARE.insert(0, "theodoi.core.middleware.node_name")
# --- end Cache and sessions ---

# Serve static files from the app folders in development and tests without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "theodoi@localhost")

# Production hardening: on whenever DEBUG is off, unless a reverse proxy terminates TLS and
# the operator says so explicitly with THEODOI_HTTPS=0 (see README, "Production").
HTTPS = envbool("THEODOI_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("THEODOI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("THEODOI_BEHIND_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "")

# The date the system treats as today; fixed for demos and tests ("YYYY-MM-DD"), empty = real date.
THEODOI_TODAY = env("THEODOI_TODAY")
# Days before a deadline when a task counts as due soon.
THEODOI_DUE_SOON_DAYS = envint("THEODOI_DUE_SOON_DAYS", 14)
# Largest evidence file accepted, in megabytes.
THEODOI_EVIDENCE_MAX_MB = envint("THEODOI_EVIDENCE_MAX_MB", 20)
# Largest package of a ward's periodic report received from its own installation (the report
# and its accepted evidence), in megabytes.
THEODOI_UPWARD_PACKAGE_MAX_MB = envint("THEODOI_UPWARD_PACKAGE_MAX_MB", 200)
# A ClamAV daemon that scans every evidence file before it is stored ("tcp://127.0.0.1:3310" or
# the path of its unix socket); empty = no scan. When set and unreachable, uploads are refused.
THEODOI_CLAMAV = env("THEODOI_CLAMAV")
# The certification authorities a signed PDF's certificate must chain up to (PEM or DER files,
# put there by the administrator; the project ships none). See README, "Signed documents".
THEODOI_TRUSTED_CA_DIR = env("THEODOI_TRUSTED_CA_DIR", str(DATA_DIR / "trusted-ca"))
# The address people open theodoi at, for links in alert e-mails ("https://theodoi.phuong.gov.vn").
THEODOI_SITE_URL = env("THEODOI_SITE_URL")
# Largest plan document accepted for import, in megabytes.
THEODOI_IMPORT_MAX_MB = envint("THEODOI_IMPORT_MAX_MB", 20)
# The secret key(s) of the audit chain, never stored in the database (theodoi/audit/keys.py):
# "new,old" verifies records signed by a retired key; empty = derived from SECRET_KEY.
THEODOI_AUDIT_KEY = env("THEODOI_AUDIT_KEY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# --- Security headers (CSP) ---
# Content-Security-Policy by django-csp 4: no inline scripts or style attributes; JSON data
# blocks (<script type="application/json">) are data, not scripts, and stay allowed. Views may
# set a stricter header of their own (evidence files do): the middleware keeps it.
from csp.constants import NONE, SELF  # noqa: E402

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-src": [SELF],  # the review page shows PDF evidence in an iframe
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# --- end Security headers (CSP) ---

# --- Sign-in lockout (django-axes) ---
# Failed sign-ins are counted per user name and address, on the sign-in page and the API token
# endpoint alike (both call authenticate()). From the fifth on, each failure makes that pair wait:
# 1 minute, then twice as long after each further failure, at most AXES_COOLOFF_MINUTES (15).
# A short, growing wait stops guessing as well as a long lock does; each failure costs the
# person at most the longest wait (someone failing once per wait from the same address keeps
# them waiting), and a password reset ends the wait at once (theodoi.accounts.lockout).
import datetime as _datetime  # noqa: E402

INSTALLED_APPS += ["theodoi.accounts.apps.AxesConfig"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, reading the person's ward and unit with them (each page needs both).
    "theodoi.accounts.backends.UserBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # must stay last
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_HANDLER = "theodoi.accounts.lockout.GrowingDelayHandler"
THEODOI_LOCKOUT_FIRST_DELAY = _datetime.timedelta(minutes=1)
THEODOI_LOCKOUT_MAX_DELAY = _datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
# How long failures are remembered after the last one: longer than the longest wait, so one try
# per wait does not start the count afresh.
AXES_COOLOFF_TIME = max(_datetime.timedelta(hours=1), 2 * THEODOI_LOCKOUT_MAX_DELAY)
# A try while waiting is refused and not counted: hammering does not lengthen the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# HTML page for the sign-in form, JSON 429 for the API.
AXES_LOCKOUT_CALLABLE = "theodoi.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy (THEODOI_BEHIND_PROXY=1) the client address is the last entry of
# X-Forwarded-For, the one the proxy itself appended; otherwise REMOTE_ADDR.
AXES_BEHIND_PROXY = envbool("THEODOI_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "theodoi.accounts.lockout.client_ip"
# --- end Sign-in lockout (django-axes) ---

# --- Accounts: password reset and API tokens ---
# A password reset link (e-mailed, or created by an admin) works once, for this many hours.
PASSWORD_RESET_TIMEOUT = envint("THEODOI_PASSWORD_RESET_HOURS", 24) * 3600
# An API token works this many days after it is issued; then its owner creates a new one.
THEODOI_API_TOKEN_DAYS = envint("THEODOI_API_TOKEN_DAYS", 90)
# --- end Accounts ---

# --- Two-factor sign-in (django-otp) ---
# Optional TOTP for the standing office, leaders and admins: once a person has confirmed an
# authenticator app, the second step is required after the password (theodoi.accounts).
INSTALLED_APPS += ["django_otp", "theodoi.accounts.apps.TOTPConfig", "theodoi.accounts"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "theodoi.accounts.middleware.two_factor_required",
)
# Before the person is read from the session: a session of the previous backend is kept.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware"),
    "theodoi.accounts.middleware.previous_backend_renamed",
)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "theodoi")
# --- end Two-factor sign-in (django-otp) ---

# --- Background work (django-tasks) ---
# Long work (the alert digests' e-mails, the Word/PDF report) runs in `theodoi worker`, not in
# the request. The queue lives in the database by default: nothing more to run than the worker,
# and it works on the embedded SQLite database (several processes) as on PostgreSQL.
# THEODOI_TASKS=rq puts it on Redis (REDIS_URL) through RQ, for installations that run one.
THEODOI_TASKS = env("THEODOI_TASKS", "database").strip().lower()
INSTALLED_APPS += ["django_tasks", "theodoi.core.apps.TaskQueueConfig"]
# OCR of a scanned plan (theodoi.importer.readers.ocr) may take a start-up allowance plus this
# long a page (a few seconds on one core, much longer on a busy server), and reads at most
# THEODOI_OCR_MAX_PAGES pages: a queue's time limit is derived from these, so that OCR always
# stops first and its reading is marked failed with a reason.
THEODOI_OCR_SECONDS_START = 60
THEODOI_OCR_SECONDS_PER_PAGE = 90
THEODOI_OCR_MAX_PAGES = int(env("THEODOI_OCR_MAX_PAGES", "60"))
THEODOI_OCR_LONGEST = (
    THEODOI_OCR_SECONDS_START + THEODOI_OCR_SECONDS_PER_PAGE * THEODOI_OCR_MAX_PAGES
)
if THEODOI_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif THEODOI_TASKS == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job may run this long: a PDF conversion waits up to 120 s for LibreOffice, OCR of the
    # longest scan accepted stops at THEODOI_OCR_LONGEST; a margin lets the reading be marked
    # failed and the draft be saved after it.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": THEODOI_OCR_LONGEST + 300}}
else:
    raise ImproperlyConfigured(f"THEODOI_TASKS must be 'database' or 'rq', got {THEODOI_TASKS!r}")
# --- end Background work (django-tasks) ---

# --- Notifications ---
# Web Push: the installation's VAPID key pair (`theodoi vapid_keys` makes one and prints these
# lines); without it the "enable notifications on this device" button is not offered. The
# subject is how a push service reaches the operator ("mailto:..." or an https address).
THEODOI_VAPID_PUBLIC_KEY = env("THEODOI_VAPID_PUBLIC_KEY")
THEODOI_VAPID_PRIVATE_KEY = env("THEODOI_VAPID_PRIVATE_KEY")
THEODOI_VAPID_SUBJECT = env("THEODOI_VAPID_SUBJECT", "mailto:" + DEFAULT_FROM_EMAIL)
# An outgoing webhook (a province's Zalo OA or SMS gateway): every notification is POSTed there
# as JSON, signed with HMAC-SHA256 under the secret (README, "Notifications"). Empty: none.
THEODOI_NOTIFY_WEBHOOK_URL = env("THEODOI_NOTIFY_WEBHOOK_URL")
THEODOI_NOTIFY_WEBHOOK_SECRET = env("THEODOI_NOTIFY_WEBHOOK_SECRET")
if THEODOI_NOTIFY_WEBHOOK_URL and not THEODOI_NOTIFY_WEBHOOK_SECRET:
    raise ImproperlyConfigured("THEODOI_NOTIFY_WEBHOOK_URL needs THEODOI_NOTIFY_WEBHOOK_SECRET")
# --- end Notifications ---
