"""What the Python drills share: a throwaway database with Pendopo's schema, run as the operator would.

The drills run real `pendopo` processes (the console script of the checkout's .venv) against a
database they create and remove themselves. The schema is made with `migrate --run-syncdb` from
the models (the migrations take minutes on a busy machine; the schema is the same), through a
settings module written into the drill's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
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


class Cluster:
    """A throwaway PostgreSQL cluster under `directory`, on `port` of 127.0.0.1."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port
        self.data = directory / "data"
        self.log = directory / "postgres.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=timeout)  # noqa: S603

    def _folder(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            os.chmod(self.directory.parent, 0o755)  # noqa: S103 -- the postgres user must reach its folder
            shutil.chown(self.directory, "postgres", "postgres")

    def init(self) -> None:
        self._folder()
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def replicate(self, primary: Cluster) -> None:
        """Make this cluster a hot standby of `primary`: `pg_basebackup -R` (standby.signal and the
        primary's address), WAL streamed while copying; started, it replays the primary's WAL."""
        self._folder()
        backup = [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
        self.run(*backup, "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync")

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, *extra)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(subprocess.SubprocessError, OSError):
                self.run(str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w", timeout=60)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/pendopo_drill"


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(urllib.error.URLError, OSError), urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- our own server
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def gunicorn(env: dict[str, str], workdir: Path, port: int, *, workers: int = 2, threads: int = 4) -> subprocess.Popen[bytes]:
    """Pendopo's web server as in production (gunicorn, workers × threads) on 127.0.0.1:`port`, answering /healthz."""
    binary = ROOT / ".venv" / "bin" / "gunicorn"
    command = [str(binary) if binary.exists() else "gunicorn", "pendopo.wsgi:application"]
    command += ["-b", f"127.0.0.1:{port}", "-w", str(workers), "--threads", str(threads), "--timeout", "30"]
    server = subprocess.Popen(  # noqa: S603 -- our own web server
        command, env=env, cwd=ROOT, stdout=(workdir / "web.log").open("ab"), stderr=subprocess.STDOUT
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return server


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(20)
        if process.poll() is None:
            process.kill()
