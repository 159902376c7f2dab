"""Settings from the environment (pendopo.lib.env) and the console script's handling of bad ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pendopo.lib.env import ConfigError, env_bool, env_int, env_list, parse_database_url, redact_url

PROJECT_DIR = Path(__file__).resolve().parents[3]
CONSOLE_SCRIPT = Path(sys.executable).parent / "pendopo"


# --- parse_database_url ------------------------------------------------------------------------------


def test_sqlite_relative_path():
    assert parse_database_url("sqlite:///var/pendopo.sqlite3") == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "var/pendopo.sqlite3",
    }


def test_sqlite_absolute_path():
    assert parse_database_url("sqlite:////srv/pendopo/db.sqlite3")["NAME"] == "/srv/pendopo/db.sqlite3"


@pytest.mark.parametrize("url", ["sqlite://:memory:", "sqlite:///:memory:"])
def test_sqlite_in_memory(url):
    assert parse_database_url(url)["NAME"] == ":memory:"


def test_postgres_with_options():
    config = parse_database_url("postgres://pendopo:s%40cret@db.example.id:5432/pendopo?sslmode=require")
    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "pendopo",
        "USER": "pendopo",
        "PASSWORD": "s@cret",
        "HOST": "db.example.id",
        "PORT": "5432",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {"sslmode": "require"},
    }


def test_postgresql_scheme_without_port_or_password():
    config = parse_database_url("postgresql://postgres@127.0.0.1/pendopo")
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "postgres",
        "",
        "127.0.0.1",
        "",
        "pendopo",
    )
    assert "OPTIONS" not in config


def test_postgres_socket_directory_as_host():
    assert parse_database_url("postgres://%2Fvar%2Frun%2Fpostgresql/pendopo")["HOST"] == "/var/run/postgresql"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x", "is not understood: use sqlite:///path/to/file or postgres://"),
        ("", "is not understood"),
        ("pendopo.sqlite3", "is not understood"),
        ("postgres://user@host:5432/", "name the database"),
        ("postgres://user@host:port/pendopo", "the port must be a number"),
        ("postgres://user@host:99999/pendopo", "the port must be a number"),
        ("postgres://user@[::1/pendopo", "malformed"),
        ("sqlite://", "give the SQLite file"),
        ("sqlite://localhost/pendopo.sqlite3", "a SQLite URL has no host"),
    ],
)
def test_malformed_urls_are_a_clear_config_error(url, message):
    with pytest.raises(ConfigError, match="DATABASE_URL") as caught:
        parse_database_url(url)
    assert message in str(caught.value)


def test_error_never_shows_the_password():
    with pytest.raises(ConfigError) as caught:
        parse_database_url("postgres://pendopo:hunter2@db:notaport/pendopo")
    assert "hunter2" not in str(caught.value)
    assert "pendopo:***@db" in str(caught.value)


def test_redact_url():
    assert redact_url("postgres://u:p@ss@h:5432/n") == "postgres://u:***@h:5432/n"
    assert redact_url("postgres://u@h/n") == "postgres://u@h/n"
    assert redact_url("sqlite:///var/db") == "sqlite:///var/db"


# --- the other readers ---------------------------------------------------------------------------------


def test_env_bool(monkeypatch):
    monkeypatch.setenv("PENDOPO_TEST_FLAG", " Yes ")
    assert env_bool("PENDOPO_TEST_FLAG", default=False) is True
    monkeypatch.setenv("PENDOPO_TEST_FLAG", "0")
    assert env_bool("PENDOPO_TEST_FLAG", default=True) is False
    monkeypatch.delenv("PENDOPO_TEST_FLAG")
    assert env_bool("PENDOPO_TEST_FLAG", default=True) is True
    monkeypatch.setenv("PENDOPO_TEST_FLAG", "maybe")
    with pytest.raises(ConfigError, match="PENDOPO_TEST_FLAG must be true or false"):
        env_bool("PENDOPO_TEST_FLAG", default=True)


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("PENDOPO_TEST_NUMBER", "587")
    assert env_int("PENDOPO_TEST_NUMBER", default=25) == 587
    monkeypatch.setenv("PENDOPO_TEST_NUMBER", "lima")
    with pytest.raises(ConfigError, match="whole number"):
        env_int("PENDOPO_TEST_NUMBER", default=25)
    monkeypatch.setenv("PENDOPO_TEST_LIST", "a.example.id, b.example.id,,")
    assert env_list("PENDOPO_TEST_LIST", default=[]) == ["a.example.id", "b.example.id"]


# --- the console script ---------------------------------------------------------------------------------


def run_pendopo(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    if not CONSOLE_SCRIPT.exists():
        pytest.skip("the pendopo console script is not installed beside this Python")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pendopo.settings", **env}
    return subprocess.run(  # noqa: S603 -- fixed argument list, no shell
        [str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, env=environment, cwd=PROJECT_DIR, timeout=120, check=False
    )


def test_pendopo_check_with_a_mysql_url_fails_cleanly():
    result = run_pendopo("check", DATABASE_URL="mysql://x")
    assert result.returncode != 0
    assert "DATABASE_URL 'mysql://x' is not understood" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_pendopo_check_without_secret_key_in_production_fails_cleanly():
    result = run_pendopo("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_pendopo_check_passes_with_a_good_url(tmp_path):
    result = run_pendopo("check", DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}")
    assert result.returncode == 0, result.stderr
