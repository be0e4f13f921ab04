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
    env_numbers,
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
    "bins",
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
    "core.apps.SignpostUsersAppConfig",  # wagtail.users, with unit membership on the user form
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
    # Staff's second step for signing in (core/mfa.py): authenticator apps and backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    # Whole resident pages from the cache, purged by what they show; below the security headers,
    # so a stored page gets them too (core/pagecache.py).
    "core.pagecache.PageCacheMiddleware",
    # Above the session middleware, so it sees the session's cookie and Vary: core/pagecache.py.
    "core.pagecache.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cms.middleware.BodySizeLimitMiddleware",
    "cms.middleware.RefuseUnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.mfa.SecondStepMiddleware",
    "cms.middleware.AdminLoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.AdminSameOriginFramesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Which page an address leads to, from the shared cache (core/routing.py).
    "core.routing.RouteCacheMiddleware",
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
# Uploads in which the virus scanner found something are moved here, out of PRIVATE_MEDIA_ROOT
# (and so out of its backups); never served, deleted with their request by retention.
EFORMS_QUARANTINE_ROOT = Path(env_str("EFORMS_QUARANTINE_ROOT", str(BASE_DIR / "quarantine")))
# ClamAV's daemon, which scans every upload in the background before staff can open it
# (core/clamav.py, eforms/scanning.py): unix:///run/clamav/clamd.ctl or tcp://host:3310.
# Unset: with DEBUG on, files are offered to staff marked "Not checked for viruses"; with DEBUG
# off they wait ("being checked") and are never offered, and `check --deploy` fails.
CLAMAV_URL = env_str("CLAMAV_URL")
CLAMAV_TIMEOUT = env_float("CLAMAV_TIMEOUT", 60.0)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Django's own ceiling on a body read into memory; each path's real limit is set lower by
# cms.middleware.BodySizeLimitMiddleware (the forms API takes 30 MB, everything else 2.5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 31 * 1024 * 1024

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
# Seconds a worker holds a message it is sending (eforms/notifications.py): if the worker dies
# mid-send, another sends the message once this has passed. Keep it longer than any one send can
# take (EMAIL_TIMEOUT, Notify's timeout), or a slow send could be repeated by a second worker.
NOTIFICATIONS_SENDING_LEASE_SECONDS = env_int("NOTIFICATIONS_SENDING_LEASE_SECONDS", 600)

# Background work: mail, search indexing, Wagtail's reference index and the periodic jobs are
# rows in the database (django-tasks-db), run by `manage.py worker` (core/worker.py), never
# inside a resident's request. The same table works on SQLite (the demo) and PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz reports a queue "degraded" when its oldest waiting item is older than this many
# seconds: a background task not yet started (no worker running, or all of them busy), a
# message to a resident or to staff not yet sent (the relay or GOV.UK Notify failing).
TASKS_QUEUE_MAX_AGE_SECONDS = env_int("TASKS_QUEUE_MAX_AGE_SECONDS", 300)
NOTIFICATIONS_QUEUE_MAX_AGE_SECONDS = env_int("NOTIFICATIONS_QUEUE_MAX_AGE_SECONDS", 900)
# Who hears that a message finally failed when its delivery unit has no contact address
# (then ADMINS, if set). Unset and no ADMINS: the failure is logged and shown in the
# Operations report only.
SIGNPOST_OPERATIONS_EMAIL = env_str("SIGNPOST_OPERATIONS_EMAIL")

# Nightly backups by the worker (core/backup.py, `manage.py backup`): unset means none. Each
# night's backup is a new folder in SIGNPOST_BACKUP_DIR; those older than the retention period
# are deleted, since they hold residents' personal data.
SIGNPOST_BACKUP_DIR = env_str("SIGNPOST_BACKUP_DIR")
SIGNPOST_BACKUP_KEEP_DAYS = env_int("SIGNPOST_BACKUP_KEEP_DAYS", 30)

# Retention: how long residents' data is kept, in days (each app's nightly purge, see
# docs/operations.md). A closed request is kept for its form's own "retention days".
# A request nobody closed goes EFORMS_OPEN_REQUEST_MAX_DAYS after it arrived; its unit is
# emailed, and the inbox says when, EFORMS_DELETION_WARNING_DAYS before.
EFORMS_OPEN_REQUEST_MAX_DAYS = env_int("EFORMS_OPEN_REQUEST_MAX_DAYS", 365 * 3)
EFORMS_DELETION_WARNING_DAYS = env_int("EFORMS_DELETION_WARNING_DAYS", 30)
# Messages sent or given up on (the request itself keeps its status history).
EFORMS_OUTBOX_KEEP_DAYS = env_int("EFORMS_OUTBOX_KEEP_DAYS", 90)
# Problem reports on directory listings, counted from when they were resolved (or made).
DIRECTORY_PROBLEM_KEEP_DAYS = env_int("DIRECTORY_PROBLEM_KEEP_DAYS", 365)
# "Is this page useful?" answers and their comments.
BACKLOG_FEEDBACK_KEEP_DAYS = env_int("BACKLOG_FEEDBACK_KEEP_DAYS", 365 * 2)
# The search log and search feedback: SEARCH_LOG_RETENTION_DAYS, below, with search's settings.
# The audit trail of staff looking at, exporting, changing and erasing residents' data.
SIGNPOST_AUDIT_KEEP_DAYS = env_int("SIGNPOST_AUDIT_KEEP_DAYS", 365 * 2)

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

# Every line goes through core.logs.MaskEmailAddresses: no email address reaches the log whole.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_email_addresses": {"()": "core.logs.MaskEmailAddresses"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_email_addresses"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Caches: "default" for pages and synonyms, "ratelimit" for the rate limits and the sign-in
# lockout (core/ratelimit.py), shared by every gunicorn worker. With REDIS_URL both are on
# Redis (atomic counting, no SQL per request); without it, two database tables, so nothing
# extra needs running. `manage.py createcachetable` creates the tables (make demo and the test
# runner do this).
REDIS_URL = env_str("REDIS_URL")
CACHES = redis_caches(REDIS_URL) if REDIS_URL else database_caches()

# Sessions (a form's draft token, the references a resident just sent, staff sign-ins): with
# Redis, read from it and written through to the database (Django's cached_db), so a page of a
# form in progress costs no SQL for its session and a restarted or emptied Redis loses nobody's
# place in a form. Without Redis, in the database only: a database cache in front of the
# database would double every write.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# How long a CDN or proxy in front may keep a resident page that is the same for everyone
# (core/pagecache.py): browsers always ask again; a shared cache serves it for this many seconds.
PAGE_SHARED_MAX_AGE = env_int("PAGE_SHARED_MAX_AGE", 60)

# The site's own page cache (core/pagecache.py): whole resident pages kept in the "default"
# cache and purged the moment anything they show changes. On with Redis (a lookup is one round
# trip); off on the zero-setup database cache, where every stored page would be a write to the
# same database. PAGE_CACHE_SECONDS is the longest a copy is kept even if nothing changes.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The chrome every page shows (header, alert banners, breadcrumbs, footer) kept rendered in the
# same cache and forgotten the same way (core/fragments.py), so a page the page cache cannot
# answer is still cheap to build. On with Redis, for the same reason as PAGE_CACHE.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", bool(REDIS_URL))

# Other front ends (the council's apps) may call the APIs from these origins. The ORUK
# directory API is public to every origin by the standard, and says so itself.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Content security policy for resident pages: our own scripts, styles and images only.
# The Wagtail admin has its own needs and is excluded. Previews of a page (built by Wagtail with
# the page's own address) may be framed by the admin: cms.middleware.ContentSecurityPolicyMiddleware.
# The map on location questions (eforms/maps.py). Leaflet comes from npm (package.json,
# `make install` runs `npm ci`) and is served by the site itself under /static/vendor/leaflet/,
# never copied into the repository. Without it (no npm) forms show no map: residents describe
# the place in words, as they always can.
LEAFLET_DIST = BASE_DIR / "node_modules" / "leaflet" / "dist"
if LEAFLET_DIST.is_dir():
    STATICFILES_DIRS.append(("vendor/leaflet", LEAFLET_DIST))
# Where map tiles come from ({z}/{x}/{y}; {s} for subdomains) and the credit the tiles' licence
# asks for (HTML, shown in the map's corner). OpenStreetMap's own tile server suits a council's
# traffic only lightly (its usage policy); the OS Maps API or a council's own tiles suit more.
SIGNPOST_MAP_TILE_URL = env_str(
    "SIGNPOST_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
SIGNPOST_MAP_ATTRIBUTION = env_str(
    "SIGNPOST_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# Where the map opens ("latitude,longitude"; else the middle of the council's area, else the UK)
# and the council's area as a box ("south,west,north,east"): a pin outside it is refused, and
# a street or postcode search finds nothing outside it.
SIGNPOST_MAP_CENTRE = env_numbers("SIGNPOST_MAP_CENTRE", 2, "latitude,longitude")
SIGNPOST_MAP_BOUNDS = env_numbers("SIGNPOST_MAP_BOUNDS", 4, "south,west,north,east")
# Staff see a resident's pin on this map ({lat} and {lng} are filled in).
SIGNPOST_MAP_LINK_URL = env_str(
    "SIGNPOST_MAP_LINK_URL",
    "https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=18/{lat}/{lng}",
)


def _tile_origins(url):
    """The tile server's origin for the content security policy ({s} subdomains included)."""
    if not url.startswith(("https://", "http://")):
        return []  # served by the site itself
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    if "{s}" in host:
        host = host.replace("{s}", "*")
    return [f"{scheme}://{host}"]


CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origins(SIGNPOST_MAP_TILE_URL)],
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

# Staff's second step for signing in (core/mfa.py): after the password, a 6-digit code from an
# authenticator app (TOTP, RFC 6238) or a single-use backup code. Required for superusers and
# every role listed ("*": everyone who can reach the admin). On by default; a developer's
# machine (DEBUG) may leave it off so the demo login is one step; production always requires it
# (cms/settings/production.py).
SIGNPOST_MFA_REQUIRED = env_bool("SIGNPOST_MFA_REQUIRED", not DEBUG)
SIGNPOST_MFA_REQUIRED_ROLES = env_list("SIGNPOST_MFA_REQUIRED_ROLES", ["*"])
# Wrong codes: this many for one account from one address refuse that account there, and this
# many for one account from anywhere refuse it everywhere (only someone who has the password
# can get that far), until this many seconds pass with no new wrong code.
SIGNPOST_MFA_MAX_FAILURES = env_int("SIGNPOST_MFA_MAX_FAILURES", 5)
SIGNPOST_MFA_MAX_FAILURES_PER_ACCOUNT = env_int("SIGNPOST_MFA_MAX_FAILURES_PER_ACCOUNT", 20)
SIGNPOST_MFA_LOCKOUT_SECONDS = env_int("SIGNPOST_MFA_LOCKOUT_SECONDS", 900)
# How many single-use backup codes a member of staff is given when they set up their app.
SIGNPOST_MFA_BACKUP_CODES = 10
# The name staff see beside the codes in their authenticator app.
OTP_TOTP_ISSUER = env_str("SIGNPOST_MFA_ISSUER", WAGTAIL_SITE_NAME)
# django-otp's own throttle slows each device down for everyone, wherever they are, and then
# refuses even the right code without saying why. The lockouts above count per account and
# address instead and tell the person how long to wait, so django-otp's is switched off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Searches per client address per window (search/throttle.py).
SEARCH_RATE_LIMIT = (
    env_int("SEARCH_RATE_LIMIT_COUNT", 120),
    env_int("SEARCH_RATE_LIMIT_SECONDS", 60),
)

# The approval workflow's emails (core/workflow_mail.py: sent by the worker). Reviewers are the
# web team; superusers are not copied into every review request.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env_bool(
    "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", False
)

# Days the search log (queries, clicks) and search feedback are kept; 0 keeps them for ever
# (search/retention.py, the worker's daily search-log-purge job).
SEARCH_LOG_RETENTION_DAYS = env_int("SEARCH_LOG_RETENTION_DAYS", 365)
# Without Redis, searches wait here for the worker to write them (search/analytics.py): a
# folder the web processes and the worker share. With REDIS_URL they wait in Redis instead.
SEARCH_LOG_SPOOL = Path(env_str("SEARCH_LOG_SPOOL", str(BASE_DIR / "var" / "search-log")))

# "Tell us what you were looking for" on weak search results: messages per address per window.
SEARCH_FEEDBACK_RATE_LIMIT = (
    env_int("SEARCH_FEEDBACK_RATE_LIMIT_COUNT", 5),
    env_int("SEARCH_FEEDBACK_RATE_LIMIT_SECONDS", 3600),
)
