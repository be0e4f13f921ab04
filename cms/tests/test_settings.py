"""Start-up configuration: refuse clearly on bad settings; production passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides, settings="cms.settings.production"):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": settings, **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_refuses_with_one_line():
    result = run_manage("check", env_overrides={"DEBUG": "0"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY is not set" in lines[0]
    assert "Traceback" not in result.stderr


def test_dev_settings_allow_missing_secret_key_with_debug_on():
    result = run_manage("check", env_overrides={}, settings="cms.settings.dev")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "url, expected",
    [
        ("not a url", "DATABASE_URL is not a database address"),
        ("mongo://db.example/signpost", "DATABASE_URL could not be read"),
        ("postgres://user@localhost:5432", "no database name"),
    ],
)
def test_malformed_database_url_gives_one_clear_line(url, expected):
    result = run_manage("check", env_overrides={"SECRET_KEY": "k" * 60, "DATABASE_URL": url})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "production-like-" + "Zq8#vT1!pR" * 6,
            "ALLOWED_HOSTS": "www.northbrook.example",
            "CSRF_TRUSTED_ORIGINS": "https://www.northbrook.example",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_is_explained():
    result = run_manage("check", env_overrides={"SECRET_KEY": "k" * 60, "DEBUG": "maybe"})
    assert result.returncode == 1
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({}, "2.0 60.0"),
        ({"ELASTICSEARCH_TIMEOUT": "7"}, "7.0 7.0"),  # deprecated, still the fallback for both
        ({"ELASTICSEARCH_TIMEOUT": "7", "ELASTICSEARCH_SEARCH_TIMEOUT": "1.5"}, "1.5 7.0"),
        ({"ELASTICSEARCH_ADMIN_TIMEOUT": "120"}, "2.0 120.0"),
    ],
)
def test_search_and_admin_timeouts_come_apart_with_the_old_setting_as_fallback(
    environment, expected
):
    environment = {
        "ELASTICSEARCH_TIMEOUT": "",
        "ELASTICSEARCH_SEARCH_TIMEOUT": "",
        "ELASTICSEARCH_ADMIN_TIMEOUT": "",
        **environment,
    }
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.ELASTICSEARCH_SEARCH_TIMEOUT, s.ELASTICSEARCH_ADMIN_TIMEOUT)",
        env_overrides=environment,
        settings="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
