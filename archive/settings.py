"""Verbatim settings. Everything that differs between a laptop and production comes
from the environment (see README "Configuration"); the defaults are for development."""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from archive.env import env_bool, env_int, env_list, env_str, search_connection

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VERBATIM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# `make run`: the site as it is served (debug off, its own error pages) on this machine over
# plain http, with a secret generated once into var/ (archive/local.py).
LOCAL = env_bool("VERBATIM_LOCAL", False) and not DEBUG
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY and LOCAL:
    from archive.local import local_secret_key

    SECRET_KEY = local_secret_key(VAR_DIR)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DJANGO_DEBUG is off "
            "(on this machine: VERBATIM_LOCAL=1, as `make run` sets, keeps a generated one in var/; "
            "or DJANGO_DEBUG=1 for development)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG or LOCAL else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    # The apps by concern (README "Developers"): the domain, then search, which must come
    # before haystack so its rebuild_index (built aside, swapped in) overrides haystack's.
    "transcripts",
    "transcripts.search",
    "transcripts.reader",
    "transcripts.staff",
    "transcripts.alerts",
    "transcripts.reports",
    "haystack",
]
# Benchmark, load test and corpus generator: for developers, not installed on a server.
if DEBUG or env_bool("VERBATIM_DEVTOOLS", False):
    INSTALLED_APPS.append("transcripts.devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.security.ContentSecurityPolicyMiddleware",
    "archive.security.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last but one, so its process_exception sees a view's database error first: a 503 page.
    "archive.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'verbatim.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while the importer or the index consumer writes;
    # the timeout turns a brief writer collision into a wait instead of an error.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

HAYSTACK_CONNECTIONS = {"default": search_connection(env_str("SEARCH_URL", ""), VAR_DIR)}
# Index updates go through the queue table (transcripts.search.queue), never inside a request.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # Django's file system storage that leaves no truncated file when a write fails.
    "default": {"BACKEND": "transcripts.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Locally whitenoise serves static files straight from the apps and static/, no collectstatic.
WHITENOISE_USE_FINDERS = LOCAL

# Uploads: the largest transcript staff may upload, in bytes (default 5 MB).
VERBATIM_MAX_UPLOAD_BYTES = env_int("VERBATIM_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# The sample transcripts `make run` imports and the benchmark's corpus generator learns from:
# the project's own demo archive, transcripts/demo/transcripts, with each file's metadata
# (title, topics, organiser, source URL) in transcripts/demo/metadata/NAME.json.
VERBATIM_SAMPLES_DIR = Path(env_str("VERBATIM_SAMPLES_DIR", str(BASE_DIR / "transcripts" / "demo" / "transcripts")))
VERBATIM_SAMPLE_METADATA_DIR = BASE_DIR / "transcripts" / "demo" / "metadata"
# The real panel among them: the benchmark parses it and the corpus generator learns its words
# from it (the fictional demo events beside it are short and written to show the formats).
VERBATIM_REFERENCE_SAMPLE = VERBATIM_SAMPLES_DIR / "cfr-2022-02-17-combating-human-trafficking.txt"
DATA_UPLOAD_MAX_MEMORY_SIZE = VERBATIM_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = VERBATIM_MAX_UPLOAD_BYTES + 1024 * 1024

LOGIN_URL = "admin:login"
# Where a login goes when its `next` was dropped as unsafe (archive.security.safe_next_login).
LOGIN_REDIRECT_URL = "admin:index"

# Failed logins: django-axes, in the database (shared by every worker and machine).
# LOGIN_FAILURE_LIMIT failures for one username from one address lock that pair out for
# LOGIN_FAILURE_WINDOW seconds; other accounts from the same address (an office behind
# one proxy) are not affected, and a successful login clears the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_FAILURE_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "archive.security.login_locked_out"
# The client address: REMOTE_ADDR, or behind VERBATIM_PROXY_COUNT reverse proxies the
# address they put in X-Forwarded-For (VERBATIM_PROXY_HEADER names another header).
# django-ipware is not installed, so axes's AXES_IPWARE_* settings would have no effect.
AXES_CLIENT_IP_CALLABLE = "archive.security.client_ip"
VERBATIM_PROXY_COUNT = env_int("VERBATIM_PROXY_COUNT", 0)
VERBATIM_PROXY_HEADER = "HTTP_" + env_str("VERBATIM_PROXY_HEADER", "X-Forwarded-For").upper().replace("-", "_")

# --- Email and alerts (transcripts.alerts; README "Alerts") -------------------------------
# EMAIL_URL (smtp://user:pass@host:587?tls=1, smtps://, console://) or EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS; DEFAULT_FROM_EMAIL. Console when
# debugging with nothing set.
from archive.email import email_settings  # noqa: E402

globals().update(email_settings(DEBUG or LOCAL))
VERBATIM_SITE_URL = env_str("VERBATIM_SITE_URL", "http://127.0.0.1:8000")  # links in mails sent by send_alerts
ALERTS_REQUESTS_PER_HOUR = env_int("ALERTS_REQUESTS_PER_HOUR", 5)  # sign-ups and manage links, per mailbox
# ... and per client address (one client asking for mails to many mailboxes).
ALERTS_REQUESTS_PER_CLIENT_PER_HOUR = env_int("ALERTS_REQUESTS_PER_CLIENT_PER_HOUR", 20)
# --- end of email and alerts ---------------------------------------------------------------

# A file cache is shared by every gunicorn worker on the machine; set another backend
# here when the site spans machines.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

# Production hardening: on whenever debug is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not LOCAL:  # local is plain http on 127.0.0.1
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
