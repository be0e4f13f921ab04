"""Reading configuration from the environment.

Every setting that differs between a laptop, CI and a council's servers comes from an
environment variable, read once here. A bad value stops start-up with one plain sentence
(``SystemExit``) rather than a traceback, because the person reading it is often an
operator, not a Python developer.
"""

import os

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def refuse_to_start(message):
    """Stop the process with a one-line explanation on standard error."""
    raise SystemExit(f"Signpost cannot start: {message}")


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    refuse_to_start(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        refuse_to_start(f"{name} must be a whole number, not {raw!r}.")


def env_float(name, default):
    """A number that may have a fraction, e.g. ELASTICSEARCH_SEARCH_TIMEOUT=1.5 (seconds)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        refuse_to_start(f"{name} must be a number, not {raw!r}.")


def env_list(name, default=()):
    """A comma-separated list, e.g. ALLOWED_HOSTS=www.northbrook.gov.uk,northbrook.gov.uk."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url, conn_max_age=60):
    """Turn DATABASE_URL into Django's DATABASES entry, or refuse with a clear sentence."""
    example = "postgres://user:password@host:5432/name or sqlite:///path/to/file.sqlite3"
    if "://" not in url:
        refuse_to_start(f"DATABASE_URL is not a database address (expected e.g. {example}).")
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    except Exception as error:  # dj-database-url raises several types for bad input.
        refuse_to_start(f"DATABASE_URL could not be read ({error}); expected e.g. {example}.")
    if not config.get("ENGINE"):
        refuse_to_start(f"DATABASE_URL uses an unknown database type; expected e.g. {example}.")
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        refuse_to_start("DATABASE_URL has no database name after the host, e.g. .../signpost.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (the demo server and search_sync) share the file.
        config.setdefault("OPTIONS", {})["timeout"] = 20
        config["CONN_MAX_AGE"] = 0
    return config
