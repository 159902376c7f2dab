"""`pendopo backup DIR`: the database (pg_dump custom format, or SQLite's backup), the media folder, a manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pendopo.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media folder into a new folder, with a manifest of row counts and checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="a new (or empty) folder for the backup")
        parser.add_argument("--media-root", default=None, help="the media folder (default MEDIA_ROOT)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        media = Path(options["media_root"]) if options["media_root"] else None
        try:
            report = backup(Path(options["directory"]), media_root=media)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(
                f"Backup in {report.directory}: {report.tables} tables, {report.rows} rows, {report.media_files} media files."
            )
