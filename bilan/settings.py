"""The one settings module; every value that varies comes from the environment.

Each variable is documented in docs/configuration.md.
"""

from pathlib import Path

import dj_database_url

from bilan.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DEBUG", False)
# A fixed development key is acceptable only for DEBUG or local demo use; in
# production SECRET_KEY (or SECRET_KEY_FILE) must be set.
SECRET_KEY = env_str("SECRET_KEY", "bilan-insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
    "rest_framework.authtoken",
    "drf_spectacular",
    "bilan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the page first: no-break spaces before « : ; ? ! % » in every HTML page.
    "bilan.core.middleware.FrenchTypographyMiddleware",
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
                "dsfr.context_processors.site_config",
            ],
        },
    },
]

# Without DATABASE_URL every command acts on bilan.sqlite3 in the current
# directory, so commands run from the demo's directory act on the demo.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path.cwd() / "bilan.sqlite3",
            "OPTIONS": {
                # WAL lets the web process read while the worker writes;
                # IMMEDIATE transactions avoid "database is locked" upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "core:login"

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
# Unset: whitenoise serves static files straight from the packages; set it
# to run `bilan collectstatic` for a front server.
STATIC_ROOT = env_str("STATIC_ROOT", "") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if env_bool("STATIC_COMPRESS", False)
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve app static files straight from the packages (no collectstatic needed
# for the demo); production can still run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

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

# Read API (bilan.api): token per staff account, read-only, OpenAPI at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
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

# Breakdowns hide any cell counting fewer answers than this.
BILAN_SMALL_CELL_THRESHOLD = env_int("BILAN_SMALL_CELL_THRESHOLD", 5)
# The invitations page warns that nothing sends the queued e-mails when no worker
# (``bilan worker`` or ``bilan send-due``) has reported for longer than this.
BILAN_WORKER_STALE_SECONDS = env_int("BILAN_WORKER_STALE_SECONDS", 180)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
