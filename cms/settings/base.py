"""Settings shared by every environment. Values that vary come from the environment.

See docs/operations.md for every variable.
"""

from pathlib import Path

from .environment import (
    database_caches,
    database_from_url,
    env_bool,
    env_count,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_str,
    redis_caches,
    refuse_to_start,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "signpost-development-only-key-never-use-this-on-a-real-server-0123456789"
    else:
        refuse_to_start(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
            "or set DEBUG=1 on a development machine."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "core",
    "personas",
    "backlog",
    "webteam",
    "journeys",
    "eforms",
    "directory",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.AdminLoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.AdminSameOriginFramesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English (UK) is the source; Polish and Arabic are the demo translations.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("pl", "Polski"),
    ("ar", "العربية"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Residents' uploads (form attachments) never go under MEDIA_ROOT: they are served to staff only.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: Django's backend by default; GOV.UK Notify when NOTIFY_API_KEY is set (eforms).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Northbrook Borough Council <no-reply@northbrook.example>"
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
# GOV.UK Notify templates with the placeholders ((subject)) and ((body)) (email) or ((body)) (SMS).
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID")
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID")

# Background work: mail, search indexing, Wagtail's reference index and the periodic jobs are
# rows in the database (django-tasks-db), run by `manage.py worker` (core/worker.py), never
# inside a resident's request. The same table works on SQLite (the demo) and PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Search: unset ELASTICSEARCH_URL means the embedded engine (no server needed).
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_USERNAME = env_str("ELASTICSEARCH_USERNAME")
ELASTICSEARCH_PASSWORD = env_str("ELASTICSEARCH_PASSWORD")
ELASTICSEARCH_API_KEY = env_str("ELASTICSEARCH_API_KEY")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "signpost")
# Seconds. Residents wait for searches, so they give up soon and the embedded engine answers;
# index administration and bulk writes run in the background and wait for a busy node.
# ELASTICSEARCH_TIMEOUT (deprecated: one value for both) still applies to whichever is unset.
ELASTICSEARCH_TIMEOUT = env_float("ELASTICSEARCH_TIMEOUT", None)
ELASTICSEARCH_SEARCH_TIMEOUT = env_float(
    "ELASTICSEARCH_SEARCH_TIMEOUT", ELASTICSEARCH_TIMEOUT or 2.0
)
ELASTICSEARCH_ADMIN_TIMEOUT = env_float(
    "ELASTICSEARCH_ADMIN_TIMEOUT", ELASTICSEARCH_TIMEOUT or 60.0
)
# Retries of an administration or bulk request on a timeout or a 429/502/503/504 answer.
ELASTICSEARCH_ADMIN_RETRIES = env_int("ELASTICSEARCH_ADMIN_RETRIES", 3)
# Replicas per index; unset means 0 on a single node and 1 once the cluster has more.
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", None)
# The search outbox: /healthz is "degraded" when its oldest change has waited longer than this,
# or when the Elasticsearch index holds fewer than this percentage of the documents the
# database expects; a document the engine rejects this many times is moved aside.
SEARCH_QUEUE_MAX_AGE_SECONDS = env_int("SEARCH_QUEUE_MAX_AGE_SECONDS", 300)
SEARCH_INDEX_MIN_PERCENT = env_int("SEARCH_INDEX_MIN_PERCENT", 90)
SEARCH_SYNC_MAX_ATTEMPTS = env_int("SEARCH_SYNC_MAX_ATTEMPTS", 5)

# Wagtail's own search (admin listings) stays on the database; residents' search is ours.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

WAGTAIL_SITE_NAME = "Signpost"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Caches: "default" for pages and synonyms, "ratelimit" for the rate limits and the sign-in
# lockout (core/ratelimit.py), shared by every gunicorn worker. With REDIS_URL both are on
# Redis (atomic counting, no SQL per request); without it, two database tables, so nothing
# extra needs running. `manage.py createcachetable` creates the tables (make demo and the test
# runner do this).
REDIS_URL = env_str("REDIS_URL")
CACHES = redis_caches(REDIS_URL) if REDIS_URL else database_caches()

# Other front ends (the council's apps) may call the APIs from these origins. The ORUK
# directory API is public to every origin by the standard, and says so itself.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Content security policy for resident pages: our own scripts, styles and images only.
# The Wagtail admin has its own needs and is excluded.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The Open Referral UK profile's JSON Schemas and openapi.json, read only by the directory's
# conformance tests (tests/harness/oruk.py); the site never needs them. A fresh clone has no
# copy: CI and the team's machines keep one in ../shared/oruk beside the checkout.
_SHARED_ORUK = BASE_DIR.parent / "shared" / "oruk"
ORUK_SCHEMA_DIR = (
    Path(env_str("ORUK_SCHEMA_DIR"))
    if env_str("ORUK_SCHEMA_DIR")
    else (_SHARED_ORUK if _SHARED_ORUK.is_dir() else None)
)

# Which address is the client's behind a reverse proxy (core.ratelimit.client_address): the
# number of proxies in front, and/or the proxies' own addresses or networks. Unset: REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env_count("TRUSTED_PROXY_HOPS", 0)
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# Admin sign-in (cms/middleware.py): after this many failed attempts for one account from one
# address, that account is refused from that address until this many seconds pass with no new
# failure. An address is refused for every account after ..._PER_ADDRESS failures, whichever
# accounts they were for.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 10)
ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", 50)
ADMIN_LOGIN_LOCKOUT_SECONDS = env_int("ADMIN_LOGIN_LOCKOUT_SECONDS", 900)

# Searches per client address per window (search/throttle.py).
SEARCH_RATE_LIMIT = (
    env_int("SEARCH_RATE_LIMIT_COUNT", 120),
    env_int("SEARCH_RATE_LIMIT_SECONDS", 60),
)
