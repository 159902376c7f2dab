"""Reading settings from environment variables; DATABASE_URL through dj-database-url."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url


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


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, safe to show in an error message or a log."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^/]*@", r"\1:***@", url)


def parse_database_url(url: str, variable: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn a DATABASE_URL into Django's DATABASES entry, parsed by dj-database-url.

    - `sqlite:///relative/path.sqlite3` (relative to the working directory),
      `sqlite:////absolute/path.sqlite3`, `sqlite://:memory:`;
    - `postgres://user:password@host:port/name?sslmode=require` (also `postgresql://`); query
      parameters become connection OPTIONS; percent-encode special characters in the password
      and a socket directory as the host (`postgres://%2Fvar%2Frun%2Fpostgresql/pendopo`).

    dj-database-url accepts more than Pendopo runs on (MySQL, a SQLite URL with a host, a
    PostgreSQL URL without a database): those are checked first and raise ConfigError with a
    message that never shows the password, so `pendopo` ends with one line and exit status 2.
    """
    url = url.strip()
    shown = redact_url(url)
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ConfigError(f"{variable} {shown!r} is malformed ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        if parts.netloc == ":memory:" and parts.path in ("", "/"):
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        if parts.netloc:
            raise ConfigError(
                f"{variable} {shown!r}: a SQLite URL has no host; write sqlite:///relative/file or sqlite:////absolute/file."
            )
        if unquote(parts.path) in ("", "/", "//"):
            raise ConfigError(f"{variable} {shown!r}: give the SQLite file, e.g. sqlite:///var/pendopo.sqlite3.")
        parsed = _parse(url, shown, variable)
        return {"ENGINE": parsed["ENGINE"], "NAME": parsed["NAME"]}
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name or "/" in name:
            raise ConfigError(f"{variable} {shown!r}: name the database, e.g. postgres://user@host:5432/pendopo.")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{variable} {shown!r}: the port must be a number from 1 to 65535.") from None
        parsed = _parse(url, shown, variable)
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed["NAME"],
            "USER": parsed.get("USER") or "",
            "PASSWORD": parsed.get("PASSWORD") or "",
            "HOST": parsed.get("HOST") or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": parsed["CONN_MAX_AGE"],
            # Off as in Django's default: on, every request that touches the database first sends
            # a `SELECT 1`, a second round trip on the busiest pages. A connection broken under
            # a process (a database restart) fails one request and is then replaced; settings.py
            # switches the checks on unless DATABASE_HEALTH_CHECKS=false.
            "CONN_HEALTH_CHECKS": False,
        }
        if parsed.get("OPTIONS"):
            config["OPTIONS"] = dict(parsed["OPTIONS"])
        return config
    raise ConfigError(
        f"{variable} {shown!r} is not understood: use sqlite:///path/to/file or postgres://user:password@host:port/name."
    )


def _parse(url: str, shown: str, variable: str) -> dict[str, Any]:
    try:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:  # dj_database_url.ParseError and UnknownSchemeError are ValueErrors
        raise ConfigError(f"{variable} {shown!r} is malformed ({exc}).") from None
