"""Backup and restore with the database's own tools, checked by a manifest of row counts and checksums.

`pendopo backup DIR` writes into DIR:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite's
  online backup API);
- `media.tar`: the whole MEDIA_ROOT (uploaded documents, photos, generated files);
- `manifest.json`: for every table its row count and a checksum of its rows, for every file of
  the backup and of the media folder its SHA-256.

On PostgreSQL the counts and the dump come from one snapshot: the manifest is computed in a
REPEATABLE READ transaction whose snapshot `pg_dump --snapshot` uses, so they match even while
the site is being written to.

`pendopo restore DIR` restores into an EMPTY database (`--database-url`, default DATABASE_URL)
and an empty media folder, then computes the same counts and checksums there and compares: any
difference is reported and the command fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from pendopo.lib import dates

FORMAT = "pendopo-backup/1"
POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- fingerprints: a row count and a checksum per table ---------------------------------------------


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _pg_fingerprint(cursor: Any) -> dict[str, dict[str, Any]]:
    out = {}
    for table in _pg_tables(cursor):
        quoted = '"' + table.replace('"', '""') + '"'
        # The rows' text in a stable order: the same data gives the same checksum after a restore.
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), '')) FROM {quoted} t"  # noqa: S608 -- a table name from the catalogue, quoted
        )
        count, checksum = cursor.fetchone()
        out[table] = {"rows": int(count), "checksum": checksum}
    return out


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_fingerprint(cursor: Any) -> dict[str, dict[str, Any]]:
    out = {}
    for table in _sqlite_tables(cursor):
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"PRAGMA table_info({quoted})")
        columns = [row[1] for row in cursor.fetchall()]
        # quote() writes each value as an SQL literal: the same text whatever the reading connection converts.
        expression = " || ',' || ".join('quote("' + c.replace('"', '""') + '")' for c in columns) or "''"
        cursor.execute(f"SELECT {expression} FROM {quoted}")  # noqa: S608 -- names from the schema, quoted
        rows = sorted(hashlib.md5(str(row[0]).encode(), usedforsecurity=False).hexdigest() for row in cursor.fetchall())
        checksum = hashlib.md5(",".join(rows).encode(), usedforsecurity=False).hexdigest()
        out[table] = {"rows": len(rows), "checksum": checksum}
    return out


def fingerprint(cursor: Any, engine: str) -> dict[str, dict[str, Any]]:
    return _pg_fingerprint(cursor) if engine == POSTGRES else _sqlite_fingerprint(cursor)


def media_files(root: Path) -> dict[str, str]:
    """{relative path: SHA-256} of every file under `root`."""
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): sha256_file(path) for path in sorted(root.rglob("*")) if path.is_file()}


# --- PostgreSQL command-line tools -----------------------------------------------------------------


def _without_pooler(db: dict[str, Any]) -> dict[str, Any]:
    """`db` reached without PgBouncer: pg_dump and pg_restore need a session of their own.

    Through a pooler in transaction mode (`DATABASE_TRANSACTION_POOLER`), the server connection a
    tool used goes on to other clients with the tool's session settings (pg_restore empties
    `search_path`), so the tools connect to `DATABASE_DIRECT_URL`'s server instead, to the same
    database name; without it they refuse rather than spoil the pool.
    """
    default = settings.DATABASES["default"]
    pooled = (db.get("HOST"), db.get("PORT")) == (default.get("HOST"), default.get("PORT"))
    if not (settings.DATABASE_TRANSACTION_POOLER and pooled):
        return db
    direct = settings.DATABASE_DIRECT
    if direct is None or direct["ENGINE"] != POSTGRES:
        raise BackupError(
            "DATABASE_URL goes through a transaction pooler (DATABASE_TRANSACTION_POOLER=true): set "
            "DATABASE_DIRECT_URL to the PostgreSQL server itself, e.g. postgres://user@db-host:5432/pendopo."
        )
    return {**db, **{key: direct.get(key) for key in ("HOST", "PORT", "USER", "PASSWORD")}}


def _pg_env_args(db: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603 -- PostgreSQL's own tool, arguments from settings
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _pg_connect(db: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
        password=db.get("PASSWORD") or None, **(db.get("OPTIONS") or {}),
    )  # fmt: skip


# --- backup ---------------------------------------------------------------------------------------


@dataclass
class Report:
    directory: str
    engine: str
    tables: int
    rows: int
    media_files: int
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "engine": self.engine,
            "tables": self.tables,
            "rows": self.rows,
            "media_files": self.media_files,
            "identical": not self.problems,
            "problems": self.problems,
        }


def backup(directory: Path, *, alias: str = "default", media_root: Path | None = None) -> Report:
    """Write the database, the media folder and the manifest into `directory` (new or empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: a backup goes into a new folder.")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[alias]
    engine = connection.settings_dict["ENGINE"]
    files: dict[str, str] = {}
    if engine == POSTGRES:
        dump = directory / "database.dump"
        connection.ensure_connection()
        with connection.cursor() as cursor:
            previous_autocommit = connection.get_autocommit()
            connection.set_autocommit(False)
            try:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                env, args = _pg_env_args(_without_pooler(connection.settings_dict))
                _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", *args,
                      f"--file={dump}", str(connection.settings_dict["NAME"])], env)  # fmt: skip
                tables = fingerprint(cursor, engine)
            finally:
                connection.rollback()
                connection.set_autocommit(previous_autocommit)
        files["database.dump"] = sha256_file(dump)
    elif engine == SQLITE:
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # SQLite's online backup: one consistent copy
        finally:
            destination.close()
        check = sqlite3.connect(target)
        try:
            tables = fingerprint(check.cursor(), engine)
        finally:
            check.close()
        files["database.sqlite3"] = sha256_file(target)
    else:
        raise BackupError(f"No backup for the database engine {engine}.")
    media = media_files(media_root)
    with tarfile.open(directory / "media.tar", "w") as archive:
        for name in media:
            archive.add(media_root / name, arcname=name)
    files["media.tar"] = sha256_file(directory / "media.tar")
    manifest = {
        "format": FORMAT,
        "created_at": dates.now().isoformat(),
        "engine": engine,
        "tables": tables,
        "files": files,
        "media": media,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Report(str(directory), engine, len(tables), sum(t["rows"] for t in tables.values()), len(media))


# --- restore --------------------------------------------------------------------------------------


def _compare(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want is None or got is None:
            problems.append(f"table {table}: {'missing after the restore' if got is None else 'not in the backup'}")
        elif want != got:
            problems.append(f"table {table}: {want['rows']} rows in the backup, {got['rows']} restored (checksums differ)")
    return problems


def restore(directory: Path, db: dict[str, Any], *, media_root: Path) -> Report:
    """Restore the backup in `directory` into the empty database `db` (a DATABASES entry) and `media_root`."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{directory} has no readable manifest.json ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory}/manifest.json is not a {FORMAT} manifest.")
    engine = manifest["engine"]
    if db["ENGINE"] != engine:
        raise BackupError(f"The backup is of {engine}; the target database is {db['ENGINE']}.")
    problems = [
        f"file {name}: its checksum differs from the manifest"
        for name, digest in manifest["files"].items()
        if not (directory / name).exists() or sha256_file(directory / name) != digest
    ]
    if problems:
        raise BackupError("The backup is damaged: " + "; ".join(problems))
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty: restore into an empty one.")
    if engine == POSTGRES:
        db = _without_pooler(db)
        with _pg_connect(db) as check:
            if _pg_tables(check.cursor()):
                raise BackupError(f"The database {db['NAME']} is not empty: restore into a new, empty database.")
        env, args = _pg_env_args(db)
        _run(["pg_restore", "--no-owner", "--exit-on-error", *args, f"--dbname={db['NAME']}",
              str(directory / "database.dump")], env)  # fmt: skip
        with _pg_connect(db) as check:
            found = fingerprint(check.cursor(), engine)
    else:
        target = Path(db["NAME"])
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(f"The database file {target} exists: restore into a new file.")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(directory / "database.sqlite3", target)
        check = sqlite3.connect(target)
        try:
            found = fingerprint(check.cursor(), engine)
        finally:
            check.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / "media.tar") as archive:
        archive.extractall(media_root, filter="data")
    problems = _compare(manifest["tables"], found)
    restored_media = media_files(media_root)
    for name in sorted(set(manifest["media"]) | set(restored_media)):
        if manifest["media"].get(name) != restored_media.get(name):
            problems.append(f"media file {name}: differs from the backup")
    return Report(str(directory), engine, len(found), sum(t["rows"] for t in found.values()), len(restored_media), problems)
