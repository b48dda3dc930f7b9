"""The one settings module; every value that varies comes from the environment.

Each variable is documented in docs/configuration.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from bilan.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY (or SECRET_KEY_FILE) the key is this public one, fit for development,
# the tests and ``bilan demo`` (which replaces it by its own): with DEBUG off, the web
# application refuses to start with it (system check bilan.E002, bilan/core/checks.py).
DEVELOPMENT_SECRET_KEY = "bilan-insecure-development-key-change-me-in-production"  # noqa: S105  public on purpose
SECRET_KEY = env_str("SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Served over HTTPS (the public address says so): the HTTPS settings below default to on.
HTTPS = SITE_URL.startswith("https://")

INSTALLED_APPS = [
    "bilan.core.admin_site.BilanAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "dsfr",
    "widget_tweaks",  # django-dsfr's field templates load it
    "django_tasks",
    "django_tasks_db",
    "bilan.core",
    "bilan.audit",  # journal des actions (docs/security.md « Journal des actions »)
    "bilan.roster",
    "bilan.surveys",
    "bilan.outreach",
    "bilan.demo",
    "bilan.results",
    "bilan.reports",
    "bilan.commentary",
    "bilan.accounts",
    "bilan.dashboard",
    "rest_framework",
    "drf_spectacular",
    "bilan.api",
    "bilan.retention",  # retention periods, `bilan purge`, right of access (docs/security.md)
    "axes",  # login throttling (docs/security.md « Connexions »)
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store, private on every page and file (static files are whitenoise's).
    "bilan.core.headers.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bilan.core.security.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the page first: no-break spaces before « : ; ? ! % » in every HTML page.
    "bilan.core.middleware.FrenchTypographyMiddleware",
    # django-axes wants to be last: it answers a locked-out login with the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bilan.urls"
WSGI_APPLICATION = "bilan.wsgi.application"

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
                # Not django-dsfr's « site_config »: two queries on every page for a DsfrConfig that
                # no Bilan template reads (base.html draws its own header and footer).
            ],
        },
    },
]

# Without DATABASE_URL every command acts on bilan.sqlite3 in the current
# directory, so commands run from the demo's directory act on the demo.
DATABASE_URL = env_str("DATABASE_URL", "")
# SQLite, however it is named: WAL lets the web processes read while the worker writes; IMMEDIATE
# transactions and a busy timeout make concurrent writers wait their turn instead of failing with
# « database is locked ».
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    "transaction_mode": "IMMEDIATE",
}
if DATABASE_URL:
    # Connections kept open between requests (DB_CONN_MAX_AGE seconds), checked before reuse so a
    # connection the server closed meanwhile (restart, idle timeout) is replaced, not an error page.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                                                  conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": Path.cwd() / "bilan.sqlite3",
                             "OPTIONS": dict(SQLITE_OPTIONS)}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "core:login"

# Logins that resist (docs/security.md « Connexions », docs/configuration.md).
# django-axes checks every login before the password: after BILAN_LOGIN_FAILURE_LIMIT failures for
# one username, or from one address, that account or address is refused (the French 429 page)
# until BILAN_LOGIN_COOLOFF_MINUTES have passed since its last failure.
# axes' check first (it raises for a locked username or address), then Django's password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("BILAN_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BILAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = False  # a success elsewhere from the same address must not wipe the counts
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure (username, address, time) for the audit log
AXES_LOCKOUT_CALLABLE = "bilan.core.auth_views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "bilan.core.security.client_ip"
AXES_VERBOSE = False  # bilan.security logs each attempt once
# Behind reverse proxies: how many append their client's address to X-Forwarded-For (0: none,
# REMOTE_ADDR is the visitor). Wrong here, every visitor shares the proxy's address.
BILAN_PROXY_COUNT = env_int("BILAN_PROXY_COUNT", 0)
# Two-factor authentication (TOTP, django-otp): any staff account may enrol; with this on,
# a pilot without a device reaches no page but the enrolment page.
BILAN_PILOT_2FA_REQUIRED = env_bool("BILAN_PILOT_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Bilan")
OTP_TOTP_THROTTLE_FACTOR = 1  # after a wrong code, wait 1, 2, 4… seconds before the next is checked
# A session ends after a working day without a request (each request renews it).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True

# The interface is French only and Bilan ships no translation catalogue of
# its own; USE_I18N stays on so that Django's and django-dsfr's own strings
# (form errors, dates) come from their French catalogues, whatever language
# the browser asks for (hence no LocaleMiddleware).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Production (`bilan serve` turns it on): static files are collected into STATIC_ROOT under
# hashed names (`style.3f2a…css`) with gzip and brotli copies, and whitenoise serves them with
# « Cache-Control: immutable » for years: a new version has new names. Off (development, the
# tests, `bilan demo`), whitenoise serves them straight from the packages under their plain
# names, so no template needs a collectstatic first.
STATIC_COMPRESS = env_bool("STATIC_COMPRESS", False)
STATIC_ROOT = env_str("STATIC_ROOT", "") or (str(Path.cwd() / "static") if STATIC_COMPRESS else None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if STATIC_COMPRESS
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Collected files only in production (the hashed names are there); the packages' otherwise.
WHITENOISE_USE_FINDERS = not STATIC_COMPRESS
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS (docs/configuration.md « Production »): on by default when SITE_URL is https://.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The header by which the reverse proxy in front of Bilan says the visitor came over HTTPS
# (« X-Forwarded-Proto: https »); empty when nothing stands in front. The proxy must set it
# itself on every request (replacing whatever the visitor sent).
_PROXY_SSL_HEADER = env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS else "").strip()
SECURE_PROXY_SSL_HEADER = (("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
                           if _PROXY_SSL_HEADER else None)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # a personal link never leaves in a Referer header
X_FRAME_OPTIONS = "DENY"
# Preloading HSTS is a decision for the académie's whole domain (Bilan lives on a sub-domain
# of it), not for this application: SECURE_HSTS_PRELOAD stays a choice, and its warning is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp): scripts and styles from our own static files only
# (the DSFR's included): no inline script, no event handler attribute, no style attribute,
# no eval. docs/security.md « En-têtes » says why each source is there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # the DSFR's icons are data: SVGs in its CSS; report images
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],  # the e-mail previews (sandboxed srcdoc frames)
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bilan <bilan@localhost>")
EMAIL_RATE_PER_SECOND = env_float("EMAIL_RATE_PER_SECOND", 0.0)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# Read API (bilan.api): hashed, expiring tokens per account (bilan.api.tokens), read-only,
# rate-limited per account, OpenAPI at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bilan.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["bilan.api.throttling.AccountRateThrottle"],
    "EXCEPTION_HANDLER": "bilan.api.throttling.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# An API token works for this many days after its creation.
BILAN_API_TOKEN_DAYS = env_int("BILAN_API_TOKEN_DAYS", 90)
# Requests per account to the API: « N/second », « N/minute », « N/hour » or « N/day ».
BILAN_API_RATE = env_str("BILAN_API_RATE", "600/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "Bilan — API de lecture",
    "DESCRIPTION": "Campagnes, participation, résultats et comptes-rendus publiés (lecture seule).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# A colleague invited from the team page chooses a password within this many days.
BILAN_ACCOUNT_INVITE_DAYS = env_int("BILAN_ACCOUNT_INVITE_DAYS", 7)

# The audit log (« Journal des actions ») keeps its entries this many days; `bilan purge` deletes older ones.
BILAN_AUDIT_RETENTION_DAYS = env_int("BILAN_AUDIT_RETENTION_DAYS", 365)

# Retention (bilan.retention.policy; `bilan purge`, run daily by the worker), in days:
# drafts and personal links after the campaign closes, mail rows after their creation,
# the link between a named answer and its person after closing, roster files after upload,
# login attempts, API tokens after their expiry or revocation (docs/configuration.md).
BILAN_RETENTION_DRAFTS_DAYS = env_int("BILAN_RETENTION_DRAFTS_DAYS", 30)
BILAN_RETENTION_LINKS_DAYS = env_int("BILAN_RETENTION_LINKS_DAYS", 30)
BILAN_RETENTION_MAILS_DAYS = env_int("BILAN_RETENTION_MAILS_DAYS", 400)
BILAN_RETENTION_NAMED_ANSWERS_DAYS = env_int("BILAN_RETENTION_NAMED_ANSWERS_DAYS", 3 * 365)
BILAN_RETENTION_ROSTER_UPLOADS_DAYS = env_int("BILAN_RETENTION_ROSTER_UPLOADS_DAYS", 1)
BILAN_RETENTION_LOGIN_LOG_DAYS = env_int("BILAN_RETENTION_LOGIN_LOG_DAYS", 180)
BILAN_RETENTION_API_TOKENS_DAYS = env_int("BILAN_RETENTION_API_TOKENS_DAYS", 90)
BILAN_RETENTION_JOBS_DAYS = env_int("BILAN_RETENTION_JOBS_DAYS", 30)

# Background jobs (bilan.core.jobs): an answers file of more rows than this, imported from the
# pilot's page, is imported by the worker while a page follows its progress; a job is stopped
# (and nothing saved) after this many seconds.
BILAN_IMPORT_BACKGROUND_ROWS = env_int("BILAN_IMPORT_BACKGROUND_ROWS", 2000)
BILAN_JOB_TIME_LIMIT = env_int("BILAN_JOB_TIME_LIMIT", 600)

# A campaign's computed results stay in the cache (each process's memory) this many seconds at most;
# any new or changed answer or invitation makes new ones at once (bilan.results.services).
BILAN_RESULTS_CACHE_SECONDS = env_int("BILAN_RESULTS_CACHE_SECONDS", 3600)

# Breakdowns hide any cell counting fewer answers than this.
BILAN_SMALL_CELL_THRESHOLD = env_int("BILAN_SMALL_CELL_THRESHOLD", 5)
# The invitations page warns that nothing sends the queued e-mails when no worker
# (``bilan worker`` or ``bilan send-due``) has reported for longer than this.
BILAN_WORKER_STALE_SECONDS = env_int("BILAN_WORKER_STALE_SECONDS", 180)

# Every line goes through one console handler whose filter writes the personal links'
# tokens « /r/…/ » (bilan/core/redaction.py); Django's own loggers (« Not Found: /r/… »,
# runserver's access lines) are routed to it instead of Django's default handlers.
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "bilan.core.redaction.RedactTokens"}},
    "formatters": {"server": {"()": "django.utils.log.ServerFormatter",
                              "format": "[{server_time}] {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "server": {"class": "logging.StreamHandler", "filters": ["redact_tokens"], "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
