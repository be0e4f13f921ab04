"""Production: everything `manage.py check --deploy` asks for, behind a TLS-terminating proxy."""

from .base import *  # noqa: F403
from .environment import env_bool, env_int, refuse_to_start

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# Staff always need a second step for signing in on a real server (core/mfa.py): a password alone
# never opens the admin. Which roles need it is still SIGNPOST_MFA_REQUIRED_ROLES.
if not env_bool("SIGNPOST_MFA_REQUIRED", True):
    refuse_to_start(
        "SIGNPOST_MFA_REQUIRED is off, but production always asks staff for a code after their "
        "password. Remove SIGNPOST_MFA_REQUIRED, or use cms.settings.dev on a machine of your own."
    )
SIGNPOST_MFA_REQUIRED = True
