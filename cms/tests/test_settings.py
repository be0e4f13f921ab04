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
    "variable, value, expected",
    [
        ("TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal", "TRUSTED_PROXIES must list addresses"),
        ("TRUSTED_PROXIES", "10.0.0.1/8", "'10.0.0.1/8' is not one"),
        ("TRUSTED_PROXY_HOPS", "-1", "TRUSTED_PROXY_HOPS must be zero or more"),
        ("TRUSTED_PROXY_HOPS", "one", "TRUSTED_PROXY_HOPS must be a whole number"),
        ("REDIS_URL", "cache.internal:6379", "REDIS_URL is not a Redis address"),
    ],
)
def test_bad_proxy_and_redis_settings_give_one_clear_line(
    variable: str, value: str, expected: str
) -> None:
    result = run_manage("check", env_overrides={"SECRET_KEY": "k" * 60, variable: value})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr


def test_production_settings_with_redis_and_a_proxy_pass_check_deploy() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "production-like-" + "Zq8#vT1!pR" * 6,
            "ALLOWED_HOSTS": "www.northbrook.example",
            "CSRF_TRUSTED_ORIGINS": "https://www.northbrook.example",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "TRUSTED_PROXY_HOPS": "1",
            "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_caches_each_setting_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    from cms.settings.environment import database_caches, env_networks, redis_caches

    monkeypatch.setenv("TRUSTED_PROXIES", " 10.0.0.0/8 , 192.0.2.7,fd00::/8")
    assert env_networks("TRUSTED_PROXIES") == ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"]
    on_redis = redis_caches("rediss://cache.internal:6380/1")
    assert set(on_redis) == {"default", "ratelimit"}
    assert {c["BACKEND"] for c in on_redis.values()} == {
        "django.core.cache.backends.redis.RedisCache"
    }
    assert on_redis["default"]["KEY_PREFIX"] != on_redis["ratelimit"]["KEY_PREFIX"]
    on_database = database_caches()
    assert on_database["default"]["LOCATION"] != on_database["ratelimit"]["LOCATION"]
    assert on_database["ratelimit"]["OPTIONS"]["MAX_ENTRIES"] == 100_000
