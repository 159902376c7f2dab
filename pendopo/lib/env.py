"""Reading settings from environment variables (framework-free)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    """A setting in the environment is malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/name` into Django's DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/or/absolute  and  sqlite:////absolute
        path = unquote(parts.path)
        if parts.netloc:
            raise ConfigError(f"DATABASE_URL {url!r}: a SQLite URL has no host; write sqlite:///path/to/file.")
        if path in ("", "/"):
            raise ConfigError(f"DATABASE_URL {url!r}: give the SQLite file, e.g. sqlite:///var/pendopo.sqlite3.")
        name = ":memory:" if path.startswith("/:memory:") else path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"DATABASE_URL {url!r}: name the database, e.g. postgres://user@host:5432/pendopo.")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"DATABASE_URL {url!r}: the port is not a number.") from None
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        if options:
            config["OPTIONS"] = options
        return config
    raise ConfigError(
        f"DATABASE_URL {url!r} is not understood: use sqlite:///path/to/file or postgres://user:password@host:port/name."
    )
