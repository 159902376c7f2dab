"""What the Python drills share: a throwaway database with Pendopo's schema, run as the operator would.

The drills run real `pendopo` processes (the console script of the checkout's .venv) against a
database they create and remove themselves. The schema is made with `migrate --run-syncdb` from
the models (the migrations take minutes on a busy machine; the schema is the same), through a
settings module written into the drill's temporary folder.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PENDOPO = str(ROOT / ".venv" / "bin" / "pendopo") if (ROOT / ".venv" / "bin" / "pendopo").exists() else "pendopo"

SETTINGS = '''"""Settings of a drill: Pendopo's own, with the schema made from the models (no migrations)."""
from pendopo.settings import *  # noqa: F403


class _NoMigrations(dict):
    def __contains__(self, label):
        return True

    def __getitem__(self, label):
        return None


MIGRATION_MODULES = _NoMigrations()
'''


def say(text: str) -> None:
    print(f"drill: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def drill_env(workdir: Path, database_url: str, **extra: str) -> dict[str, str]:
    (workdir / "drill_settings.py").write_text(SETTINGS, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PENDOPO_") and key != "REDIS_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "drill_settings",
            "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
            "DATABASE_URL": database_url,
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "PENDOPO_OUTBOX_DIR": str(workdir / "outbox"),
            "PENDOPO_VAR_DIR": str(workdir / "var"),
        }
    )
    env.update(extra)
    return env


def pendopo(env: dict[str, str], *args: str, timeout: float = 300, **popen: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- our own console script
        [PENDOPO, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True, **popen
    )


def start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen([PENDOPO, *args], env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603


@contextmanager
def throwaway_database(workdir: Path, server_url: str = "") -> Iterator[str]:
    """A new empty database: a SQLite file in `workdir`, or a new database on the PostgreSQL server of `server_url`."""
    if not server_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'drill.sqlite3'}"
        return
    import psycopg

    name = f"pendopo_drill_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(server_url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of one read, straight from the database (the drill does not load Django)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as connection:
            return connection.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(sql).fetchall()


def fail(text: str) -> None:
    print(f"drill: FAILED — {text}", file=sys.stderr, flush=True)
