"""The backup drill: back up, restore into a new database and media folder, compare counts and checksums.

On PostgreSQL (CI's first pass) it runs pg_dump and pg_restore into a database it creates for the
test; on SQLite it uses SQLite's backup API. Either way the restore must be identical: every
table's row count and checksum, every media file's SHA-256.
"""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pendopo.complaints import actions
from pendopo.complaints.tests.conftest import photo
from pendopo.lib.backup import BackupError, restore

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def target_db(tmp_path):  # type: ignore[no-untyped-def]
    """An empty database for the restore, of the same engine as the tests'."""
    db = dict(connection.settings_dict)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["NAME"] = str(tmp_path / "restored.sqlite3")
        yield db
        return
    import psycopg

    name = f"{db['NAME']}_restore_{os.getpid()}"
    params = {"host": db.get("HOST") or None, "port": db.get("PORT") or None, "user": db.get("USER") or None}
    params["password"] = db.get("PASSWORD") or None
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    db["NAME"] = name
    yield db
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_are_identical(world, setup, settings, tmp_path, target_db):
    filing = actions.Filing(category=setup.lamp_a, privacy="anonymous", description="Lampu mati.", photos=[photo()])
    actions.file_complaint(world.region_a, filing)
    assert any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    out = StringIO()
    call_command("backup", str(tmp_path / "backup"), "--json", stdout=out)
    made = json.loads(out.getvalue())
    assert made["tables"] > 50 and made["rows"] > 20 and made["media_files"] >= 1
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["complaints_complaint"]["rows"] == 1

    out = StringIO()
    url = "sqlite:///" + target_db["NAME"] if target_db["ENGINE"].endswith("sqlite3") else None
    report = restore(tmp_path / "backup", target_db, media_root=tmp_path / "restored-media")
    assert report.problems == [] and report.rows == made["rows"] and report.media_files == made["media_files"]
    if url:  # the command line too, and a second restore into the same (now full) database is refused
        with pytest.raises(CommandError, match="exists"):
            call_command("restore", str(tmp_path / "backup"), "--database-url", url, "--media-root", str(tmp_path / "m2"))


def test_a_damaged_backup_is_refused(world, settings, tmp_path, target_db):
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    with (tmp_path / "backup" / "media.tar").open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "backup", target_db, media_root=tmp_path / "restored-media")


def test_a_backup_goes_into_a_new_folder(world, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"), stdout=StringIO())


@pytest.mark.django_db(transaction=False)
def test_behind_a_transaction_pooler_the_tools_connect_to_the_server_itself(settings):
    from pendopo.lib.backup import _without_pooler

    pooled = {"ENGINE": "django.db.backends.postgresql", "NAME": "pendopo", "HOST": "127.0.0.1", "PORT": 6432, "USER": "app"}
    settings.DATABASES = {**settings.DATABASES, "default": {**pooled}}
    settings.DATABASE_TRANSACTION_POOLER = True
    settings.DATABASE_DIRECT = None
    with pytest.raises(BackupError, match="DATABASE_DIRECT_URL"):
        _without_pooler(pooled)
    settings.DATABASE_DIRECT = {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "HOST": "db", "PORT": 5432, "USER": "dba"}
    direct = _without_pooler(pooled)
    assert (direct["NAME"], direct["HOST"], direct["PORT"], direct["USER"]) == ("pendopo", "db", 5432, "dba")
    assert _without_pooler({**pooled, "HOST": "elsewhere"})["HOST"] == "elsewhere"  # another server: as given
    settings.DATABASE_TRANSACTION_POOLER = False
    assert _without_pooler(pooled) == pooled
